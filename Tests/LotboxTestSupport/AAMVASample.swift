/// AAMVA DL/ID barcode data laid out as the standard's examples are (compliance indicator,
/// header, subfile designators with offsets and lengths, LF-separated elements, CR-terminated
/// subfiles), with the offsets computed so framing by declared length can be tested.
public enum AAMVASample {
    public static func data(family: String = "SAMPLE", given: String = "JOHN", birth: String, expiry: String = "01012031",
                            country: String = "USA", version: String = "08", issuer: String = "636014") -> [UInt8] {
        let elements = [
            "DAQD1234562", "DCS\(family)", "DDEN", "DAC\(given)", "DDFN", "DADNONE", "DDGN", "DCAC", "DCBNONE",
            "DCDNONE", "DBD01012021", "DBB\(birth)", "DBA\(expiry)", "DBC1", "DAU069 IN", "DAYBRN",
            "DAG123 MAIN STREET", "DAISACRAMENTO", "DAJCA", "DAK958220000  ", "DCFSAMPLEDOCDISCRIM", "DCG\(country)",
        ]
        let dl = Array(("DL" + elements.joined(separator: "\n") + "\r").utf8)
        let zc = Array("ZCZCAY\nZCBCORRECTIVE LENSES\r".utf8)
        let headerLength = 21 + 10 * 2
        func four(_ value: Int) -> String { String(repeating: "0", count: 4 - String(value).count) + String(value) }
        let header = "@\n\u{1E}\rANSI \(issuer)\(version)0002" + "DL\(four(headerLength))\(four(dl.count))"
            + "ZC\(four(headerLength + dl.count))\(four(zc.count))"
        return Array(header.utf8) + dl + zc
    }
}

/// A licence made up for a test: its bytes, and the personal values that must never reach the
/// store, a log or a command's output.
public struct GeneratedLicence: Sendable {
    /// How the header is written: today's `ANSI ` header, version 1's `AAMVA`, a jurisdiction's
    /// own (no compliance indicator, odd designator counts), or none at all.
    public enum Header: String, Sendable, CaseIterable { case ansi, aamvaVersion1, jurisdictionVariant, none }

    public let bytes: [UInt8]
    public let family: String, given: String, birth: String, street: String, number: String
    public var secrets: [String] { [family, given, birth, street, number] }

    /// `birth` as `MMDDCCYY` (or `CCYYMMDD` for version 1, as Canada writes it).
    public init(family: String, given: String, birth: String, expiry: String, street: String, number: String, header: Header) {
        self.family = family
        self.given = given
        self.birth = birth
        self.street = street
        self.number = number
        let elements = ["DAQ\(number)", "DCS\(family)", "DAC\(given)", "DBB\(birth)", "DBA\(expiry)", "DAG\(street)", "DAISPRINGFIELD",
                        "DAJCA", "DAK958220000  ", "DAU069 IN", "DAYBRN", "DCGUSA"]
        let body = "DL" + elements.joined(separator: "\n") + "\r"
        let head: String
        switch header {
        case .ansi: head = "@\n\u{1E}\rANSI 636014090001DL00310000"
        case .aamvaVersion1: head = "@\n\u{1E}\rAAMVA6360000101DL00290000"
        case .jurisdictionVariant: head = "@\r\n\u{1E}ANSI 63601603DL0041"
        case .none: head = ""
        }
        bytes = Array((head + body).utf8)
    }

    /// A licence with random personal values from `next` (a seeded generator's output).
    public static func random(_ next: () -> UInt64, header: Header) -> GeneratedLicence {
        func letters(_ count: Int) -> String {
            String((0..<count).map { _ in Character(UnicodeScalar(UInt8(65 + next() % 26))) })
        }
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(UnicodeScalar(UInt8(48 + next() % 10))) }) }
        let year = 1930 + Int(next() % 70), month = 1 + Int(next() % 12), day = 1 + Int(next() % 28)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let birth = header == .aamvaVersion1 ? "\(year)\(two(month))\(two(day))" : "\(two(month))\(two(day))\(year)"
        let expiry = header == .aamvaVersion1 ? "2099\(two(month))\(two(day))" : "\(two(month))\(two(day))2099"
        return GeneratedLicence(family: letters(8 + Int(next() % 6)), given: letters(6 + Int(next() % 5)), birth: birth, expiry: expiry,
                                street: "\(digits(3)) \(letters(9)) AVE", number: "D" + digits(7 + Int(next() % 5)), header: header)
    }
}
