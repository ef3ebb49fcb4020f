import GRDB

/// A lot as a listing or the REST API shows it: the row and the unit its quantities are in
/// (`g` or `l` for a bulk product's lots, `ea` for lots counted each or by the pack), read
/// together in one statement.
public struct LotView: Sendable, Equatable, FetchableRecord {
    public var lot: Lot
    public var uom: String

    public init(lot: Lot, uom: String) {
        self.lot = lot
        self.uom = uom
    }

    /// Reads the lot's columns and a `uom` column (see ``LotView/select``).
    public init(row: Row) throws {
        lot = try Lot(row: row)
        uom = row["uom"]
    }

    /// What every reader of lot views selects, over ``from``.
    static let select = "SELECT \(Lot.selectList("i")), \(lotUnit("p")) AS uom"
    static let from = "FROM inventory i JOIN product p ON p.id = i.product_id"

    /// The SQL for the unit a lot of product `alias` is counted in: a bulk product's unit, else
    /// `ea` (a 3.5 g jar is counted in jars, not grams).
    static func lotUnit(_ alias: String) -> String {
        "CASE \(alias).package_type WHEN 'bulk' THEN \(alias).package_unit_uom ELSE 'ea' END"
    }
}
