import LotboxCore
import Testing

/// Lab values, money and quantities read the way people say them.
@Suite(.timeLimit(.minutes(5))) struct LabMeasureTests {
    @Test(arguments: [
        ("22.51%", "22.51%", "pct"), ("22.5100 %", "22.51%", "pct"), ("225.1 mg/g", "225.1 mg/g", "mgg"),
        ("10 mg", "10 mg", "mgp"), ("0.0001%", "0.0001%", "pct"), ("100%", "100%", "pct"),
    ])
    func parsesWhatACOAPrints(text: String, shown: String, uom: String) throws {
        let measure = try LabMeasure(parsing: text)
        #expect(measure.description == shown)
        #expect(measure.unit?.rawValue == uom)
        #expect(!measure.notDetected)
    }

    @Test(arguments: ["ND", "nd", "<LOQ", "< LOQ", "below LOQ", "<LOD", "BLQ"])
    func belowTheLimitIsNDAndZero(text: String) throws {
        let measure = try LabMeasure(parsing: text)
        #expect(measure.notDetected)
        #expect(measure.value == .zero)
        #expect(measure.description == "ND")
    }

    @Test(arguments: ["22.5", "abc%", "22.5 ppm", "100.0001%", "1000.1 mg/g", "-1%", "%"])
    func refusesWhatIsNotALabValue(text: String) {
        #expect(throws: LabMeasureError.self) { try LabMeasure(parsing: text) }
    }

    @Test func totalIsNeutralPlus0877TimesAcidRoundedOnce() throws {
        let total = try LabMeasure.total(neutral: try LabMeasure(parsing: "0.5%"), acid: try LabMeasure(parsing: "25.1%"))
        #expect(total?.value == Fixed4(units: 225_127))
        // 0.877 × 0.0005 = 0.0004385: half away from zero at four places is 0.0004.
        #expect(try LabMeasure.total(neutral: nil, acid: try LabMeasure(parsing: "0.0005%"))?.value == Fixed4(units: 4))
        // 0.877 × 0.05 = 0.04385 -> 0.0439.
        #expect(try LabMeasure.total(neutral: .notDetected(nil), acid: try LabMeasure(parsing: "0.05%"))?.description == "0.0439%")
        #expect(try LabMeasure.total(neutral: .notDetected(nil), acid: .notDetected(nil))?.description == "ND")
        #expect(try LabMeasure.total(neutral: nil, acid: nil) == nil)
        #expect(throws: LabMeasureError.self) {
            try LabMeasure.total(neutral: try LabMeasure(parsing: "1%"), acid: try LabMeasure(parsing: "10 mg/g"))
        }
    }

    @Test func retailMoneyIsCentsAndWholesaleKeepsFourPlaces() throws {
        #expect(Money(amount: Fixed4(units: 1_050_000)).description == "$105.00")
        #expect(throws: MoneyError(text: "0.005", reason: .fractionOfACent)) { try Money(parsingRetail: "0.005") }
        #expect(try Money(parsingRetail: "$12.5").amount == Fixed4(units: 125_000))
        // $1,200 a pound, per gram: 1200 / 453.59237 = 2.64554...
        let perGram = Money(amount: Fixed4(whole: 1200)).perBaseUnit(from: .lb)
        #expect(perGram.amount == Fixed4(units: 26_455))
        #expect(perGram.wholesaleDescription == "$2.6455")
        #expect(Money(amount: Fixed4(whole: 8)).perBaseUnit(from: .kg).wholesaleDescription == "$0.008")
        #expect(Money(amount: Fixed4(units: 100_000)).wholesaleDescription == "$10.00")
        #expect(Money(amount: Fixed4(units: 26_450)).wholesaleDescription == "$2.645")
    }

    @Test func aQuantityCanBeShownInAnotherUnit() throws {
        let fiveLb = try Quantity(parsing: "5 lb")
        #expect(fiveLb.description == "2267.9619 g")
        #expect(fiveLb.description(in: .lb) == "5 lb")
        #expect(fiveLb.description(in: .oz) == "80 oz")
        #expect(fiveLb.description(in: .l) == nil)
        #expect(try Quantity(parsing: "100 ea").description == "100 ea")
    }

    @Test func statesAreWordsPerKindOfObject() {
        #expect(StateWords.lot(200) == "live")
        #expect(StateWords.lot(410) == "void requested")
        #expect(StateWords.lot(423) == "void")
        #expect(StateWords.sale(423) == "void requested")
        #expect(StateWords.sale(410) == "void")
        #expect(StateWords.lot(200, quarantined: true) == "live, in quarantine")
        #expect(StateWords.transfer(307) == "accepted")
    }
}
