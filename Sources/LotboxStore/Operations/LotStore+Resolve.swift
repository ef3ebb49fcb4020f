import GRDB

extension LotStore {
    /// Finds one row by id, or else by any of `columns` ignoring case. People type names and
    /// license numbers; scripts pass ids. Both work, and an ambiguous name is refused.
    func resolve(_ db: Database, _ kind: String, table: String, key: String, columns: [String]) throws -> String {
        if let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM \(table) WHERE id = ?"), arguments: [key]) {
            return id
        }
        let condition = columns.map { "\($0) = ? COLLATE NOCASE" }.joined(separator: " OR ")
        let matches = try Row.fetchAll(db, sql: "SELECT id, name FROM \(table) WHERE \(condition) LIMIT 5",
                                       arguments: StatementArguments(columns.map { _ in key }))
        switch matches.count {
        case 0: throw StoreError.notFound(kind: kind, key: key)
        case 1: return matches[0]["id"]
        default:
            // A license is named by its code and name, which a person can tell apart.
            let shown = try matches.map { row in
                table == "license" ? "\(try licenseLabel(db, row["id"])) (\(row["id"] as String))" : "\(row["id"] as String) (\(row["name"] as String))"
            }
            throw StoreError.ambiguous(kind: kind, key: key, matches: shown)
        }
    }

    func resolveLicense(_ db: Database, _ key: String) throws -> String {
        try resolve(db, "license", table: "license", key: key, columns: ["code", "name"])
    }

    /// How a message names a license: its code and name ("G-412345 Green Acres"), never its
    /// ULID, which no one at a counter can match to anything.
    func licenseLabel(_ db: Database, _ id: String) throws -> String {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT code, name FROM license WHERE id = ?"), arguments: [id]) else {
            return "license \(id)"
        }
        let name: String = row["name"]
        guard let code = row["code"] as String?, !code.isEmpty else { return "license '\(name)'" }
        return "license \(code) \(name)"
    }

    func resolveProduct(_ db: Database, _ key: String, license: String? = nil) throws -> Product {
        let id = try resolveOwned(db, "product", table: "product", key: key, license: license)
        guard let product = try Product.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE id = ?"), arguments: [id]) else { throw StoreError.notFound(kind: "product", key: key) }
        return product
    }

    func resolveVariety(_ db: Database, _ key: String, license: String? = nil) throws -> String {
        try resolveOwned(db, "variety", table: "variety", key: key, license: license)
    }

    func resolveSection(_ db: Database, _ key: String, license: String? = nil) throws -> String {
        try resolveOwned(db, "section", table: "section", key: key, license: license)
    }

    /// Finds a section, variety or product by id or name as `license` sees it: its own rows and
    /// the rows without a license (every license's). Another license's row is not found, by id
    /// or by name. Without a license every row counts, and a name two licenses use is refused as
    /// ambiguous, naming both.
    func resolveOwned(_ db: Database, _ kind: String, table: String, key: String, license: String?) throws -> String {
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, license_id FROM \(table) WHERE id = ?"), arguments: [key]) {
            let owner: String? = row["license_id"]
            guard let license, let owner, owner != license else { return row["id"] }
            throw StoreError.notFound(kind: kind, key: key)
        }
        let matches = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, name, license_id FROM \(table)
             WHERE name = ? COLLATE NOCASE AND (?2 IS NULL OR license_id IS NULL OR license_id = ?2) ORDER BY id LIMIT 6
            """), arguments: [key, license])
        switch matches.count {
        case 0: throw StoreError.notFound(kind: kind, key: key)
        case 1: return matches[0]["id"]
        default:
            let shown = try matches.map { row in
                let owner = try (row["license_id"] as String?).map { try licenseLabel(db, $0) } ?? "every license"
                return "\(row["id"] as String) (\(row["name"] as String), \(owner))"
            }
            throw StoreError.ambiguous(kind: kind, key: key, matches: shown)
        }
    }

    func resolveCompany(_ db: Database, _ key: String) throws -> String {
        try resolve(db, "company", table: "company", key: key, columns: ["code", "name"])
    }

    /// A lot by id (either case) or by an external identifier printed on its package (either
    /// case; the newest live lot when several carry it).
    func resolveLot(_ db: Database, _ key: String) throws -> Lot {
        if let lot = try findLot(db, key) { return lot }
        if let lot = try findLot(db, key.uppercased()) { return lot }
        if let lot = try lotCarrying(db, key) { return lot }
        throw StoreError.notFound(kind: "lot", key: key)
    }

    /// A lot by exact id, through a cached statement: the hot path of every operation.
    func findLot(_ db: Database, _ id: String) throws -> Lot? {
        try PositionalRow.first(db.cachedStatement(sql: Self.findLotSQL), arguments: [id]) { try Lot($0) }
    }

    /// ``findLot(_:_:)``'s statement: its columns named, as a read of one statement's must be.
    static let findLotSQL = "SELECT \(Lot.inventorySelectList) FROM inventory WHERE id = ?"

    /// A lot that must exist (it was just written in this transaction).
    func requireLot(_ db: Database, _ id: String) throws -> Lot {
        guard let lot = try findLot(db, id) else { throw StoreError.notFound(kind: "lot", key: id) }
        return lot
    }
}
