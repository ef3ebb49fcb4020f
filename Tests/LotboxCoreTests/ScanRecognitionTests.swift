import Testing
@testable import LotboxCore

@Suite(.timeLimit(.minutes(5))) struct ScanRecognitionTests {
    func recognize(_ text: String) -> Result<Recognition, ScanRejection> { ScanRecognizer.recognize(Array(text.utf8)) }
    func code(_ text: String) throws -> ScanCode { try recognize(text).get().code }
    func rejection(_ text: String) -> ScanRejection? {
        if case .failure(let rejection) = recognize(text) { return rejection }
        return nil
    }

    @Test func lotboxULIDsAndWellKnownIDs() throws {
        #expect(try code("01KAQ4M7Z9X0PAB3C5D7E9F1GH") == .ulid(try ULID(parsing: "01KAQ4M7Z9X0PAB3C5D7E9F1GH")))
        #expect(try code("01kaq4m7z9x0pab3c5d7e9f1gh") == .ulid(try ULID(parsing: "01KAQ4M7Z9X0PAB3C5D7E9F1GH")))
        #expect(try code("018NY6XC00L1CENSE000000000") == .wellKnown("018NY6XC00L1CENSE000000000"))
        // 26 characters with a U in them: not a ULID, not a tag.
        #expect(rejection("01KAQ4M7Z9X0PAB3C5D7E9F1GU")?.kind == .unknownFormat)
    }

    @Test func metrcTagsAndRetailIDs() throws {
        #expect(try code("1A4FF0100000022000000123") == .metrcTag("1A4FF0100000022000000123"))
        #expect(try code("1a4ff0100000022000000123") == .metrcTag("1A4FF0100000022000000123"))
        // 1A4 + 21 characters that are not all hex: not a tag.
        #expect(rejection("1A4FF01000000220000001ZZ")?.kind == .unknownFormat)
        let landing = "https://app.1a4.com/landingpage/1a4120300000c1f000005534/0"
        #expect(try code(landing) == .metrcRetailID(url: landing, tag: "1A4120300000C1F000005534", unit: "0"))
        let short = "HTTPS://1A4.COM/5LO1I9DSOIOZ6RNP6EIO"
        #expect(try code(short) == .metrcRetailID(url: short, tag: nil, unit: nil))
        #expect(rejection("https://example.com/menu")?.kind == .unknownFormat)
    }

    @Test func bioTrackAndItsAmbiguityWithGS1() throws {
        #expect(try code("6647397829273659") == .bioTrack("6647397829273659"))
        // "01" + a GTIN-14 with a good check digit: BioTrack first, GS1 as the other reading.
        let both = try recognize("0109506000134352").get()
        #expect(both.code == .bioTrack("0109506000134352"))
        #expect(both.isAmbiguous)
        #expect(both.alternatives.first.flatMap { if case .gs1(let e) = $0 { e.gtin } else { nil } } == "09506000134352")
        // A plain Code 128 AIM prefix settles it: BioTrack only.
        #expect(try recognize("]C00109506000134352").get().alternatives.isEmpty)
        // With the GS1-128 prefix it is GS1 only.
        let gs1 = try recognize("]C10109506000134352").get()
        #expect(!gs1.isAmbiguous)
        #expect(gs1.aim?.symbology == "gs1-128")
    }

    @Test func gs1ElementStringsWithSeparatorsAndChecks() throws {
        let gs = "\u{1D}"
        let scanned = try recognize("]d20109506000134352" + "17271231" + "10LOT-42" + gs + "21SER9" + gs + "3103001250").get()
        guard case .gs1(let element) = scanned.code else { Issue.record("not GS1"); return }
        #expect(element.gtin == "09506000134352")
        #expect(element.expiry == "2027-12-31")
        #expect(element.batch == "LOT-42")
        #expect(element.serial == "SER9")
        #expect(element.netWeightKilograms == "1.250")
        #expect(scanned.aim?.symbology == "gs1-datamatrix")
        // Day 00 is the end of the month.
        #expect(try GS1ElementString(scanned: Array("17270200".utf8)[...]).expiry == "2027-02-28")
        // SSCC with its check digit, the QR and DataBar prefixes, and the typed form.
        #expect(try GS1ElementString(scanned: Array("00106141412345678908".utf8)[...]).sscc == "106141412345678908")
        #expect(try code("]Q3" + "0109506000134352") == code("]e00109506000134352"))
        #expect(try code("(01)09506000134352(10)ABC") == code("]C10109506000134352" + "10ABC"))
    }

    @Test func gs1RejectionsNameTheField() {
        #expect(rejection("]C10109506000134353")?.kind == .badCheckDigit)
        #expect(rejection("]C10109506000134353")?.reason.contains("(01) GTIN") == true)
        #expect(rejection("]C100106141412345678909")?.kind == .badCheckDigit)
        #expect(rejection("]C117271332")?.reason.contains("not a date") == true)
        #expect(rejection("]C1010950600013435")?.reason.contains("needs 14") == true)
        #expect(rejection("]C1" + "10" + String(repeating: "A", count: 21))?.reason.contains("at most 20") == true)
        #expect(rejection("]C1" + "7777ABC")?.reason.contains("not one lotbox reads") == true)
        #expect(rejection("]C1")?.kind == .empty)
    }

    @Test func retailCodesCheckTheirCheckDigit() throws {
        #expect(try code("036000291452") == .retail(RetailCode(kind: .upcA, digits: "036000291452")))
        #expect(try code("4006381333931") == .retail(RetailCode(kind: .ean13, digits: "4006381333931")))
        #expect(try code("73513537") == .retail(RetailCode(kind: .ean8, digits: "73513537")))
        #expect(RetailCode(kind: .upcA, digits: "036000291452").gtin14 == "00036000291452")
        #expect(rejection("036000291453")?.kind == .badCheckDigit)
        #expect(rejection("12345")?.kind == .unknownFormat)
    }

    @Test func licencesGiveAgeAndExpiryOnly() throws {
        let data = AAMVASampleData.make(birth: "07151990", expiry: "07152030")
        let recognized = try ScanRecognizer.recognize(data).get()
        guard case .licence(let licence) = recognized.code else { Issue.record("not a licence"); return }
        #expect(licence.dateOfBirth == CalendarDate(year: 1990, month: 7, day: 15))
        #expect(licence.expiry == CalendarDate(year: 2030, month: 7, day: 15))
        #expect(licence.issuer == "636014")
        #expect(licence.age(on: CalendarDate(year: 2011, month: 7, day: 14)) == 20)
        #expect(licence.age(on: CalendarDate(year: 2011, month: 7, day: 15)) == 21)
        #expect(!licence.description.contains("SAMPLE"))
        #expect(!recognized.code.value.contains("1990"))
        #expect(recognized.code.isPersonal)
        // Canadian cards write the year first.
        let canadian = try ScanRecognizer.recognize(AAMVASampleData.make(birth: "19900715", expiry: "20300715", country: "CAN")).get()
        if case .licence(let card) = canadian.code { #expect(card.dateOfBirth == CalendarDate(year: 1990, month: 7, day: 15)) } else { Issue.record("not a licence: \(canadian.code)") }
        // Keyboard wedges may turn every LF into CR: still read.
        let wedged = data.map { $0 == 0x0A ? 0x0D : $0 }
        #expect(try ScanRecognizer.recognize(wedged).get().code.kind == "aamva-licence")
        // With the PDF417 AIM prefix too.
        #expect(try ScanRecognizer.recognize(Array("]L2".utf8) + data).get().code.kind == "aamva-licence")
        // Only the dates are read; the number only when asked for.
        #expect(AAMVALicence.number(in: data) == "D1234562")
    }

    @Test func commands() throws {
        #expect(try code("LOTBOX:PAY") == .command(.pay))
        #expect(try code("lotbox:void-last") == .command(.voidLast))
        #expect(try code("LOTBOX:QTY:3.5g") == .command(.quantity("3.5g")))
        #expect(try code("LOTBOX:EMPLOYEE:ana") == .command(.employee("ana")))
        #expect(rejection("LOTBOX:DANCE")?.kind == .unknownCommand)
        #expect(rejection("LOTBOX:QTY:")?.kind == .unknownCommand)
    }

    @Test func controlBytesAndOverlongInputAreRejectedWithAReason() {
        #expect(rejection("1A4FF01\u{07}0000022000000123")?.reason.contains("\\x07") == true)
        #expect(ScanRecognizer.recognize([UInt8](repeating: 0x41, count: 5000)).failureKind == .tooLong)
        #expect(ScanRecognizer.recognize([]).failureKind == .empty)
        #expect(ScanRecognizer.recognize([0xFF, 0xFE]).failureKind == .malformed)
    }

    @Test func calendarAgeOnLeapDays() {
        let leapling = CalendarDate(year: 2004, month: 2, day: 29)
        #expect(leapling.age(on: CalendarDate(year: 2025, month: 2, day: 28)) == 20)
        #expect(leapling.age(on: CalendarDate(year: 2025, month: 3, day: 1)) == 21)
        #expect(CalendarDate.valid(year: 2025, month: 2, day: 29) == nil)
    }
}

extension Result where Failure == ScanRejection {
    var failureKind: ScanRejection.Kind? {
        if case .failure(let rejection) = self { return rejection.kind }
        return nil
    }
}

/// LotboxCoreTests cannot see the test-support target; the same layout as AAMVASample there.
enum AAMVASampleData {
    static func make(birth: String, expiry: String, country: String = "USA") -> [UInt8] {
        let elements = ["DAQD1234562", "DCSSAMPLE", "DACJOHN", "DBB\(birth)", "DBA\(expiry)", "DAJCA", "DCG\(country)"]
        let dl = Array(("DL" + elements.joined(separator: "\n") + "\r").utf8)
        let header = "@\n\u{1E}\rANSI 636014080001" + "DL0031" + String(repeating: "0", count: 4 - String(dl.count).count) + String(dl.count)
        return Array(header.utf8) + dl
    }
}
