import GRDB
import LotboxCore

/// What a new product is: its type, how it is packaged, its price.
public struct NewProduct: Sendable {
    public var name: String
    /// A Product_Type id or name ("Flower/Dry", "pre-roll").
    public var typeKey: String
    public var packageType: PackageType
    /// bulk: the unit lots are measured in (g, l or ea); each/pack: the size of one unit ("3.5 g").
    public var unit: String?
    /// pack: how many units in one pack.
    public var packCount: String?
    public var unitPrice: String?
    public var licenseKey: String?
    /// Retail codes printed on the product (UPC-A, EAN-8/13, GTIN-14), so a kiosk scan finds it.
    public var codes: [String]
    /// The caller's choice of id; nil: a new ULID. The same product added again under it is
    /// answered with the product, not made twice.
    public var id: String?

    public init(name: String, typeKey: String, packageType: PackageType, unit: String? = nil,
                packCount: String? = nil, unitPrice: String? = nil, licenseKey: String? = nil, codes: [String] = [],
                id: String? = nil) {
        self.id = id
        self.codes = codes
        self.name = name
        self.typeKey = typeKey
        self.packageType = packageType
        self.unit = unit
        self.packCount = packCount
        self.unitPrice = unitPrice
        self.licenseKey = licenseKey
    }
}

extension LotStore {
    public func addProduct(_ new: NewProduct, actor: String) throws -> Product {
        try requireName(new.name, "product name")
        guard let type = ProductType.find(anySpelling: new.typeKey) else {
            throw StoreError.invalid("product type '\(new.typeKey)' is unknown; expected a Product_Type name or id (see `lotbox product types`)")
        }
        let packaging = try LotStore.packaging(new)
        let price = try new.unitPrice.map(LotStore.retailPrice)
        let codes = try new.codes.map(Self.productCode)
        if let chosen = new.id { try LotStore.requireChosenID(chosen, "product") }
        return try write { db in
            let licenseID = try new.licenseKey.map { try resolveLicense(db, $0) }
            if let chosen = new.id, let existing = try replayed(db, Product.self, kind: "product", id: chosen, differences: {
                LotStore.differs("license", $0.licenseId, licenseID) + LotStore.differs("name", $0.name, new.name)
                    + LotStore.differs("type", $0.type, type.id) + LotStore.differs("package", $0.packageType, new.packageType.rawValue)
                    + LotStore.differs("unit size", $0.packageUnitQom, packaging.unitQom) + LotStore.differs("unit", $0.packageUnitUom, packaging.unitUom)
                    + LotStore.differs("pack count", $0.packagePackQom, packaging.packQom) + LotStore.differs("price", $0.unitPrice, price)
            }) { return existing }
            try refuseDuplicateName(db, table: "product", name: new.name, license: licenseID)
            let id = try new.id ?? issueID(db)
            try db.execute(sql: """
                INSERT INTO product (id, license_id, name, type, package_type, package_unit_qom, package_unit_uom,
                                     package_pack_qom, unit_price)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, licenseID, new.name, type.id, new.packageType.rawValue, packaging.unitQom, packaging.unitUom,
                                 packaging.packQom, price])
            for code in codes { try insertProductCode(db, code, productID: id) }
            try audit(db, actor: actor, action: "create", objectType: "product", objectID: id)
            return try Product.find(db, key: id)
        }
    }

    /// How a product is packaged, checked: the bulk unit, or the size of one unit (and the count
    /// in a pack). Shared by adding and editing a product.
    static func packaging(_ new: NewProduct) throws -> (type: PackageType, unitQom: Int64?, unitUom: String, packQom: Int64?) {
        var unitQom: Int64?
        var unitUom: String
        var packQom: Int64?
        switch new.packageType {
        case .bulk:
            let text = new.unit ?? "g"
            if let unit = MeasureUnit(spelling: text) {
                unitUom = unit.dimension.rawValue
            } else {
                do {
                    unitUom = try Quantity(parsing: text).dimension.rawValue
                } catch {
                    throw StoreError.invalid("bulk unit '\(text)' is unknown; expected one of \(MeasureUnit.allowedList)")
                }
            }
        case .each, .pack:
            guard let text = new.unit else {
                throw StoreError.invalid("package type '\(new.packageType.rawValue)' needs --unit, the size of one unit (e.g. '3.5 g', '10 mg', '1 ea')")
            }
            let size = try Quantity(parsing: text)
            guard size.amount.units > 0 else { throw StoreError.invalid("unit size '\(text)' is zero; expected more than zero") }
            unitQom = size.amount.units
            unitUom = size.dimension.rawValue
            if new.packageType == .pack {
                guard let countText = new.packCount else {
                    throw StoreError.invalid("a pack product needs --pack-count, the number of units in one pack (e.g. 10)")
                }
                guard let count = Int64(countText), count > 0 else {
                    throw StoreError.invalid("pack count '\(countText)' is not a whole number above zero")
                }
                packQom = count * Fixed4.scale
            }
        }
        return (new.packageType, unitQom, unitUom, packQom)
    }

    /// A retail price typed by a person, as store units; a MoneyError becomes a one-line refusal.
    static func retailPrice(_ text: String) throws -> Int64 {
        do { return try Money(parsingRetail: text).amount.units } catch { throw StoreError.invalid(error.description) }
    }

    public func products() throws -> [Product] { try list(Product.self) }

    /// Reads a quantity typed for a lot of `product`: converted to the product's lot unit, and a
    /// bare number is taken as a count for products sold each or by the pack.
    public static func lotQuantity(_ text: String, for product: Product, allowNegative: Bool = false) throws -> Int64 {
        let trimmed = text.trimmingWhitespace()
        let quantity: Quantity
        do {
            if product.lotDimension == .count, trimmed.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" || $0 == "+" || $0 == "." }) {
                quantity = try Quantity(number: trimmed, unit: .ea, allowNegative: allowNegative)
            } else {
                quantity = try Quantity(parsing: trimmed, allowNegative: allowNegative)
            }
        } catch {
            throw StoreError.invalid(error.description)
        }
        guard quantity.dimension == product.lotDimension else {
            throw StoreError.invalid(QuantityError.wrongDimension(text, expected: product.lotDimension).description
                                     + " (product '\(product.name)' is \(product.packageDescription))")
        }
        return quantity.amount.units
    }
}
