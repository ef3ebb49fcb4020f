/// One tax a kiosk charges, shaped like the law that levies it.
public struct Tax: Sendable, Equatable {
    /// Whether the tax is worked out on each line and added up, or once on the sale.
    public enum Scope: String, Sendable, CaseIterable {
        case line
        case sale
    }

    /// What the rate is applied to.
    public enum Base: String, Sendable, CaseIterable {
        /// The price after discounts.
        case price
        /// The price after discounts plus the taxes listed before this one that applied to the
        /// same lines (a sales tax charged on top of an excise).
        case priceAndEarlierTaxes = "price-and-earlier-taxes"
    }

    /// An OpenTHC B2C price adjustment type id (`WellKnown.priceAdjustments`).
    public var type: String
    public var name: String
    public var rate: TaxRate
    public var scope: Scope
    public var rounding: TaxRounding
    public var base: Base
    /// OpenTHC product type ids the tax applies to; empty means every product.
    public var productTypes: Set<String>
    /// A medical sale pays no part of this tax.
    public var medicalExempt: Bool

    public init(type: String, name: String, rate: TaxRate, scope: Scope = .sale, rounding: TaxRounding = .halfUp,
                base: Base = .price, productTypes: Set<String> = [], medicalExempt: Bool = false) {
        self.type = type
        self.name = name
        self.rate = rate
        self.scope = scope
        self.rounding = rounding
        self.base = base
        self.productTypes = productTypes
        self.medicalExempt = medicalExempt
    }

    /// Whether this tax is charged on a line of `productType` in a sale of `saleType`.
    public func applies(to productType: String, in saleType: SaleType) -> Bool {
        if saleType == .medical && medicalExempt { return false }
        return productTypes.isEmpty || productTypes.contains(productType)
    }
}
