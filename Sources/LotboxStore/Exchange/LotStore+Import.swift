import Foundation
import GRDB
import LotboxCore

/// What an import did, per object type.
public struct ImportSummary: Sendable, Equatable {
    public var created: [String: Int] = [:]
    public var updated: [String: Int] = [:]
    /// Lots already in the store are left as they are: their history here is the truth.
    public var skippedLots = 0
}

extension LotStore {
    /// Imports an OpenTHC JSON document (as `lotbox export` writes it, or the `data` object
    /// alone) in one transaction: all of it or, on the first bad object, none of it.
    ///
    /// Reference objects are created or updated by id. New lots are marked `imported` (so no
    /// label is printed for existing stock); their history elsewhere arrives as an opening
    /// entry of `qty_initial` and one `correction` down to `qty`. Lots already here are skipped.
    public func importDocument(_ data: Data, actor: String) throws -> ImportSummary {
        let parsed = try JSONDocument.parse(data, what: "import: the file", expected: "an OpenTHC document from `lotbox export`")
        guard let top = parsed as? [String: Any] else {
            throw StoreError.invalid("import: expected a JSON object with a \"data\" key; got \(type(of: parsed))")
        }
        let body = (top["data"] as? [String: Any]) ?? top
        let known = Set(ExchangeObject.all.map(\.key))
        if let unknown = body.keys.first(where: { !known.contains($0) }) {
            throw StoreError.invalid("import: unknown object list '\(unknown)'; expected some of \(ExchangeObject.all.map(\.key).joined(separator: ", "))")
        }
        return try write { db in
            var summary = ImportSummary()
            for object in ExchangeObject.all {
                guard let value = body[object.key] else { continue }
                guard let list = value as? [[String: Any]] else {
                    throw StoreError.invalid("import: \"\(object.key)\" must be a list of objects")
                }
                let columns = try tableColumns(db, object.table)
                for json in list {
                    guard let id = json["id"] as? String, !id.isEmpty else {
                        throw StoreError.invalid("import: a \(object.key) object has no \"id\"; every object needs its id")
                    }
                    do {
                        try importObject(db, object, json, id: id, columns: columns, actor: actor, summary: &summary)
                    } catch let error as StoreError {
                        throw StoreError.invalid("import: \(object.key) \(id): \(error)")
                    } catch {
                        throw StoreError.invalid("import: \(object.key) \(id): \(StoreError.from(error, path: path))")
                    }
                }
            }
            // Lab results name the lots they cover; the lots exist by now.
            if let results = body["lab_result"] as? [[String: Any]] {
                for result in results {
                    guard let id = result["id"] as? String, let lots = result["inventory_list"] as? [Any] else { continue }
                    for lot in lots {
                        guard let lotID = reference(lot) else { continue }
                        try db.execute(sql: "INSERT OR IGNORE INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)",
                                       arguments: [id, lotID])
                    }
                }
            }
            try audit(db, actor: actor, action: "import", objectType: "document", objectID: nil,
                      detail: ["created": summary.created.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","),
                               "skipped_lots": String(summary.skippedLots)])
            return summary
        }
    }

    private func importObject(_ db: Database, _ object: ExchangeObject, _ json: [String: Any], id: String,
                              columns: [String], actor: String, summary: inout ImportSummary) throws {
        let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM \(object.table) WHERE id = ?", arguments: [id]) == true
        if object.key == "inventory" {
            if exists { summary.skippedLots += 1; return }
            var values = try rowValues(json, columns: columns, object: object)
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
            if let stat = Int64.fromDatabaseValue(try rowValues(json, columns: ["stat"], object: object)["stat"] ?? .null),
               stat != Int64(Stat.live) {
                try db.execute(sql: "UPDATE inventory SET stat = ? WHERE id = ?", arguments: [stat, id])
            }
            summary.created[object.key, default: 0] += 1
        } else {
            let values = try rowValues(json, columns: columns, object: object)
            if exists {
                let assignments = values.keys.filter { $0 != "id" }.sorted()
                if !assignments.isEmpty {
                    try db.execute(sql: "UPDATE \(object.table) SET \(assignments.map { "\"\($0)\" = ?" }.joined(separator: ", ")) WHERE id = ?",
                                   arguments: StatementArguments(assignments.map { values[$0] ?? .null } + [id.databaseValue]))
                }
                summary.updated[object.key, default: 0] += 1
            } else {
                try insert(db, table: object.table, values)
                summary.created[object.key, default: 0] += 1
            }
        }
        for child in object.children {
            guard let list = json[child.key] as? [[String: Any]] else { continue }
            let childColumns = try tableColumns(db, child.table)
            for item in list {
                var values = try rowValues(item, columns: childColumns, object: ExchangeObject(
                    key: child.key, table: child.table, fixed4: child.fixed4, renamed: [:], children: []))
                values[child.parentColumn] = id.databaseValue
                if child.table == "inventory_external_id" { values["id"] = nil }
                try insert(db, table: child.table, values, orIgnore: child.table == "inventory_external_id", upsert: child.table != "inventory_external_id")
            }
        }
    }

    /// A JSON object's values for the table's columns: `{"id": x}` references into `x_id`
    /// columns, decimals into ten-thousandths. Keys the table has no column for (`x-vendor` keys,
    /// lists) are left out.
    private func rowValues(_ json: [String: Any], columns: [String], object: ExchangeObject) throws -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [:]
        for column in columns {
            let name = column == "id" ? "id" : object.jsonName(column)
            guard let raw = json[name] ?? json[column] else { continue }
            if raw is NSNull { values[column] = .null; continue }
            if column != "id" && column.hasSuffix("_id") {
                guard let id = reference(raw) else {
                    throw StoreError.invalid("\"\(name)\" must be an id or {\"id\": …}")
                }
                values[column] = id.databaseValue
            } else if object.fixed4.contains(column) {
                let text = (raw as? String) ?? "\(raw)"
                do {
                    values[column] = try Fixed4(parsing: text, allowNegative: true).units.databaseValue
                } catch {
                    throw StoreError.invalid("\"\(name)\" value '\(text)' is not an exact decimal; expected e.g. \"2200.0000\"")
                }
            } else if let text = raw as? String {
                values[column] = text.databaseValue
            } else if let number = raw as? NSNumber {
                values[column] = number.int64Value.databaseValue
            } else if let nested = raw as? [String: Any] {
                guard let data = try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys]) else { continue }
                values[column] = String(decoding: data, as: UTF8.self).databaseValue
            }
        }
        return values
    }

    private func reference(_ raw: Any) -> String? {
        if let text = raw as? String { return text }
        if let object = raw as? [String: Any], let id = object["id"] as? String { return id }
        return nil
    }

    private func tableColumns(_ db: Database, _ table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
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
