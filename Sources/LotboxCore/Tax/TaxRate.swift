/// A tax rate exactly as the law writes it: a fraction of one kept as digits and a power of
/// ten, so 8.875% is 8875 / 10^5 and 0.3125% is 3125 / 10^6, never cut to a fixed number of
/// places. Stored as its decimal text ("0.08875"), which reads back to the same rate.
public struct TaxRate: Hashable, Sendable, CustomStringConvertible {
    /// The rate is `digits / 10^places` of one.
    public let digits: Int64
    public let places: Int

    /// More places than any tax law uses; keeps every product below Int128's range.
    public static let maxPlaces = 12

    /// `digits / 10^places`, with trailing zeros taken off so equal rates compare equal.
    public init(digits: Int64, places: Int) {
        var digits = digits, places = places
        while places > 0 && digits % 10 == 0 { digits /= 10; places -= 1 }
        self.digits = digits
        self.places = places
    }

    /// Parses "8.875%" (a percentage) or "0.08875" (a fraction of one). Refuses a negative
    /// rate, a rate over 100%, and more than `maxPlaces` places of a fraction of one.
    public init(parsing text: String) throws(TaxRateError) {
        var body = Substring(text.trimmingWhitespace())
        let percent = body.hasSuffix("%")
        if percent { body = body.dropLast() }
        body = Substring(String(body).trimmingWhitespace())
        var digits: Int128 = 0
        var places = 0
        var seenPoint = false
        var digitCount = 0
        for character in body.utf8 {
            if character == UInt8(ascii: ".") {
                guard !seenPoint else { throw TaxRateError(text: text) }
                seenPoint = true
                continue
            }
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { throw TaxRateError(text: text) }
            digitCount += 1
            guard digitCount <= 18 else { throw TaxRateError(text: text) }
            digits = digits * 10 + Int128(character - UInt8(ascii: "0"))
            if seenPoint { places += 1 }
        }
        guard digitCount > 0 else { throw TaxRateError(text: text) }
        if percent { places += 2 }
        let rate = TaxRate(digits: Int64(digits), places: places)
        guard rate.places <= TaxRate.maxPlaces else { throw TaxRateError(text: text) }
        guard rate.fraction.numerator <= rate.fraction.denominator else { throw TaxRateError(text: text) }
        self = rate
    }

    public static let zero = TaxRate(digits: 0, places: 0)

    /// The rate as a fraction of one.
    public var fraction: Fraction { Fraction(Int128(digits), Fraction.powerOfTen(places)) }

    /// The stored form, a fraction of one: "0.08875", "0.15", "0".
    public var decimalText: String { TaxRate.decimal(digits, places) }

    /// As a receipt shows it: "8.875%", "0.3125%", "15%".
    public var percentText: String {
        places <= 2 ? "\(digits * TaxRate.power(2 - places))%" : TaxRate.decimal(digits, places - 2) + "%"
    }

    public var description: String { percentText }

    private static func power(_ n: Int) -> Int64 { (0..<n).reduce(Int64(1)) { value, _ in value * 10 } }

    private static func decimal(_ digits: Int64, _ places: Int) -> String {
        guard places > 0 else { return String(digits) }
        let text = String(digits)
        let padded = String(repeating: "0", count: max(0, places + 1 - text.count)) + text
        let split = padded.index(padded.endIndex, offsetBy: -places)
        return padded[..<split] + "." + padded[split...]
    }
}

/// A rate that is not a percentage or fraction the store can keep exactly.
public struct TaxRateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "rate '\(text)' is not a tax rate; expected a percentage such as \"8.875%\" or a fraction of one such as \"0.08875\" "
            + "(0 to 100%, at most \(TaxRate.maxPlaces) places)"
    }
}
