import Testing
@testable import LotboxCore

@Suite(.timeLimit(.minutes(5))) struct QuantityTests {
    @Test(arguments: [
        ("3.5 g", 35_000 as Int64, Dimension.mass),
        ("3.5g", 35_000, .mass),
        ("10 mg", 100, .mass),
        ("0.05 mg", 1, .mass),         // 0.00005 g: an exact half rounds up
        ("0.04 mg", 0, .mass),         // 0.00004 g rounds down
        ("1 kg", 10_000_000, .mass),
        ("1 lb", 4_535_924, .mass),    // 453.59237 g -> 453.5924
        ("5 lb", 22_679_619, .mass),   // 2267.96185 g: exact half -> 2267.9619
        ("1 oz", 283_495, .mass),      // 28.349523125 g -> 28.3495
        ("3.5 oz", 992_233, .mass),    // 99.2233309375 g -> 99.2233
        ("1 l", 10_000, .volume),
        ("250 ml", 2_500, .volume),
        ("1 fl oz", 296, .volume),     // 0.0295735295625 l -> 0.0296
        ("12 FL  OZ", 3_549, .volume), // 0.35488235475 l -> 0.3549
        ("24 ea", 240_000, .count),
        (".25 kg", 2_500_000, .mass),
    ])
    func parsesAndConverts(text: String, units: Int64, dimension: Dimension) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.amount.units == units)
        #expect(quantity.dimension == dimension)
    }

    @Test(arguments: [
        ("3.5 stone", "unknown unit 'stone'"),
        ("3.5", "no unit"),
        ("g", "not a number"),
        ("1.2.3 g", "not a number"),
        ("-1 g", "negative"),
        ("2.5 ea", "fraction of a count"),
        ("1000000000000 g", "too large"),
        ("99999999999999999999999999 g", "too large"),
        ("1e5 g", "is not written as a plain decimal number"),
        ("1,000 g", "is not written as a plain decimal number"),
    ])
    func refusesWithAClearMessage(text: String, expected: String) {
        do {
            let quantity = try Quantity(parsing: text)
            Issue.record("'\(text)' was accepted as \(quantity)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains(text))
        }
    }

    @Test func unknownUnitNamesTheAllowedOnes() {
        #expect(throws: QuantityError.unknownUnit("2 stone", "stone")) { try Quantity(parsing: "2 stone") }
        #expect(QuantityError.unknownUnit("2 stone", "stone").description.contains("g, mg, kg, lb, oz, l, ml, fl oz, ea"))
    }

    @Test func negativeAllowedWhenAsked() throws {
        #expect(try Quantity(parsing: "-1.5 g", allowNegative: true).amount.units == -15_000)
    }

    @Test func roundTripsThroughItsOwnText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let units = Int64.random(in: 0...Fixed4.maxUnits, using: &rng)
            let dimension = Dimension.allCases.randomElement(using: &rng) ?? .mass
            let value = Quantity(units: dimension == .count ? units / 10_000 * 10_000 : units, dimension: dimension)
            #expect(try Quantity(parsing: value.description) == value)
            #expect(try Fixed4(parsing: value.amount.decimalText).units == value.amount.units)
        }
    }

    @Test func unitRoundTripsWithinRounding() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let grams = Quantity(units: Int64.random(in: 0...10_000_000_000, using: &rng), dimension: .mass)
            for unit in [MeasureUnit.mg, .kg, .lb, .oz] {
                // Shown in another unit and read back, a weight moves by at most the rounding step.
                guard let shown = grams.amount(in: unit) else { Issue.record("no \(unit)"); continue }
                let back = try Quantity(number: shown.description, unit: unit)
                let step = max(1, unit.factor.digits / pow10(unit.factor.scale))
                #expect(abs(back.amount.units - grams.amount.units) <= Int64(step), "\(grams) -> \(shown) \(unit) -> \(back)")
            }
            // mg keeps everything: 0.0001 g is 0.1 mg.
            #expect(try Quantity(number: grams.amount(in: .mg)!.description, unit: .mg) == grams)
        }
    }

    @Test func fixedPointIsExact() throws {
        let tenth = try Fixed4(parsing: "0.1")
        let fifth = try Fixed4(parsing: "0.2")
        #expect(tenth + fifth == (try Fixed4(parsing: "0.3")))
        #expect(Fixed4(units: -500).decimalText == "-0.0500")
        #expect(Fixed4(units: 22_000_000).decimalText == "2200.0000")
        #expect(Fixed4(units: 22_000_000).description == "2200")
    }

    @Test func money() throws {
        #expect(try Money(parsing: "$12.50").amount.units == 125_000)
        #expect(try Money(parsing: "12.5 USD").description == "$12.50")
        #expect(Money(amount: Fixed4(units: 23_750)).description == "$2.38")
        #expect(throws: MoneyError.self) { try Money(parsing: "twelve") }
        #expect(throws: MoneyError.self) { try Money(parsing: "-1") }
    }
}

private func pow10(_ exponent: Int) -> Int128 {
    var value: Int128 = 1
    for _ in 0..<exponent { value *= 10 }
    return value
}
