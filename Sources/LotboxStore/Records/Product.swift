import GRDB
import LotboxCore

/// What a lot is (OpenTHC Product): its type, how it is packaged, and its retail price.
public struct Product: StoreRecord, Equatable {
    public static let databaseTableName = "product"
    public var id: String
    public var licenseId: String?
    public var name: String
    /// A Product_Type id.
    public var type: String
    /// bulk, each or pack.
    public var packageType: String
    /// Size of one unit, in ten-thousandths of `packageUnitUom` (3.5 g is 35000).
    public var packageUnitQom: Int64?
    public var packageUnitUom: String
    /// Units per pack, in ten-thousandths (10 is 100000).
    public var packagePackQom: Int64?
    /// Retail price per lot unit, ten-thousandths of a dollar.
    public var unitPrice: Int64?
    public var stat: Int = 200
    public var createdAt: String
    public var updatedAt: String

    /// Decoded by hand: every scan at a kiosk or dock reads a product, and Codable row decoding
    /// costs several times the SQLite lookup itself.
    public init(row: Row) throws {
        id = row["id"]
        licenseId = row["license_id"]
        name = row["name"]
        type = row["type"]
        packageType = row["package_type"]
        packageUnitQom = row["package_unit_qom"]
        packageUnitUom = row["package_unit_uom"]
        packagePackQom = row["package_pack_qom"]
        unitPrice = row["unit_price"]
        stat = row["stat"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    /// What a lot of this product is counted in: its unit's dimension when bulk, else each.
    public var lotDimension: Dimension {
        packageType == PackageType.bulk.rawValue ? (Dimension(rawValue: packageUnitUom) ?? .mass) : .count
    }

    /// "3.5 g each", "10 x 10 mg pack", "bulk g".
    public var packageDescription: String {
        let unit = packageUnitQom.map { Quantity(units: $0, dimension: Dimension(rawValue: packageUnitUom) ?? .mass).description }
        switch packageType {
        case "each": return "\(unit ?? packageUnitUom) each"
        case "pack": return "\(packagePackQom.map { Fixed4(units: $0).description } ?? "?") x \(unit ?? packageUnitUom) pack"
        default: return "bulk \(packageUnitUom)"
        }
    }
}
