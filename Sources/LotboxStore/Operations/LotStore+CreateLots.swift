import GRDB
import LotboxCore

extension LotStore {
    /// Creates many lots in one transaction (imports, receiving a manifest, benchmarks): all or
    /// none. Rows go in 500 to a statement: a statement per lot would reopen every table and
    /// index cursor for each row, which costs several times as much.
    @discardableResult
    public func createLots(_ lots: [NewLot], actor: String) throws -> [String] {
        guard !lots.isEmpty else { return [] }
        return try write { db in
            let ids = try issueIDs(db, count: lots.count)
            var cache = ResolvedReferences()
            let meta = cache.meta(actor: actor).databaseValue
            let now = cache.now.databaseValue
            var lotValues: [DatabaseValue] = []
            lotValues.reserveCapacity(min(lots.count, LotStore.rowsPerStatement) * 12)
            var tagValues: [DatabaseValue] = []
            for (id, new) in zip(ids, lots) {
                let row = try resolveRow(db, new, cache: &cache)
                let qty = row.qty.databaseValue
                lotValues += [id.databaseValue, row.licenseID.databaseValue, row.productID.databaseValue,
                              row.varietyID.databaseValue, row.sectionID.databaseValue, new.name.databaseValue,
                              qty, qty, new.origin.rawValue.databaseValue, meta, now, now]
                for (kind, value) in new.externalIDs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    let trimmed = value.trimmingWhitespace()
                    guard !trimmed.isEmpty else { throw StoreError.invalid("\(kind.rawValue) id is empty; expected the identifier text") }
                    tagValues += [id.databaseValue, kind.rawValue.databaseValue, trimmed.databaseValue, now]
                }
                if lotValues.count == LotStore.rowsPerStatement * 12 {
                    try insertRows(db, table: "inventory", columns: LotStore.lotColumns, values: lotValues)
                    lotValues.removeAll(keepingCapacity: true)
                }
            }
            if !lotValues.isEmpty {
                try insertRows(db, table: "inventory", columns: LotStore.lotColumns, values: lotValues)
            }
            var start = 0
            while start < tagValues.count {
                let end = min(start + LotStore.rowsPerStatement * 4, tagValues.count)
                do {
                    try insertRows(db, table: "inventory_external_id", columns: ["inventory_id", "kind", "value", "created_at"],
                                   values: Array(tagValues[start..<end]))
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw try duplicateTag(db, tagValues) ?? StoreError.from(error, path: path)
                }
                start = end
            }
            try audit(db, actor: actor, action: "create-batch", objectType: "inventory", objectID: ids.first,
                      detail: ["count": String(ids.count), "last": ids.last ?? ""])
            return ids
        }
    }

    static let rowsPerStatement = 500
    static let lotColumns = ["id", "license_id", "product_id", "variety_id", "section_id", "name", "qty", "qty_initial",
                             "origin", "meta", "created_at", "updated_at"]

    /// One INSERT of many rows (`values` holds them one after the other).
    private func insertRows(_ db: Database, table: String, columns: [String], values: [DatabaseValue]) throws {
        let rowCount = values.count / columns.count
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rowCount).joined(separator: ",")
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values))
    }

    /// Names the first tag of a refused batch that another lot (or the batch itself) already carries.
    private func duplicateTag(_ db: Database, _ values: [DatabaseValue]) throws -> StoreError? {
        var seen: [String: String] = [:]
        for index in stride(from: 0, to: values.count, by: 4) {
            guard let lot = String.fromDatabaseValue(values[index]), let kind = String.fromDatabaseValue(values[index + 1]),
                  let tag = String.fromDatabaseValue(values[index + 2]), kind != ExternalIDKind.gtin.rawValue else { continue }
            if let owner = seen[kind + "\u{1F}" + tag] {
                return .conflict("\(kind) id '\(tag)' is given to two lots in one batch (\(owner) and \(lot))")
            }
            seen[kind + "\u{1F}" + tag] = lot
            if let owner = try String.fetchOne(db, sql: "SELECT inventory_id FROM inventory_external_id WHERE kind = ? AND value = ?",
                                               arguments: [kind, tag]) {
                return .conflict("\(kind) id '\(tag)' already belongs to lot \(owner)")
            }
        }
        return nil
    }
}
