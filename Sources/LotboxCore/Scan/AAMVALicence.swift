/// A North American driver's licence or ID card as read from its PDF417 barcode (AAMVA DL/ID
/// card design standard). lotbox reads it only to check age and expiry at a kiosk: its
/// `description` is redacted, and the store never keeps the fields.
public struct AAMVALicence: Hashable, Sendable, CustomStringConvertible {
    /// "DL" (driver's licence) or "ID" (identification card).
    public let documentType: String
    /// The issuer's identification number (6 digits, e.g. 636014 for California).
    public let issuer: String
    public let version: Int
    public let jurisdiction: String?
    public let familyName: String?
    public let givenName: String?
    public let dateOfBirth: CalendarDate
    public let expiry: CalendarDate?

    /// The fixed start of the data: `@`, LF, RS, CR. Keyboard wedges may turn LF into CR.
    static let compliance: [UInt8] = [0x40, 0x0A, 0x1E, 0x0D]

    /// True when `bytes` start the way AAMVA data does: the framer then reads to the declared length.
    public static func looksLikeStart<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        guard iterator.next() == 0x40 else { return false }
        guard let second = iterator.next() else { return true }
        guard second == 0x0A || second == 0x0D else { return false }
        guard let third = iterator.next() else { return true }
        return third == 0x1E
    }

    /// The total length the header declares (end of its last subfile), nil until enough of the
    /// header has arrived, or `.some(nil)` when the header is not one lotbox can measure.
    public static func declaredLength(_ bytes: ArraySlice<UInt8>) -> Int?? {
        let base = bytes.startIndex
        guard bytes.count >= 21 else { return nil }
        let fileType = String(decoding: bytes[(base + 4)..<(base + 9)], as: UTF8.self)
        guard fileType == "ANSI " || fileType == "AAMVA",
              let version = number(bytes, base + 15, 2), version >= 2,
              let entries = number(bytes, base + 19, 2), (1...20).contains(entries) else { return .some(nil) }
        let headerEnd = base + 21 + 10 * entries
        guard bytes.endIndex >= headerEnd else { return nil }
        var end = headerEnd - base
        for entry in 0..<entries {
            let at = base + 21 + 10 * entry
            guard let offset = number(bytes, at + 2, 4), let length = number(bytes, at + 6, 4) else { return .some(nil) }
            end = max(end, offset + length)
        }
        return .some(end <= 4096 ? end : nil)
    }

    static func number(_ bytes: ArraySlice<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= bytes.endIndex else { return nil }
        var value = 0
        for byte in bytes[at..<(at + count)] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte) - 48
        }
        return value
    }

    public init(_ bytes: ArraySlice<UInt8>) throws(ScanRejection) {
        let base = bytes.startIndex
        guard Self.looksLikeStart(bytes), bytes.count >= 21 else {
            throw ScanRejection(.malformed, "licence data is too short to hold an AAMVA header")
        }
        guard let version = Self.number(bytes, base + 15, 2) else {
            throw ScanRejection(.malformed, "licence header has no AAMVA version number")
        }
        let issuer = String(decoding: bytes[(base + 9)..<(base + 15)], as: UTF8.self)
        guard issuer.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw ScanRejection(.malformed, "licence header has no issuer number")
        }
        var fields: [String: String] = [:]
        var documentType = "DL"
        // Elements are separated by LF (or CR after a keyboard wedge); a subfile starts with its
        // type, so "DLDAQ123" is the subfile "DL" and the element DAQ.
        let text = bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D || $0 == 0x1E })
        for piece in text {
            var element = Array(piece)
            if let start = Self.subfileStart(element) {
                documentType = String(decoding: element[start..<(start + 2)], as: UTF8.self)
                element = Array(element[(start + 2)...])
            }
            guard element.count > 3, element.prefix(3).allSatisfy({ (65...90).contains($0) }) else { continue }
            let id = String(decoding: element.prefix(3), as: UTF8.self)
            if fields[id] == nil {
                fields[id] = String(decoding: element.dropFirst(3), as: UTF8.self).trimmingSpaces()
            }
        }
        let canadian = fields["DCG"]?.uppercased() == "CAN"
        guard let birth = fields["DBB"] else { throw ScanRejection(.malformed, "licence data has no date of birth (DBB)") }
        guard let dateOfBirth = Self.date(birth, yearFirst: version < 2 || canadian) else {
            throw ScanRejection(.malformed, "licence date of birth is not a date")
        }
        var family = fields["DCS"] ?? fields["DAB"]
        var given = fields["DAC"] ?? fields["DCT"] ?? fields["DAC"]
        if family == nil, let full = fields["DAA"] {
            let parts = full.split(separator: ",")
            family = parts.first.map(String.init)
            given = parts.count > 1 ? String(parts[1]) : nil
        }
        self.documentType = documentType
        self.issuer = issuer
        self.version = version
        self.jurisdiction = fields["DAJ"]
        self.familyName = family
        self.givenName = given
        self.dateOfBirth = dateOfBirth
        self.expiry = fields["DBA"].flatMap { Self.date($0, yearFirst: version < 2 || canadian) }
    }

    /// Where "DL" or "ID" followed by an element id starts, within the first header line.
    static func subfileStart(_ element: [UInt8]) -> Int? {
        guard element.count >= 5 else { return nil }
        for index in 0...(element.count - 5) {
            let pair = (element[index], element[index + 1])
            let isType = pair == (0x44, 0x4C) || pair == (0x49, 0x44) // "DL", "ID"
            if isType, element[(index + 2)..<(index + 5)].allSatisfy({ (65...90).contains($0) }),
               index == 0 || element[0] == 0x41 {
                // At the front of a line, or inside the header line ("ANSI ..." or "AAMVA...");
                // a designator ("DL0041...") has digits after its type, so it is passed over.
                return index
            }
        }
        return nil
    }

    /// `MMDDCCYY` (US) or `CCYYMMDD` (Canada, version 1); the other order is tried when the first fails.
    static func date(_ text: String, yearFirst: Bool) -> CalendarDate? {
        let digits = Array(text.utf8.prefix(8)).map { Int($0) - 48 }
        guard digits.count == 8, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        func value(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        let us = CalendarDate.valid(year: value(4..<8), month: value(0..<2), day: value(2..<4))
        let iso = CalendarDate.valid(year: value(0..<4), month: value(4..<6), day: value(6..<8))
        return yearFirst ? (iso ?? us) : (us ?? iso)
    }

    /// Age in whole years on `today`.
    public func age(on today: CalendarDate) -> Int { dateOfBirth.age(on: today) }

    /// True when the document expired before `today`.
    public func isExpired(on today: CalendarDate) -> Bool { expiry.map { $0 < today } ?? false }

    /// Redacted: the kind of document and its issuer, never the person.
    public var description: String { "AAMVA \(documentType) from \(issuer) (v\(version))" }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
