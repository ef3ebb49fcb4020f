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
            try insertLots(db, ids: ids, lots, actor: actor, cache: &cache)
            try audit(db, actor: actor, action: "create-batch", objectType: "inventory", objectID: ids.first,
                      detail: ["count": String(ids.count), "last": ids.last ?? ""])
            return ids
        }
    }

    /// Inserts `lots` under `ids` (in that order, which the change feed and so the labels follow)
    /// with their identifiers, 500 rows to a statement, inside the caller's transaction: a batch
    /// of lots, or the lots an accept makes of a manifest's packages.
    func insertLots(_ db: Database, ids: [String], _ lots: [NewLot], actor: String, cache: inout ResolvedReferences) throws {
        let meta = cache.meta(actor: actor).databaseValue, now = cache.now.databaseValue
        var tagValues: [DatabaseValue] = []
        // A batch's lots usually share their references and quantity: reuse the last lot's
        // resolved row when its keys are the same (no hashing of five keys per lot).
        var rows: [ResolvedRow] = []
        rows.reserveCapacity(lots.count)
        var previous: (new: NewLot, row: ResolvedRow)?
        for (id, new) in zip(ids, lots) {
            if let last = previous, last.new.sameReferences(as: new) {
                rows.append(last.row)
            } else {
                let row = try resolveRow(db, new, cache: &cache)
                rows.append(row)
                previous = (new, row)
            }
            if !new.externalIDs.isEmpty {
                for (kind, value) in new.externalIDs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    let stored = try Self.checkedExternalID(kind, value)
                    tagValues += [id.databaseValue, kind.rawValue.databaseValue, stored.databaseValue]
                }
            }
        }
        // Runs of lots with the same license, product, variety, section and origin bind those
        // once per statement and three values a lot; the rest bind eight values a lot. Order
        // is kept: the change feed (and so the labels) follows the batch.
        var mixed: [DatabaseValue] = []
        func flushMixed() throws {
            try LotStore.executeBatch(db, LotStore.lotInserts, shared: [meta, now], rows: mixed, columns: LotStore.lotColumnsBound)
            mixed.removeAll(keepingCapacity: true)
        }
        var index = 0
        while index < lots.count {
            var end = index + 1
            while end < lots.count && rows[end].sameReferences(as: rows[index]) && lots[end].origin == lots[index].origin { end += 1 }
            if end - index >= LotStore.sharedRunMinimum {
                try flushMixed()
                let first = rows[index]
                let shared: [DatabaseValue] = [meta, now, first.licenseID.databaseValue, first.productID.databaseValue,
                                               first.varietyID.databaseValue, first.sectionID.databaseValue, lots[index].origin.rawValue.databaseValue]
                var run: [DatabaseValue] = []
                run.reserveCapacity((end - index) * 3)
                for at in index..<end {
                    run += [ids[at].databaseValue, lots[at].name.databaseValue, rows[at].qty.databaseValue]
                }
                try LotStore.executeBatch(db, LotStore.sharedInserts, shared: shared, rows: run, columns: 3)
            } else {
                for at in index..<end {
                    let row = rows[at]
                    mixed += [ids[at].databaseValue, row.licenseID.databaseValue, row.productID.databaseValue, row.varietyID.databaseValue,
                              row.sectionID.databaseValue, lots[at].name.databaseValue, row.qty.databaseValue,
                              lots[at].origin.rawValue.databaseValue]
                }
            }
            index = end
        }
        try flushMixed()
        do {
            try LotStore.executeBatch(db, LotStore.tagInserts, shared: [now], rows: tagValues, columns: 3)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw try duplicateTag(db, tagValues) ?? StoreError.from(error, path: path)
        }
    }

    static let rowsPerStatement = 500

    /// The rows a batch's statements hold, largest first: a batch is cut into statements of
    /// these sizes only, so each is prepared once per connection and then taken from its cache.
    /// Preparing an insert of 50 lots with its triggers cost a third of an accept's time; a
    /// statement of each odd size would fill the cache with every batch size ever seen.
    static let statementSizes = [rowsPerStatement, 100, 20, 5, 1]

    /// How many of `remaining` rows the next statement takes.
    static func statementRows(_ remaining: Int) -> Int {
        statementSizes.first { $0 <= remaining } ?? 1
    }

    /// A run this long of lots sharing their references goes in with them bound once.
    static let sharedRunMinimum = 16

    /// Each statement's SQL, built once per size. Lots that share license, product, variety,
    /// section and origin: those are ?3...?7, and each row is (id, name, qty).
    static let sharedInserts = sqlBySize { rows in
        """
        INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, name, qty, qty_initial, origin,
                               meta, created_at, updated_at)
        SELECT column1, ?3, ?4, ?5, ?6, column2, column3, column3, ?7, ?1, ?2, ?2
        FROM (VALUES \(LotStore.placeholders(rows: rows, columns: 3, from: 8)))
        """
    }
    /// Lots one after the other, eight values each (``lotColumnsBound``), after the batch's
    /// actor and time.
    static let lotInserts = sqlBySize { rows in
        """
        INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, name, qty, qty_initial, origin,
                               meta, created_at, updated_at)
        SELECT column1, column2, column3, column4, column5, column6, column7, column7, column8, ?1, ?2, ?2
        FROM (VALUES \(LotStore.placeholders(rows: rows, columns: LotStore.lotColumnsBound, from: 3)))
        """
    }
    /// External identifiers, (lot, kind, value) after each other, after the batch's time.
    static let tagInserts = sqlBySize { rows in
        """
        INSERT INTO inventory_external_id (inventory_id, kind, value, created_at)
        SELECT column1, column2, column3, ?1 FROM (VALUES \(LotStore.placeholders(rows: rows, columns: 3, from: 2)))
        """
    }

    /// A statement's SQL for each of ``statementSizes``, indexed by its rows (the other indexes
    /// are empty).
    static func sqlBySize(_ make: (Int) -> String) -> [String] {
        var list = [String](repeating: "", count: rowsPerStatement + 1)
        for size in statementSizes { list[size] = make(size) }
        return list
    }

    /// Runs one of a ``sqlBySize`` family over `rows` (values of `columns` each, one row after
    /// another), cut into statements of ``statementSizes``, each bound with `shared` first.
    static func executeBatch(_ db: Database, _ sql: [String], shared: [DatabaseValue], rows: [DatabaseValue], columns: Int) throws {
        var done = 0
        let total = rows.count / columns
        while done < total {
            let count = statementRows(total - done)
            try db.cachedStatement(sql: sql[count])
                .execute(arguments: StatementArguments(shared + rows[(done * columns)..<((done + count) * columns)]))
            done += count
        }
    }

    /// Values bound per lot; the batch's actor and time are bound once per statement.
    static let lotColumnsBound = 8

    /// `(?3,?4),(?5,?6)`: numbered so the constants bound first can be reused in every row.
    static func placeholders(rows: Int, columns: Int, from first: Int) -> String {
        var text = ""
        text.reserveCapacity(rows * columns * 6)
        var number = first
        for row in 0..<rows {
            text += row == 0 ? "(" : ",("
            for column in 0..<columns {
                if column > 0 { text += "," }
                text += "?\(number)"
                number += 1
            }
            text += ")"
        }
        return text
    }

    /// Names the first tag of a refused batch that another lot (or the batch itself) already carries.
    private func duplicateTag(_ db: Database, _ values: [DatabaseValue]) throws -> StoreError? {
        var seen: [String: String] = [:]
        for index in stride(from: 0, to: values.count, by: 3) {
            guard let lot = String.fromDatabaseValue(values[index]), let kind = String.fromDatabaseValue(values[index + 1]),
                  let tag = String.fromDatabaseValue(values[index + 2]), ExternalIDKind(rawValue: kind)?.namesOnePackage == true else { continue }
            if let owner = seen[kind + "\u{1F}" + tag] {
                return .conflict("\(kind) id '\(tag)' is given to two lots in one batch (\(owner) and \(lot))")
            }
            seen[kind + "\u{1F}" + tag] = lot
            // A row an earlier statement of the batch already wrote belongs to its own lot.
            if let owner = try String.fetchOne(db, sql: "SELECT inventory_id FROM inventory_external_id WHERE kind = ? AND value = ?",
                                               arguments: [kind, tag]), owner != lot {
                return .conflict("\(kind) id '\(tag)' already belongs to lot \(owner)")
            }
        }
        return nil
    }
}
