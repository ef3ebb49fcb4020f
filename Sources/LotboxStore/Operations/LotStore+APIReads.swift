import GRDB

extension LotStore {
    /// ``lotView(id:license:)``'s statement.
    static let lotViewSQL = "\(LotView.select) \(LotView.from) WHERE i.id = ? AND i.license_id = ?"

    /// The lot with this exact id if it belongs to `license`, else nil: another license's lot is
    /// as unknown to a session as one that does not exist.
    public func lotView(id: String, license: String) throws -> LotView? {
        try readOne { db in
            try PositionalRow.first(db.cachedStatement(sql: Self.lotViewSQL), arguments: [id, license], LotView.init)
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

extension LotStore {
    /// The change feed as one license may see it: its own lots, sections, varieties, products, vehicles,
    /// transfers (either side), sales and lab rows, the shared rows, and the directory (companies,
    /// licenses, contacts). Any other kind of object is left out rather than shown to everyone.
    public func changes(after cursor: Int64, license: String, limit: Int = 500) throws -> [ChangeEvent] {
        try read { db in
            try ChangeEvent.fetchAll(db.cachedStatement(sql: """
                SELECT c.* FROM change_event c
                 WHERE c.id > ?1 AND (
                   c.object_type IN ('company', 'license', 'contact')
                   OR (c.object_type = 'inventory' AND EXISTS (SELECT 1 FROM inventory x WHERE x.id = c.object_id AND x.license_id = ?2))
                   OR (c.object_type = 'section' AND EXISTS (SELECT 1 FROM section x WHERE x.id = c.object_id AND coalesce(x.license_id, ?2) = ?2))
                   OR (c.object_type = 'product' AND EXISTS (SELECT 1 FROM product x WHERE x.id = c.object_id AND coalesce(x.license_id, ?2) = ?2))
                   OR (c.object_type = 'variety' AND EXISTS (SELECT 1 FROM variety x WHERE x.id = c.object_id AND coalesce(x.license_id, ?2) = ?2))
                   OR (c.object_type = 'vehicle' AND EXISTS (SELECT 1 FROM vehicle x WHERE x.id = c.object_id AND x.license_id = ?2))
                   OR (c.object_type IN ('b2b_incoming', 'b2b_outgoing') AND (
                         EXISTS (SELECT 1 FROM b2b_incoming x WHERE x.id = c.object_id AND ?2 IN (x.source_license_id, x.target_license_id))
                         OR EXISTS (SELECT 1 FROM b2b_outgoing x WHERE x.id = c.object_id AND ?2 IN (x.source_license_id, x.target_license_id))))
                   OR (c.object_type = 'b2c_sale' AND EXISTS (SELECT 1 FROM b2c_sale x WHERE x.id = c.object_id AND x.license_id = ?2))
                   OR (c.object_type = 'lab_result' AND EXISTS (SELECT 1 FROM lab_result x WHERE x.id = c.object_id AND x.license_id = ?2))
                   OR (c.object_type = 'lab_sample' AND EXISTS (SELECT 1 FROM lab_sample x WHERE x.id = c.object_id AND x.license_id = ?2))
                 )
                 ORDER BY c.id LIMIT ?3
                """), arguments: [cursor, license, limit])
        }
    }
}

extension LotStore {
    /// Print jobs of one license's lots (lot labels) and sales (receipts), oldest first.
    public func printJobs(license: String, limit: Int = 1_000) throws -> [PrintJob] {
        try read { db in
            try PrintJob.fetchAll(db.cachedStatement(sql: """
                SELECT j.* FROM print_job j
                 WHERE EXISTS (SELECT 1 FROM inventory i WHERE i.id = j.object_id AND i.license_id = ?1)
                    OR EXISTS (SELECT 1 FROM b2c_sale s WHERE s.id = j.object_id AND s.license_id = ?1)
                 ORDER BY j.id LIMIT ?2
                """), arguments: [license, limit])
        }
    }
}
