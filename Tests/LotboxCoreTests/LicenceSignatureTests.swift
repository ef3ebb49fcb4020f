import LotboxCore
import Testing

/// Recognition, not framing, decides what a licence is; and nothing that reads whole as
/// another kind is ever taken for one.
@Suite(.timeLimit(.minutes(5))) struct LicenceSignatureTests {
    static let data = AAMVASampleData.make(birth: "07151990", expiry: "07152030")

    func kind(_ bytes: [UInt8]) -> String? {
        if case .success(let recognition) = ScanRecognizer.recognize(bytes) { return recognition.code.kind }
        return nil
    }

    @Test func everyEncodingIsALicence() {
        let lf = Self.data
        let encodings: [String: [UInt8]] = [
            "as sent": lf,
            "AIM prefix": Array("]L2".utf8) + lf,
            "CR only (Ctrl+M, Enter)": lf.map { $0 == 0x0A ? 0x0D : $0 },
            "CR LF": lf.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] },
            "no compliance indicator": Array(lf.drop { $0 != UInt8(ascii: "A") }),
            "AIM prefix, no control bytes but LF": Array("]L2".utf8) + lf.filter { $0 != 0x1E && $0 != 0x0D },
            "version 1 header": Array(String(decoding: lf, as: UTF8.self).replacingOccurrences(of: "ANSI 63601408", with: "AAMVA63601401").utf8),
            "no header, elements only": Array("DAQD1234562\nDCSSAMPLE\nDBB07151990\nDBA07152030\n".utf8),
        ]
        for (name, bytes) in encodings {
            #expect(kind(bytes) == "aamva-licence", "\(name)")
            #expect(ScanRecognizer.withholds(bytes), "\(name)")
        }
        if case .success(let recognition) = ScanRecognizer.recognize(encodings["version 1 header"] ?? []),
           case .licence(let licence) = recognition.code {
            #expect(licence.version == 1 && licence.issuer == "636014")
            #expect(licence.dateOfBirth == CalendarDate(year: 1990, month: 7, day: 15))
        } else {
            Issue.record("version 1 licence not read")
        }
    }

    @Test func partsOfALicenceAreWithheldToo() {
        // Cut short before its dates: not a licence that can be checked, but never shown.
        let head = Array(Self.data.prefix(40))
        #expect(kind(head) == nil)
        #expect(ScanRecognizer.withholds(head))
        if case .failure(let rejection) = ScanRecognizer.recognize(head) {
            #expect(!rejection.reason.contains("SAMPLE") && !rejection.reason.contains("D1234562"))
        } else {
            Issue.record("half a licence was recognized")
        }
        // One element at the start of a scan; two elements; the PDF417 AIM prefix alone.
        #expect(ScanRecognizer.withholds(Array("DAG123 MAIN STREET".utf8)))
        #expect(ScanRecognizer.withholds(Array("DCSSMITH\nDACJANE".utf8)))
        #expect(ScanRecognizer.withholds(Array("]L2SOMETHING".utf8)))
        // Any unrecognised scan longer than 64 bytes: kept without its bytes, reason not quoting them.
        let long = Array(String(repeating: "NOT A CODE ", count: 7).utf8)
        #expect(ScanRecognizer.withholds(long))
        if case .failure(let rejection) = ScanRecognizer.recognize(long) {
            #expect(!rejection.reason.contains("NOT A CODE"))
        } else {
            Issue.record("long text was recognized")
        }
        // Short unknown text is kept, as before: it is what an integrator needs to see.
        #expect(!ScanRecognizer.withholds(Array("not a code".utf8)))
    }

    /// 100,000 random ULIDs and 100,000 random METRC tags: every one read as what it is.
    @Test func randomULIDsAndMETRCTagsAreNeverLicences() {
        var state: UInt64 = 0x0DDB_A11
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let hex = Array("0123456789ABCDEF")
        var ulids = 0, tags = 0, withheld = 0, elementLike = 0
        for _ in 0..<100_000 {
            let id = ULID(milliseconds: next() % ULID.maxMilliseconds, randomHigh: UInt16(truncatingIfNeeded: next()), randomLow: next())
            let text = Array(id.text.utf8)
            if kind(text) == "ulid" { ulids += 1 }
            if ScanRecognizer.withholds(text) { withheld += 1 }
            let tag = "1A4" + String((0..<21).map { _ in hex[Int(next() % 16)] })
            if kind(Array(tag.utf8)) == "metrc-tag" { tags += 1 }
            if ScanRecognizer.withholds(Array(tag.utf8)) { withheld += 1 }
            // Element ids turn up inside them by chance; that alone must not matter.
            if id.text.contains("DAQ") || id.text.contains("DBB") || tag.contains("DBA") || tag.contains("DCF") { elementLike += 1 }
        }
        #expect(ulids == 100_000)
        #expect(tags == 100_000)
        #expect(withheld == 0)
        #expect(elementLike > 0, "the sample should include codes with element ids inside")
        print("licence signature: 100000 ULIDs and 100000 METRC tags, \(elementLike) with an element id inside, \(withheld) taken for a licence")
    }
}
