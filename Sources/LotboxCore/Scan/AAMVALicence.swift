/// A North American driver's licence or ID card as read from its PDF417 barcode (AAMVA DL/ID
/// card design standard). lotbox reads it only to check age and expiry at a kiosk, so only the
/// date of birth and the expiry are parsed: no name, address or number is ever held in a value
/// that could be logged. The issuer number and version come from the header, when there is one.
public struct AAMVALicence: Hashable, Sendable, CustomStringConvertible {
    /// The issuer's identification number (6 digits, e.g. 636014 for California), from the header.
    public let issuer: String?
    public let version: Int?
    public let dateOfBirth: CalendarDate
    public let expiry: CalendarDate?

    /// Reads the two dates from bytes `LicenceSignature` took for a licence. The rejection's
    /// reason never quotes the bytes.
    public init<C: Collection>(_ bytes: C) throws(ScanRejection) where C.Element == UInt8 {
        let array = Array(bytes)
        if let at = LicenceSignature.headerOffset(array) {
            issuer = String(decoding: array[at..<(at + 6)], as: UTF8.self)
            version = at + 8 <= array.count ? Self.number(array[(at + 6)..<(at + 8)]) : nil
        } else {
            issuer = nil
            version = nil
        }
        guard let birth = Self.element("DBB", in: array) else {
            throw ScanRejection(.malformed, "licence data has no date of birth (DBB)", withheld: true)
        }
        guard let dateOfBirth = Self.date(birth) else {
            throw ScanRejection(.malformed, "licence date of birth is not a date", withheld: true)
        }
        self.dateOfBirth = dateOfBirth
        self.expiry = Self.element("DBA", in: array).flatMap(Self.date)
    }

    /// The licence number (DAQ), read only where a shop asked to recognise returning customers.
    public static func number<C: Collection>(in bytes: C) -> String? where C.Element == UInt8 {
        element("DAQ", in: Array(bytes)).map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value of the first `id` element at a line start (or after the header line's subfile
    /// type), up to the next line break.
    static func element(_ id: String, in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let key = Array(id.utf8)
        var starts = LicenceSignature.lineStarts(bytes)
        // The first element of the first subfile follows its type ("DLDAQ...") on the header line.
        if let header = LicenceSignature.headerOffset(bytes) {
            for index in header..<bytes.count {
                if LicenceSignature.isLineBreak(bytes[index]) { break }
                if index + 5 <= bytes.count, ["DL", "ID"].contains(String(decoding: bytes[index..<(index + 2)], as: UTF8.self)),
                   bytes[(index + 2)..<(index + 5)].elementsEqual(key) {
                    starts.append(index + 2)
                }
            }
        }
        for start in starts {
            for skip in [0, 2] where start + skip + 3 <= bytes.count && bytes[(start + skip)..<(start + skip + 3)].elementsEqual(key) {
                let from = start + skip + 3
                var end = from
                while end < bytes.count && !LicenceSignature.isLineBreak(bytes[end]) { end += 1 }
                return bytes[from..<end]
            }
        }
        return nil
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy(LicenceSignature.isDigit) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1) - 48 }
    }

    /// `MMDDCCYY` (US) or `CCYYMMDD` (Canada, version 1). The two never collide: a month is
    /// 01-12 and a century 18-22, so the first two digits say which it is.
    static func date(_ text: ArraySlice<UInt8>) -> CalendarDate? {
        let digits = Array(text.prefix(8)).map { Int($0) - 48 }
        guard digits.count == 8, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        func value(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        if (18...22).contains(value(0..<2)) {
            return CalendarDate.valid(year: value(0..<4), month: value(4..<6), day: value(6..<8))
        }
        return CalendarDate.valid(year: value(4..<8), month: value(0..<2), day: value(2..<4))
    }

    /// Age in whole years on `today`.
    public func age(on today: CalendarDate) -> Int { dateOfBirth.age(on: today) }

    /// True when the document expired before `today`.
    public func isExpired(on today: CalendarDate) -> Bool { expiry.map { $0 < today } ?? false }

    /// Redacted: the issuer and version, never the person.
    public var description: String {
        "AAMVA licence from \(issuer ?? "an unnamed issuer")\(version.map { " (v\($0))" } ?? "")"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
