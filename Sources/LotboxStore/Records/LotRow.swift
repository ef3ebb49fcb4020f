import GRDB

/// A lot as a listing or an API reply shows it: the row and the unit its quantities are in
/// (`g`, `l` or `ea`, from its product), read together in one statement.
public struct LotRow: Sendable, Equatable, FetchableRecord {
    public var lot: Lot
    /// g or l for a bulk product's lots, ea for lots counted each or by the pack.
    public var uom: String

    public init(lot: Lot, uom: String) {
        self.lot = lot
        self.uom = uom
    }

    /// Reads `inventory.*` and a `uom` column (see ``LotRow/select``).
    public init(row: Row) throws {
        lot = try Lot(row: row)
        uom = row["uom"]
    }

    /// The select list every reader of lot rows uses, over `inventory i JOIN product p`.
    static let select = "SELECT i.*, CASE p.package_type WHEN 'bulk' THEN p.package_unit_uom ELSE 'ea' END AS uom"
    static let from = "FROM inventory i JOIN product p ON p.id = i.product_id"
}
