/// A GS1 element string: the Application Identifiers and their values, checked. Parsed from
/// what a scanner sends (FNC1 as the GS byte 0x1D between variable-length fields) or from the
/// human-readable form people type, `(01)09506000134352(10)ABC`.
public struct GS1ElementString: Hashable, Sendable {
    public struct Element: Hashable, Sendable {
        public let ai: String
        public let value: String
    }

    public let elements: [Element]

    public subscript(ai: String) -> String? { elements.first { $0.ai == ai }?.value }

    public var gtin: String? { self["01"] }
    public var sscc: String? { self["00"] }
    public var batch: String? { self["10"] }
    public var serial: String? { self["21"] }
    /// Expiry as ISO date text (`2027-03-31`), day 00 read as the month's last day.
    public var expiry: String? { self["17"].flatMap(Self.isoDate) }
    /// Net weight in kilograms as decimal text, from any 310n.
    public var netWeightKilograms: String? {
        elements.first { $0.ai.hasPrefix("310") }.flatMap { element in
            GS1ApplicationIdentifier.measure(element.ai).flatMap { Self.decimalText(element.value, places: $0.decimals ?? 0) }
        }
    }

    /// The human-readable form: `(01)...(10)...`.
    public var bracketed: String { elements.map { "(\($0.ai))\($0.value)" }.joined() }

    static let groupSeparator: UInt8 = 0x1D

    /// Parses the data after an AIM prefix (or after a leading FNC1/GS).
    public init(scanned bytes: ArraySlice<UInt8>) throws(ScanRejection) {
        var rest = bytes
        while rest.first == Self.groupSeparator { rest = rest.dropFirst() }
        if rest.first == UInt8(ascii: "(") {
            self.elements = try Self.parseBracketed(rest)
            return
        }
        guard !rest.isEmpty else { throw ScanRejection(.malformed, "GS1 data is empty") }
        var elements: [Element] = []
        while !rest.isEmpty {
            guard let ai = GS1ApplicationIdentifier.lookup(rest) else {
                throw ScanRejection(.malformed, "GS1 AI '\(Self.printable(rest.prefix(4)))' is not one lotbox reads")
            }
            rest = rest.dropFirst(ai.ai.count)
            let value: ArraySlice<UInt8>
            if ai.fixed {
                guard rest.count >= ai.length else {
                    throw ScanRejection(.malformed, "GS1 (\(ai.ai)) \(ai.title) needs \(ai.length) characters, has \(rest.count)")
                }
                value = rest.prefix(ai.length)
                rest = rest.dropFirst(ai.length)
                // A GS after a fixed-length field is allowed (some encoders add it).
                if rest.first == Self.groupSeparator { rest = rest.dropFirst() }
            } else {
                let end = rest.firstIndex(of: Self.groupSeparator) ?? rest.endIndex
                value = rest[rest.startIndex..<end]
                rest = end == rest.endIndex ? rest[end...] : rest[(end + 1)...]
            }
            elements.append(try Self.checked(ai, value))
        }
        self.elements = elements
    }

    static func parseBracketed(_ bytes: ArraySlice<UInt8>) throws(ScanRejection) -> [Element] {
        var elements: [Element] = []
        var rest = bytes
        while !rest.isEmpty {
            guard rest.first == UInt8(ascii: "("), let close = rest.firstIndex(of: UInt8(ascii: ")")) else {
                throw ScanRejection(.malformed, "GS1 text '\(printable(rest.prefix(12)))' should continue with (AI)")
            }
            let aiDigits = rest[(rest.startIndex + 1)..<close]
            guard let ai = GS1ApplicationIdentifier.lookup(aiDigits), ai.ai.count == aiDigits.count else {
                throw ScanRejection(.malformed, "GS1 AI '(\(printable(aiDigits)))' is not one lotbox reads")
            }
            rest = rest[(close + 1)...]
            let end = rest.firstIndex(of: UInt8(ascii: "(")) ?? rest.endIndex
            elements.append(try checked(ai, rest[rest.startIndex..<end]))
            rest = rest[end...]
        }
        return elements
    }

    static func checked(_ ai: GS1ApplicationIdentifier, _ value: ArraySlice<UInt8>) throws(ScanRejection) -> Element {
        let label = "GS1 (\(ai.ai)) \(ai.title)"
        guard !value.isEmpty else { throw ScanRejection(.malformed, "\(label) is empty") }
        if ai.fixed && value.count != ai.length {
            throw ScanRejection(.malformed, "\(label) needs \(ai.length) characters, has \(value.count)")
        }
        if !ai.fixed && value.count > ai.length {
            throw ScanRejection(.malformed, "\(label) is \(value.count) characters, at most \(ai.length) allowed")
        }
        if ai.numeric && !value.allSatisfy({ (48...57).contains($0) }) {
            throw ScanRejection(.malformed, "\(label) '\(printable(value))' must be digits")
        }
        // GS1 character set 82: printable ASCII except a few; refuse controls and non-ASCII.
        guard value.allSatisfy({ (33...126).contains($0) }) else {
            throw ScanRejection(.malformed, "\(label) holds characters outside the GS1 set")
        }
        switch ai.check {
        case .mod10:
            guard CheckDigit.isValidGS1(value) else {
                throw ScanRejection(.badCheckDigit, "\(label) '\(printable(value))' has a wrong check digit")
            }
        case .date:
            guard isoDate(String(decoding: value, as: UTF8.self)) != nil else {
                throw ScanRejection(.malformed, "\(label) '\(printable(value))' is not a date YYMMDD")
            }
        case .none:
            break
        }
        return Element(ai: ai.ai, value: String(decoding: value, as: UTF8.self))
    }

    /// YYMMDD to `YYYY-MM-DD`; the century is the one that puts the year within 49 years before
    /// or 50 after 2026 (GS1's sliding window, fixed to this release).
    static func isoDate(_ text: String) -> String? {
        let digits = Array(text.utf8).map { Int($0) - 48 }
        guard digits.count == 6, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let yy = digits[0] * 10 + digits[1], month = digits[2] * 10 + digits[3], day = digits[4] * 10 + digits[5]
        let year = yy <= 76 ? 2000 + yy : 1900 + yy
        guard (1...12).contains(month) else { return nil }
        let last = CalendarDate.daysIn(month: month, year: year)
        guard day <= last else { return nil }
        return CalendarDate(year: year, month: month, day: day == 0 ? last : day).iso
    }

    static func decimalText(_ digits: String, places: Int) -> String? {
        guard places > 0 else { return String(Int(digits) ?? 0) }
        guard digits.count > places, let whole = Int(digits.dropLast(places)) else { return nil }
        return "\(whole).\(digits.suffix(places))"
    }

    static func printable<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        ScanText.printable(bytes)
    }
}
