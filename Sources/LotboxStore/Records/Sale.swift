import LotboxCore

/// A B2C sale as a kiosk and a receipt see it. Amounts are exact money (ten-thousandths of a
/// dollar); quantities are in each line's lot unit.
public struct SaleStatus: Sendable, Equatable {
    public var id: String
    public var licenseID: String
    /// 100 open at a kiosk, 200 committed, 423 void requested, 410 voided or canceled.
    public var stat: Int
    public var station: String?
    public var employee: String?
    public var ageCheck: String?
    /// Adult-use or medical: which taxes and purchase limit apply.
    public var saleType: SaleType
    /// The sale was committed at a station whose shelf prices contain the taxes: its lines
    /// record the pre-tax unit price and its taxes are shown as contained in the total.
    public var pricesIncludeTax: Bool
    public var lines: [SaleLine]
    public var adjustments: [SaleAdjustment]
    public var executeAt: String?
    /// Canceled at the kiosk before it was paid (stat 410 too, but never a void).
    public var canceled = false
    /// How it was paid: set when it is committed (nil while open, and for sales committed
    /// before the store kept tenders).
    public var tender: SaleTender? = nil

    /// The lines before discounts and taxes.
    public var subtotal: Int64 { lines.reduce(0) { $0 + $1.total } }
    /// Discounts (negative) and taxes together: the total is the subtotal plus these.
    public var total: Int64 { subtotal + adjustments.reduce(0) { $0 + $1.amount } }
    public var discounts: [SaleAdjustment] { adjustments.filter(\.isDiscount) }
    public var taxes: [SaleAdjustment] { adjustments.filter { !$0.isDiscount } }
    public var isOpen: Bool { stat == Stat.open }
}

public struct SaleLine: Sendable, Equatable {
    public var id: String
    public var lotID: String
    public var productID: String
    public var productName: String
    /// OpenTHC product type id: which taxes apply.
    public var productType: String
    public var dimension: Dimension
    /// Ten-thousandths of the lot unit (1 ea is 10000; 3.5 g is 35000).
    public var unitCount: Int64
    /// Per lot unit, ten-thousandths of a dollar.
    public var unitPrice: Int64
    /// unitCount × unitPrice, exact to a ten-thousandth, half away from zero.
    public var total: Int64 { Fixed4.multiply(unitCount, unitPrice) }
    public var quantityText: String { Quantity(units: unitCount, dimension: dimension).description }
}

/// An OpenTHC price adjustment on a sale: a discount (a negative amount, on one line or the
/// whole sale) or a tax.
public struct SaleAdjustment: Sendable, Equatable {
    public var id: String
    /// The line a discount is on; nil for the whole sale.
    public var lineID: String?
    public var type: String
    public var name: String
    /// The exact rate a tax was charged at (nil for an amount).
    public var rate: TaxRate?
    /// The tax was contained in the shelf price (`price_includes_tax`).
    public var included: Bool
    /// Ten-thousandths of a dollar: negative for a discount.
    public var amount: Int64

    public static let discountType = "010PENTHC00BIPA0N10N4S9MR3"
    public var isDiscount: Bool { type == SaleAdjustment.discountType }
}

/// A per-sale purchase limit in grams, with how many grams of flower a unit of other product
/// types counts as (flower equivalency).
public struct PurchaseLimit: Sendable, Equatable {
    /// Ten-thousandths of a gram, for an adult-use sale.
    public var grams: Int64
    /// Ten-thousandths of a gram, for a medical sale (the adult-use limit when nil).
    public var medicalGrams: Int64?
    /// Product type id → grams counted per gram (mass products) or per unit (others); ten-thousandths.
    public var equivalency: [String: Int64]

    public init(grams: Int64, medicalGrams: Int64? = nil, equivalency: [String: Int64] = [:]) {
        self.grams = grams
        self.medicalGrams = medicalGrams
        self.equivalency = equivalency
    }

    /// The limit for a sale of `type`, in ten-thousandths of a gram.
    public func grams(for type: SaleType) -> Int64 { type == .medical ? (medicalGrams ?? grams) : grams }
}
