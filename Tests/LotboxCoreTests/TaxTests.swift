import Testing
@testable import LotboxCore

/// Exact tax rates and the tax arithmetic, each figure worked by hand in the comments.
/// Amounts are ten-thousandths of a dollar: $1.00 is 10_000.
@Suite(.timeLimit(.minutes(5))) struct TaxTests {
    static let flower = "018NY6XC00PTZZWCH7XVREHK6T"
    static let edible = "018NY6XC00PTBNDY5VJ8JQ6NKP"

    func rate(_ text: String) throws -> TaxRate { try TaxRate(parsing: text) }

    @Test(arguments: [
        // (written, digits, places, stored, shown)
        ("8.875%", 8875 as Int64, 5, "0.08875", "8.875%"),      // New York City: not 8.87%
        ("0.3125%", 3125, 6, "0.003125", "0.3125%"),
        ("10.25%", 1025, 4, "0.1025", "10.25%"),
        ("15%", 15, 2, "0.15", "15%"),
        ("0.08875", 8875, 5, "0.08875", "8.875%"),              // a fraction of one reads the same
        ("6.500%", 65, 3, "0.065", "6.5%"),                     // trailing zeros carry nothing
        ("0%", 0, 0, "0", "0%"),
        ("100%", 1, 0, "1", "100%"),
        ("0.0000000001%", 1, 12, "0.000000000001", "0.0000000001%"),
    ])
    func ratesAreKeptExactly(text: String, digits: Int64, places: Int, stored: String, shown: String) throws {
        let parsed = try rate(text)
        #expect(parsed.digits == digits && parsed.places == places)
        #expect(parsed.decimalText == stored)
        #expect(parsed.percentText == shown)
        // The stored text reads back to the same rate.
        #expect(try rate(stored) == parsed)
    }

    @Test(arguments: ["", "%", "abc", "-1%", "8.8.75%", "101%", "1.5", "0.00000000001%", "8,875%"])
    func badRatesAreRefused(text: String) {
        #expect(throws: TaxRateError.self) { try TaxRate(parsing: text) }
    }

    @Test func roundingRules() throws {
        // $2.00 × 10.25% = $0.205 exactly: half up $0.21, half even $0.20, up $0.21, down $0.20.
        let exact = try Fraction(20_000).times(try rate("10.25%").fraction)
        #expect(try TaxRounding.halfUp.cents(exact) == 2_100)
        #expect(try TaxRounding.halfEven.cents(exact) == 2_000)
        #expect(try TaxRounding.up.cents(exact) == 2_100)
        #expect(try TaxRounding.down.cents(exact) == 2_000)
        // $3.00 × 10.25% = $0.3075: half even rounds $0.3075 to $0.31 (past the half).
        #expect(try TaxRounding.halfEven.cents(Fraction(30_000).times(rate("10.25%").fraction)) == 3_100)
        // $1.00 × 0.3125% = $0.003125: up $0.01, half up $0.00.
        let small = try Fraction(10_000).times(try rate("0.3125%").fraction)
        #expect(try TaxRounding.up.cents(small) == 100)
        #expect(try TaxRounding.halfUp.cents(small) == 0)
    }

    @Test func apportionAddsUpExactly() {
        // $6.50 over $30 and $35: $3.00 and $3.50, exactly.
        #expect(apportion(65_000, over: [300_000, 350_000]) == [30_000, 35_000])
        // 10 over three equal weights: 3.33.. each, the unit left over to the first.
        #expect(apportion(10, over: [1, 1, 1]) == [4, 3, 3])
        #expect(apportion(7, over: [0, 0]) == [7, 0])
    }

    func compute(_ lines: [TaxableLine], discount: Int64 = 0, type: SaleType = .adultUse, _ taxes: [Tax],
                 included: Bool = false) throws -> TaxedSale {
        try TaxCalculator.compute(lines: lines, saleDiscount: discount, saleType: type, taxes: taxes, pricesIncludeTax: included)
    }

    @Test func perLineAndPerSaleRoundDifferently() throws {
        // Six $12.50 lines at 0.3125%. Per line: 12.50 × 0.003125 = 0.0390625 → $0.04, × 6 = $0.24.
        // Per sale: 75.00 × 0.003125 = 0.234375 → $0.23.
        let lines = Array(repeating: TaxableLine(productType: Self.flower, amount: 125_000), count: 6)
        let perLine = Tax(type: "t", name: "Local", rate: try rate("0.3125%"), scope: .line)
        let perSale = Tax(type: "t", name: "Local", rate: try rate("0.3125%"), scope: .sale)
        #expect(try compute(lines, [perLine]).taxTotal == 2_400)
        #expect(try compute(lines, [perSale]).taxTotal == 2_300)
        // The per-sale amount is attributed to the lines in whole cents: 23 cents over six → 4,4,4,4,4,3.
        #expect(try compute(lines, [perSale]).charges.first?.perLine == [400, 400, 400, 400, 400, 300])
    }

    @Test func aCompoundingTaxCountsTheEarlierOne() throws {
        // $105.00; excise 15% = $15.75; 8.875% on 105 + 15.75 = 120.75 → 10.7165625 → $10.72.
        // Were the sales tax on the price only: 105 × 0.08875 = 9.31875 → $9.32.
        let lines = [TaxableLine(productType: Self.flower, amount: 700_000), TaxableLine(productType: Self.flower, amount: 350_000)]
        let excise = Tax(type: "e", name: "Excise", rate: try rate("15%"))
        let onTop = Tax(type: "s", name: "Sales", rate: try rate("8.875%"), base: .priceAndEarlierTaxes)
        let beside = Tax(type: "s", name: "Sales", rate: try rate("8.875%"))
        #expect(try compute(lines, [excise, onTop]).charges.map(\.amount) == [157_500, 107_200])
        #expect(try compute(lines, [excise, beside]).charges.map(\.amount) == [157_500, 93_200])
    }

    @Test func productTypesAndMedicalSales() throws {
        // $35 flower + $20 edible. Excise 15% on flower only (medical exempt): 35 × 0.15 = $5.25.
        // Sales tax 8.875% on price + excise: (55 + 5.25) × 0.08875 = 5.3471875 → $5.35.
        // Medical: no excise; 55 × 0.08875 = 4.88125 → $4.88.
        let lines = [TaxableLine(productType: Self.flower, amount: 350_000), TaxableLine(productType: Self.edible, amount: 200_000)]
        let excise = Tax(type: "e", name: "Excise", rate: try rate("15%"), productTypes: [Self.flower], medicalExempt: true)
        let sales = Tax(type: "s", name: "Sales", rate: try rate("8.875%"), base: .priceAndEarlierTaxes)
        let adult = try compute(lines, [excise, sales])
        #expect(adult.charges.map(\.amount) == [52_500, 53_500])
        #expect(adult.charges.first?.perLine == [52_500, 0])
        let medical = try compute(lines, type: .medical, [excise, sales])
        #expect(medical.charges.map(\.tax.name) == ["Sales"])
        #expect(medical.charges.map(\.amount) == [48_800])
    }

    @Test func discountsComeOffBeforeTax() throws {
        // Lines $35 and $35; $5 off line 1 → 30 and 35; $6.50 off the sale, spread 30:35 → 3.00 and 3.50;
        // lines pay 27.00 and 31.50. Excise 15% per line: 4.05 and 4.725 → 4.73 = $8.78.
        // Sales 8.875% per sale on price + excise: (58.50 + 8.78) × 0.08875 = 67.28 × 0.08875 = 5.9711 → $5.97.
        let lines = [TaxableLine(productType: Self.flower, amount: 350_000, discount: 50_000),
                     TaxableLine(productType: Self.flower, amount: 350_000)]
        let excise = Tax(type: "e", name: "Excise", rate: try rate("15%"), scope: .line)
        let sales = Tax(type: "s", name: "Sales", rate: try rate("8.875%"), base: .priceAndEarlierTaxes)
        let taxed = try compute(lines, discount: 65_000, [excise, sales])
        #expect(taxed.saleDiscountShares == [30_000, 35_000])
        #expect(taxed.charges.map(\.amount) == [87_800, 59_700])
        #expect(taxed.charges.first?.perLine == [40_500, 47_300])
        #expect(taxed.netAmounts == [270_000, 315_000])
        // Too much off is refused, not taken below zero.
        #expect(throws: TaxComputationError.self) { try compute(lines, discount: 650_001, [excise]) }
    }

    @Test func pricesThatIncludeTax() throws {
        // Shelf $35 + $20 = $55 with 10.25% inside: 55 × 0.1025 / 1.1025 = 5.11337.. → $5.11.
        // Per line exactly 3.25397.. and 1.85941..; $5.11 over them in cents: 325.18 → 325, 185.81 → 185,
        // the cent left to the larger remainder (the edible): $3.25 and $1.86. Pre-tax: $31.75 and $18.14.
        let lines = [TaxableLine(productType: Self.flower, amount: 350_000), TaxableLine(productType: Self.edible, amount: 200_000)]
        let tax = Tax(type: "s", name: "Sales", rate: try rate("10.25%"))
        let taxed = try compute(lines, [tax], included: true)
        #expect(taxed.charges.map(\.amount) == [51_100])
        #expect(taxed.charges.first?.perLine == [32_500, 18_600])
        #expect(taxed.netAmounts == [317_500, 181_400])
        #expect(taxed.preTaxAmounts == [317_500, 181_400])
        #expect(taxed.netAmounts.reduce(0, +) + taxed.taxTotal == 550_000)
    }

    @Test func pricesThatIncludeTaxLessADiscount() throws {
        // Shelf $35 + $20 less $5.00 off the sale: the customer pays $50.00. The $5 spread 35:20 in cents:
        // 318.18 → 318 and 181.81 → 181, the cent left to the larger remainder: $3.18 and $1.82; lines pay 31.82 and 18.18.
        // Tax inside: 50 × 0.1025 / 1.1025 = 4.64852.. → $4.65; per line exactly 2.95832.. and 1.69020..; 465 cents
        // over them: 295.93 → 295 and 169.07 → 169, the cent to the first: $2.96 and $1.69. Pre-tax paid 28.86 and 16.49.
        // The discount before tax: 3.18 × 28.86/31.82 = 2.88418.. → $2.88 and 1.82 × 16.49/18.18 = 1.65081.. → $1.65.
        // Pre-tax lines 28.86 + 2.88 = $31.74 and 16.49 + 1.65 = $18.14: 49.88 − 4.53 + 4.65 = $50.00.
        let lines = [TaxableLine(productType: Self.flower, amount: 350_000), TaxableLine(productType: Self.edible, amount: 200_000)]
        let tax = Tax(type: "s", name: "Sales", rate: try rate("10.25%"))
        let taxed = try compute(lines, discount: 50_000, [tax], included: true)
        #expect(taxed.saleDiscountShares == [31_800, 18_200])
        #expect(taxed.charges.map(\.amount) == [46_500])
        #expect(taxed.charges.first?.perLine == [29_600, 16_900])
        #expect(taxed.netAmounts == [288_600, 164_900])
        #expect(taxed.preTaxSaleDiscountShares == [28_800, 16_500])
        #expect(taxed.preTaxAmounts == [317_400, 181_400])
    }

    @Test func aTaxIncludedLineDiscountedToNothing() throws {
        // Shelf $35 + $20 with the $20 line given away: the customer pays $35.00, tax inside 35 × 0.1025 / 1.1025
        // = 3.25397.. → $3.25, pre-tax $31.75. The free line's discount before tax is its price before tax,
        // 20 / 1.1025 = 18.14058.. → $18.14, so it records $18.14 less $18.14. 31.75 + 18.14 − 18.14 + 3.25 = $35.00.
        let lines = [TaxableLine(productType: Self.flower, amount: 350_000), TaxableLine(productType: Self.edible, amount: 200_000, discount: 200_000)]
        let taxed = try compute(lines, [Tax(type: "s", name: "Sales", rate: try rate("10.25%"))], included: true)
        #expect(taxed.charges.map(\.amount) == [32_500])
        #expect(taxed.netAmounts == [317_500, 0])
        #expect(taxed.preTaxLineDiscounts == [0, 181_400])
        #expect(taxed.preTaxAmounts == [317_500, 181_400])
    }

    @Test func pricesThatIncludeACompoundingTax() throws {
        // Shelf $100 containing excise 15% and 8.875% on price + excise: the pre-tax price p has
        // p × (1 + 0.15 + 0.08875 × 1.15) = p × 1.2520625 = 100 → p = 79.86821...
        // Excise 0.15 p = 11.98023 → $11.98; sales 0.1020625 p = 8.151548 → $8.15; pre-tax $79.87.
        let lines = [TaxableLine(productType: Self.flower, amount: 1_000_000)]
        let excise = Tax(type: "e", name: "Excise", rate: try rate("15%"))
        let sales = Tax(type: "s", name: "Sales", rate: try rate("8.875%"), base: .priceAndEarlierTaxes)
        let taxed = try compute(lines, [excise, sales], included: true)
        #expect(taxed.charges.map(\.amount) == [119_800, 81_500])
        #expect(taxed.netAmounts == [798_700])
    }
}
