import GRDB

extension LotStore {
    /// The lot with this exact id if it belongs to `license`, else nil: another license's lot is
    /// as unknown to a session as one that does not exist.
    public func lotView(id: String, license: String) throws -> LotView? {
        try read { db in
            try LotView.fetchOne(db.cachedStatement(sql: "\(LotView.select) \(LotView.from) WHERE i.id = ? AND i.license_id = ?"),
                                 arguments: [id, license])
        }
    }
}

/// Whose a referenced row is: a row of one license, a row shared by every license (no license),
/// or no row at all.
public enum RowOwner: Sendable, Equatable {
    case license(String)
    case shared
    case missing
}

extension LotStore {
    /// The owner of a section, product or variety named by exact id (tables with a
    /// `license_id`; a table without one is shared). A session may use its own and shared rows.
    public func owner(of table: OwnedTable, id: String) throws -> RowOwner {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(table.rawValue) WHERE id = ?"), arguments: [id]) else {
                return .missing
            }
            guard row.hasColumn("license_id"), let license = row["license_id"] as String? else { return .shared }
            return .license(license)
        }
    }

    /// Renames a lot (the name printed on its label), with its audit line.
    @discardableResult
    public func renameLot(_ id: String, name: String?, actor: String) throws -> Lot {
        if let name { try requireName(name, "lot name") }
        return try write { db in
            let lot = try resolveLot(db, id)
            try refuseVoid(lot)
            try db.execute(sql: "UPDATE inventory SET name = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [name, lot.id])
            try audit(db, actor: actor, action: "rename", objectType: "inventory", objectID: lot.id, detail: ["name": name ?? ""])
            return try requireLot(db, lot.id)
        }
    }
}

/// The tables whose rows a license may own.
public enum OwnedTable: String, Sendable {
    case section, product, variety
}

extension LotStore {
    /// The unit a product's lots are counted in (g, l or ea), for quantities given as bare
    /// numbers, as OpenTHC clients send them; nil for an unknown product.
    public func lotUnit(ofProduct id: String) throws -> String? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT \(LotView.lotUnit("product")) FROM product WHERE id = ?"), arguments: [id])
        }
    }
}
