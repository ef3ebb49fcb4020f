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
    public var lines: [SaleLine]
    public var adjustments: [SaleAdjustment]
    public var executeAt: String?
    /// Canceled at the kiosk before it was paid (stat 410 too, but never a void).
    public var canceled = false

    public var subtotal: Int64 { lines.reduce(0) { $0 + $1.total } }
    public var total: Int64 { subtotal + adjustments.reduce(0) { $0 + $1.amount } }
    public var isOpen: Bool { stat == Stat.open }
}

public struct SaleLine: Sendable, Equatable {
    public var id: String
    public var lotID: String
    public var productID: String
    public var productName: String
    public var dimension: Dimension
    /// Ten-thousandths of the lot unit (1 ea is 10000; 3.5 g is 35000).
    public var unitCount: Int64
    /// Per lot unit, ten-thousandths of a dollar.
    public var unitPrice: Int64
    /// unitCount × unitPrice, exact to a ten-thousandth, half away from zero.
    public var total: Int64 { Fixed4.multiply(unitCount, unitPrice) }
    public var quantityText: String { Quantity(units: unitCount, dimension: dimension).description }
}

/// An OpenTHC price adjustment on a sale (a tax).
public struct SaleAdjustment: Sendable, Equatable {
    public var type: String
    public var name: String
    /// Ten-thousandths of one (15% is 1500).
    public var rate: Int64?
    public var amount: Int64
}

/// A tax a kiosk adds to each sale: an OpenTHC adjustment type and a rate.
public struct TaxRate: Sendable, Equatable {
    public var type: String
    public var name: String
    /// Ten-thousandths of one: "15%" is 1500.
    public var rate: Int64

    public init(type: String, name: String, rate: Int64) {
        self.type = type
        self.name = name
        self.rate = rate
    }
}

/// A per-sale purchase limit in grams, with how many grams of flower a unit of other product
/// types counts as (flower equivalency).
public struct PurchaseLimit: Sendable, Equatable {
    /// Ten-thousandths of a gram.
    public var grams: Int64
    /// Product type id → grams counted per gram (mass products) or per unit (others); ten-thousandths.
    public var equivalency: [String: Int64]

    public init(grams: Int64, equivalency: [String: Int64] = [:]) {
        self.grams = grams
        self.equivalency = equivalency
    }
}
