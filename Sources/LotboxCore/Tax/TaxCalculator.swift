/// One line of a sale as tax sees it.
public struct TaxableLine: Sendable, Equatable {
    /// OpenTHC product type id.
    public var productType: String
    /// Quantity × unit price, ten-thousandths of a dollar: the shelf price, which contains the
    /// taxes when prices include tax.
    public var amount: Int64
    /// This line's own discounts, as a positive amount in the same terms as `amount`.
    public var discount: Int64

    public init(productType: String, amount: Int64, discount: Int64 = 0) {
        self.productType = productType
        self.amount = amount
        self.discount = discount
    }
}

/// A sale's taxes, worked out exactly and rounded once per tax (or once per line and tax).
public struct TaxedSale: Sendable, Equatable {
    public struct Charge: Sendable, Equatable {
        public var tax: Tax
        /// Whole cents, in ten-thousandths.
        public var amount: Int64
        /// The part of `amount` each line carries (adds up to `amount`).
        public var perLine: [Int64]
    }

    /// The taxes that apply to at least one line, in the configured order.
    public var charges: [Charge]
    /// Each line's share of the sale-wide discounts, in the input's terms.
    public var saleDiscountShares: [Int64]
    /// What each line comes to before tax and after its discounts.
    public var netAmounts: [Int64]
    /// Each line's own discounts before tax (equal to the input unless prices include tax).
    public var preTaxLineDiscounts: [Int64]
    /// Each line's share of the sale-wide discounts before tax.
    public var preTaxSaleDiscountShares: [Int64]

    /// Each line before tax and before discounts: what its recorded unit price multiplies out to.
    public var preTaxAmounts: [Int64] {
        netAmounts.indices.map { netAmounts[$0] + preTaxLineDiscounts[$0] + preTaxSaleDiscountShares[$0] }
    }

    public var taxTotal: Int64 { charges.reduce(0) { $0 + $1.amount } }
}

/// Why a sale's taxes cannot be worked out.
public enum TaxComputationError: Error, Equatable, Sendable, CustomStringConvertible {
    case discountsExceedSale(discounts: Int64, subtotal: Int64)
    case overflow

    public var description: String {
        switch self {
        case .discountsExceedSale(let discounts, let subtotal):
            return "discounts of \(Money(amount: Fixed4(units: discounts))) are more than the sale's \(Money(amount: Fixed4(units: subtotal)))"
        case .overflow:
            return TaxOverflow().description
        }
    }
}

/// Works out a sale's taxes. Discounts come off first (a sale-wide discount spread over the
/// lines in proportion); then each tax, in order, on the lines it applies to: its rate times
/// the discounted price (plus, for a compounding tax, the earlier taxes on that line), rounded
/// to the cent by the tax's rule, per line or once per sale.
///
/// When prices include tax, the shelf price is what the customer pays: each tax is the part
/// of that price it makes up (price × its share ÷ (1 + all shares)), rounded the same way, and
/// the pre-tax amounts are what remains, so price = pre-tax amount + taxes to the cent.
public enum TaxCalculator {
    public static func compute(lines: [TaxableLine], saleDiscount: Int64, saleType: SaleType, taxes: [Tax],
                               pricesIncludeTax: Bool) throws(TaxComputationError) -> TaxedSale {
        do {
            return try work(lines: lines, saleDiscount: saleDiscount, saleType: saleType, taxes: taxes, pricesIncludeTax: pricesIncludeTax)
        } catch let error as TaxComputationError {
            throw error
        } catch {
            throw .overflow
        }
    }

    private static func work(lines: [TaxableLine], saleDiscount: Int64, saleType: SaleType, taxes: [Tax],
                             pricesIncludeTax: Bool) throws -> TaxedSale {
        let subtotal = lines.reduce(0) { $0 + $1.amount }
        let afterLineDiscounts = lines.map { $0.amount - $0.discount }
        let discounts = lines.reduce(0) { $0 + $1.discount } + saleDiscount
        guard afterLineDiscounts.allSatisfy({ $0 >= 0 }), saleDiscount >= 0, discounts <= subtotal else {
            throw TaxComputationError.discountsExceedSale(discounts: discounts, subtotal: subtotal)
        }
        let shares = apportionCents(saleDiscount, over: afterLineDiscounts)
        let paid = lines.indices.map { afterLineDiscounts[$0] - shares[$0] }
        let applies = taxes.map { tax in lines.map { tax.applies(to: $0.productType, in: saleType) } }

        var charges: [TaxedSale.Charge] = []
        // Prices with tax inside: each line's price is its pre-tax amount times `whole`.
        var whole = [Fraction](repeating: .one, count: lines.count)
        if pricesIncludeTax {
            // Each tax's share of the pre-tax amount, per line: a compounding tax's share grows
            // by the shares before it.
            var shareOf = [[Fraction]](repeating: [Fraction](repeating: .zero, count: lines.count), count: taxes.count)
            for (k, tax) in taxes.enumerated() {
                for i in lines.indices where applies[k][i] {
                    var earlier = Fraction.one
                    if tax.base == .priceAndEarlierTaxes {
                        for j in 0..<k { earlier = try earlier.plus(shareOf[j][i]) }
                    }
                    shareOf[k][i] = try tax.rate.fraction.times(earlier)
                    whole[i] = try whole[i].plus(shareOf[k][i])
                }
            }
            for (k, tax) in taxes.enumerated() where applies[k].contains(true) {
                var exact: [Fraction] = []
                for i in lines.indices {
                    exact.append(try applies[k][i] ? Fraction(Int128(paid[i])).times(shareOf[k][i]).dividedBy(whole[i]) : .zero)
                }
                charges.append(try charge(tax, exact: exact))
            }
        } else {
            for (k, tax) in taxes.enumerated() where applies[k].contains(true) {
                var exact: [Fraction] = []
                for i in lines.indices {
                    guard applies[k][i] else { exact.append(.zero); continue }
                    var base = paid[i]
                    if tax.base == .priceAndEarlierTaxes {
                        base += charges.reduce(0) { $0 + $1.perLine[i] }
                    }
                    exact.append(try Fraction(Int128(base)).times(tax.rate.fraction))
                }
                charges.append(try charge(tax, exact: exact))
            }
        }

        guard pricesIncludeTax else {
            // Taxes come on top: the pre-tax amount is what each line pays after discounts.
            return TaxedSale(charges: charges, saleDiscountShares: shares, netAmounts: paid,
                             preTaxLineDiscounts: lines.map(\.discount), preTaxSaleDiscountShares: shares)
        }
        let net = lines.indices.map { i in paid[i] - charges.reduce(0) { $0 + $1.perLine[i] } }
        // Discounts were taken off tax-included prices; the sale records them before tax, in
        // the proportion of each line's pre-tax amount to what it pays.
        var lineDiscounts: [Int64] = []
        var saleShares: [Int64] = []
        for i in lines.indices {
            // A line discounted to nothing pays no tax: its whole price is its discount, before tax.
            let ratio = try paid[i] > 0 ? Fraction(Int128(net[i]), Int128(paid[i])) : Fraction.one.dividedBy(whole[i])
            // To the cent (half up), so the lines, the discounts and the taxes each show exactly.
            lineDiscounts.append(try TaxRounding.halfUp.cents(Fraction(Int128(lines[i].discount)).times(ratio)))
            saleShares.append(try TaxRounding.halfUp.cents(Fraction(Int128(shares[i])).times(ratio)))
        }
        return TaxedSale(charges: charges, saleDiscountShares: shares, netAmounts: net,
                         preTaxLineDiscounts: lineDiscounts, preTaxSaleDiscountShares: saleShares)
    }

    /// One tax: rounded per line and added up, or rounded once and attributed to the lines.
    private static func charge(_ tax: Tax, exact: [Fraction]) throws -> TaxedSale.Charge {
        switch tax.scope {
        case .line:
            let perLine = try exact.map { try tax.rounding.cents($0) }
            return TaxedSale.Charge(tax: tax, amount: perLine.reduce(0, +), perLine: perLine)
        case .sale:
            let total = try exact.reduce(Fraction.zero) { try $0.plus($1) }
            let amount = try tax.rounding.cents(total)
            // Attributed in whole cents, so a line's pre-tax amount stays in cents when its price is.
            return TaxedSale.Charge(tax: tax, amount: amount, perLine: apportionCents(amount, over: exact.map(\.roundedUnits)))
        }
    }
}
