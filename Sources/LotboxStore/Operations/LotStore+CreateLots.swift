import GRDB
import LotboxCore

extension LotStore {
    /// Creates many lots in one transaction (imports, receiving a manifest, benchmarks): all or
    /// none. The rows travel to SQLite as one JSON array per table, inserted by a single
    /// statement each: a statement per lot would reopen every table and index cursor, and the
    /// store's triggers, for each row, which costs three times as much.
    @discardableResult
    public func createLots(_ lots: [NewLot], actor: String) throws -> [String] {
        guard !lots.isEmpty else { return [] }
        return try write { db in
            let ids = try issueIDs(db, count: lots.count)
            var cache = ResolvedReferences()
            var rows = "["
            rows.reserveCapacity(lots.count * 180)
            var tags = "["
            var tagCount = 0
            for (index, (id, new)) in zip(ids, lots).enumerated() {
                let row = try resolveRow(db, new, cache: &cache)
                if index > 0 { rows.append(",") }
                rows.append("[\"")
                rows.append(id)
                rows.append("\",")
                for reference in [row.licenseID, row.productID, row.varietyID, row.sectionID] {
                    rows.append(JSONText.quoted(reference))
                    rows.append(",")
                }
                rows.append(String(row.qty))
                rows.append(",")
                rows.append(new.name.map(JSONText.quoted) ?? "null")
                rows.append(",\"")
                rows.append(new.origin.rawValue)
                rows.append("\"]")
                for (kind, value) in new.externalIDs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    let trimmed = value.trimmingWhitespace()
                    guard !trimmed.isEmpty else { throw StoreError.invalid("\(kind.rawValue) id is empty; expected the identifier text") }
                    if tagCount > 0 { tags += "," }
                    tags += "[\"\(id)\",\"\(kind.rawValue)\"," + JSONText.quoted(trimmed) + "]"
                    tagCount += 1
                }
            }
            rows += "]"
            tags += "]"
            try db.cachedStatement(sql: """
                INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, qty, qty_initial, name, origin,
                                       meta, created_at, updated_at)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 5,
                       value ->> 6, value ->> 7, ?, ?, ?
                FROM json_each(?)
                """).execute(arguments: [cache.meta(actor: actor), cache.now, cache.now, rows])
            if tagCount > 0 {
                do {
                    try db.cachedStatement(sql: """
                        INSERT INTO inventory_external_id (inventory_id, kind, value, created_at)
                        SELECT value ->> 0, value ->> 1, value ->> 2, ? FROM json_each(?)
                        """).execute(arguments: [cache.now, tags])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw try duplicateTag(db, tags) ?? StoreError.from(error, path: path)
                }
            }
            try audit(db, actor: actor, action: "create-batch", objectType: "inventory", objectID: ids.first,
                      detail: ["count": String(ids.count), "last": ids.last ?? ""])
            return ids
        }
    }

    /// Names the first tag of a refused batch that another lot (or the batch itself) already carries.
    private func duplicateTag(_ db: Database, _ tags: String) throws -> StoreError? {
        var seen: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT value ->> 0 AS lot, value ->> 1 AS kind, value ->> 2 AS tag FROM json_each(?)", arguments: [tags]) {
            let lot: String = row["lot"], kind: String = row["kind"], tag: String = row["tag"]
            if kind != ExternalIDKind.gtin.rawValue {
                if let owner = seen[kind + "\u{1F}" + tag] {
                    return .conflict("\(kind) id '\(tag)' is given to two lots in one batch (\(owner) and \(lot))")
                }
                seen[kind + "\u{1F}" + tag] = lot
                if let owner = try String.fetchOne(db, sql: "SELECT inventory_id FROM inventory_external_id WHERE kind = ? AND value = ?",
                                                   arguments: [kind, tag]) {
                    return .conflict("\(kind) id '\(tag)' already belongs to lot \(owner)")
                }
            }
        }
        return nil
    }
}
