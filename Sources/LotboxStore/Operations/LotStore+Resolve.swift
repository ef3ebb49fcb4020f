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

    func resolveProduct(_ db: Database, _ key: String) throws -> Product {
        let id = try resolve(db, "product", table: "product", key: key, columns: ["name"])
        guard let product = try Product.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE id = ?"), arguments: [id]) else { throw StoreError.notFound(kind: "product", key: key) }
        return product
    }

    func resolveVariety(_ db: Database, _ key: String) throws -> String {
        try resolve(db, "variety", table: "variety", key: key, columns: ["name"])
    }

    func resolveSection(_ db: Database, _ key: String) throws -> String {
        try resolve(db, "section", table: "section", key: key, columns: ["name"])
    }

    func resolveCompany(_ db: Database, _ key: String) throws -> String {
        try resolve(db, "company", table: "company", key: key, columns: ["code", "name"])
    }

    /// A lot by id (either case) or by an external identifier printed on its package.
    func resolveLot(_ db: Database, _ key: String) throws -> Lot {
        if let lot = try findLot(db, key) { return lot }
        if let lot = try findLot(db, key.uppercased()) { return lot }
        let ids = try String.fetchAll(db, sql: "SELECT inventory_id FROM inventory_external_id WHERE value = ? LIMIT 5",
                                      arguments: [key])
        if ids.count == 1, let lot = try Lot.fetchOne(db, key: ids[0]) { return lot }
        if ids.count > 1 { throw StoreError.ambiguous(kind: "lot", key: key, matches: ids) }
        throw StoreError.notFound(kind: "lot", key: key)
    }

    /// A lot by exact id, through a cached statement: the hot path of every operation.
    func findLot(_ db: Database, _ id: String) throws -> Lot? {
        try Lot.fetchOne(db.cachedStatement(sql: "SELECT * FROM inventory WHERE id = ?"), arguments: [id])
    }

    /// A lot that must exist (it was just written in this transaction).
    func requireLot(_ db: Database, _ id: String) throws -> Lot {
        guard let lot = try findLot(db, id) else { throw StoreError.notFound(kind: "lot", key: id) }
        return lot
    }
}
