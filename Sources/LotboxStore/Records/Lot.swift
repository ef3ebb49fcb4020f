import GRDB
import LotboxCore

/// An inventory lot (OpenTHC Inventory). `qty` is the sum of the lot's ledger, always.
public struct Lot: StoreRecord, Equatable {
    public static let databaseTableName = "inventory"
    public var id: String
    public var licenseId: String
    public var productId: String
    public var varietyId: String
    public var sectionId: String
    public var name: String?
    /// Ten-thousandths of the product's lot unit (see ``Product/lotDimension``).
    public var qty: Int64
    public var qtyInitial: Int64
    public var labResultId: String?
    public var origin: String
    public var stat: Int
    public var flag: Int
    public var createdAt: String
    public var updatedAt: String
    public var deletedAt: String?
    public var meta: String?

    /// Decoded by hand: lots are read on every scan and label, and Codable row decoding costs
    /// several times the SQLite lookup itself.
    public init(row: Row) throws {
        id = row["id"]
        licenseId = row["license_id"]
        productId = row["product_id"]
        varietyId = row["variety_id"]
        sectionId = row["section_id"]
        name = row["name"]
        qty = row["qty"]
        qtyInitial = row["qty_initial"]
        labResultId = row["lab_result_id"]
        origin = row["origin"]
        stat = row["stat"]
        flag = row["flag"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        deletedAt = row["deleted_at"]
        meta = row["meta"]
    }

    public var isVoid: Bool { stat == Stat.voidRequested || stat == Stat.voidConfirmed }
}
