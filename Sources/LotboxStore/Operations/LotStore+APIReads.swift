import GRDB

/// A lot as the REST API shows it: the row and its product's unit, read in one statement.
public struct LotView: Sendable, Equatable {
    public var lot: Lot
    public var uom: String

    public init(lot: Lot, uom: String) {
        self.lot = lot
        self.uom = uom
    }
}

extension LotStore {
    /// The lot with this exact id if it belongs to `license`, else nil: another license's lot is
    /// as unknown to a session as one that does not exist.
    public func lotView(id: String, license: String) throws -> LotView? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT inventory.*, product.package_unit_uom AS uom FROM inventory JOIN product ON product.id = inventory.product_id
                 WHERE inventory.id = ? AND inventory.license_id = ?
                """), arguments: [id, license]).map { row in LotView(lot: try Lot(row: row), uom: row["uom"]) }
        }
    }
}
