import Foundation
import GRDB
import LotboxCore

/// What an import did, per object type.
public struct ImportSummary: Sendable, Equatable {
    public var created: [String: Int] = [:]
    public var updated: [String: Int] = [:]
    /// Lots already in the store are left as they are: their history here is the truth.
    public var skippedLots = 0
    /// Objects already here whose content in the file differs, one line each; left unchanged
    /// unless the import was asked to update (lots never are: their ledger is the truth).
    public var conflicts: [String] = []
}

extension LotStore {
    /// Imports an OpenTHC JSON document (as `lotbox export` writes it, or the `data` object
    /// alone) in one transaction: every value is checked before anything is written, and the
    /// file is taken whole or not at all. Errors name the value's JSON path
    /// (`data.inventory[3].qty`).
    ///
    /// Reference objects are created by id; one already here with other content is a conflict,
    /// listed and left as it is unless `update` is given. New lots are marked `imported` (so no
    /// label is printed for existing stock); their history elsewhere arrives as an opening entry
    /// of `qty_initial` and one `correction` down to `qty`. Lots already here are never rewritten.
    public func importDocument(_ data: Data, update: Bool = false, actor: String) throws -> ImportSummary {
        let parsed = try JSONDocument.parse(data, what: "import: the file", expected: "an OpenTHC document from `lotbox export`")
        guard let top = parsed as? [String: Any] else {
            throw StoreError.invalid("import: expected a JSON object with a \"data\" key; got \(type(of: parsed))")
        }
        let wrapped = top["data"] is [String: Any]
        let body = (top["data"] as? [String: Any]) ?? top
        let root = wrapped ? "data" : ""
        let known = Set(ExchangeObject.all.map(\.key))
        if let unknown = body.keys.sorted().first(where: { !known.contains($0) }) {
            throw StoreError.invalid("import: \(ImportPath.join(root, unknown)) is not an object list lotbox knows; expected some of \(ExchangeObject.all.map(\.key).joined(separator: ", "))")
        }
        return try write { db in
            // First every value is read and checked; only then is anything written.
            var planned: [PlannedObject] = []
            for object in ExchangeObject.all {
                guard let value = body[object.key] else { continue }
                let listPath = ImportPath.join(root, object.key)
                guard let list = value as? [Any] else { throw StoreError.invalid("import: \(listPath) must be a list of objects") }
                let reader = try ImportReader(db, object: object)
                for (index, element) in list.enumerated() {
                    planned.append(try reader.plan(element, path: "\(listPath)[\(index)]", db: db))
                }
            }
            var summary = ImportSummary()
            for plan in planned {
                do {
                    try importObject(db, plan, update: update, actor: actor, summary: &summary)
                } catch let error as StoreError {
                    throw StoreError.invalid("import: \(plan.path) (\(plan.object.key) \(plan.id)): \(error)")
                } catch {
                    throw StoreError.invalid("import: \(plan.path) (\(plan.object.key) \(plan.id)): \(StoreError.from(error, path: path))")
                }
            }
            // Lab results name the lots they cover; the lots exist by now.
            for plan in planned where plan.object.key == "lab_result" {
                for (index, lotID) in plan.labLots.enumerated() {
                    do {
                        try db.execute(sql: "INSERT OR IGNORE INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)",
                                       arguments: [plan.id, lotID])
                    } catch {
                        throw StoreError.invalid("import: \(plan.path).inventory_list[\(index)]: \(StoreError.from(error, path: path))")
                    }
                }
            }
            try audit(db, actor: actor, action: "import", objectType: "document", objectID: nil,
                      detail: ["created": summary.created.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","),
                               "skipped_lots": String(summary.skippedLots), "conflicts": String(summary.conflicts.count),
                               "update": update ? "yes" : "no"])
            return summary
        }
    }

    private func importObject(_ db: Database, _ plan: PlannedObject, update: Bool, actor: String, summary: inout ImportSummary) throws {
        let object = plan.object, id = plan.id
        let existing = try Row.fetchOne(db, sql: "SELECT * FROM \(object.table) WHERE id = ?", arguments: [id])
        if let existing {
            // A lot imported here was marked imported and its ledger written here: those are not
            // differences from the file.
            let differences = ImportReader.differences(plan.values, existing,
                                                       ignoring: object.key == "inventory" ? ["origin", "meta", "updated_at"] : [])
            if object.key == "inventory" {
                summary.skippedLots += 1
                if !differences.isEmpty {
                    summary.conflicts.append("\(plan.path): lot \(id) differs (\(differences.joined(separator: "; "))); lots already here are never rewritten by an import")
                }
                return
            }
            guard !differences.isEmpty else { return }
            guard update else {
                summary.conflicts.append("\(plan.path): \(object.key) \(id) differs (\(differences.joined(separator: "; "))); left as it is (--update takes the file's)")
                return
            }
            let assignments = plan.values.keys.filter { $0 != "id" }.sorted()
            try db.execute(sql: "UPDATE \(object.table) SET \(assignments.map { "\"\($0)\" = ?" }.joined(separator: ", ")) WHERE id = ?",
                           arguments: StatementArguments(assignments.map { plan.values[$0] ?? .null } + [id.databaseValue]))
            summary.updated[object.key, default: 0] += 1
        } else if object.key == "inventory" {
            var values = plan.values
            let qty = values["qty"] ?? .null
            let initial = values["qty_initial"].flatMap { $0.isNull ? nil : $0 } ?? qty
            guard let current = Int64.fromDatabaseValue(qty), let opening = Int64.fromDatabaseValue(initial) else {
                throw StoreError.invalid("qty is missing; expected an exact decimal such as \"2200.0000\"")
            }
            // A lot can hold more than it opened with (an audit found more): the difference
            // arrives as a ledger correction either way, so every export imports again.
            values["qty"] = opening.databaseValue
            values["qty_initial"] = opening.databaseValue
            values["origin"] = LotOrigin.imported.rawValue.databaseValue
            values["stat"] = Stat.live.databaseValue
            values["meta"] = JSONText.object(["actor": actor]).databaseValue
            try insert(db, table: object.table, values)
            if current != opening {
                try appendLedger(db, lotID: id, delta: current - opening, reason: .correction,
                                 note: "imported: current quantity of a lot made elsewhere", actor: actor)
            }
            if let stat = plan.values["stat"].flatMap(Int64.fromDatabaseValue), stat != Int64(Stat.live) {
                try db.execute(sql: "UPDATE inventory SET stat = ? WHERE id = ?", arguments: [stat, id])
            }
            summary.created[object.key, default: 0] += 1
        } else {
            try insert(db, table: object.table, plan.values)
            summary.created[object.key, default: 0] += 1
        }
        for child in plan.children {
            var values = child.values
            values[child.child.parentColumn] = id.databaseValue
            let isTag = child.child.table == "inventory_external_id"
            do {
                try insert(db, table: child.child.table, values, orIgnore: isTag, upsert: !isTag)
            } catch {
                throw StoreError.invalid("\(child.path): \(StoreError.from(error, path: path))")
            }
        }
    }

    private func insert(_ db: Database, table: String, _ values: [String: DatabaseValue], orIgnore: Bool = false, upsert: Bool = false) throws {
        let columns = values.keys.sorted()
        let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let marks = columns.map { _ in "?" }.joined(separator: ", ")
        var sql = "INSERT \(orIgnore ? "OR IGNORE " : "")INTO \(table) (\(quoted)) VALUES (\(marks))"
        if upsert {
            let updates = columns.filter { $0 != "id" }.map { "\"\($0)\" = excluded.\"\($0)\"" }
            if !updates.isEmpty { sql += " ON CONFLICT(id) DO UPDATE SET " + updates.joined(separator: ", ") }
        }
        try db.execute(sql: sql, arguments: StatementArguments(columns.map { values[$0] ?? .null }))
    }
}
