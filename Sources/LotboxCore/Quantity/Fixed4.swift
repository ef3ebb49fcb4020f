/// An exact decimal with four places, as OpenTHC's `numeric(16,4)`: quantities to 0.1 mg or
/// 0.1 ml, money, lab values. Stored as a count of ten-thousandths; never a binary float,
/// so 0.1 + 0.2 is 0.3 and a lot's quantity equals the sum of its ledger exactly.
public struct Fixed4: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Ten-thousandths.
    public var units: Int64

    public static let scale: Int64 = 10_000
    /// numeric(16,4): at most 12 digits before the point.
    public static let maxUnits: Int64 = 9_999_999_999_999_999

    public init(units: Int64) { self.units = units }
    public init(whole: Int64) { self.units = whole * Fixed4.scale }

    public static let zero = Fixed4(units: 0)

    /// `a × b` for two values in ten-thousandths, back in ten-thousandths, rounded half away
    /// from zero once (a quantity times a unit price, an amount times a tax rate).
    public static func multiply(_ a: Int64, _ b: Int64) -> Int64 {
        let product = Int128(a) * Int128(b)
        let half = Int128(scale / 2)
        let rounded = product >= 0 ? (product + half) / Int128(scale) : (product - half) / Int128(scale)
        return Int64(clamping: rounded)
    }

    /// Rounds ten-thousandths to whole cents (hundreds of units), half away from zero.
    public static func roundedToCents(_ units: Int64) -> Int64 {
        units >= 0 ? (units + 50) / 100 * 100 : (units - 50) / 100 * 100
    }

    public static func < (lhs: Fixed4, rhs: Fixed4) -> Bool { lhs.units < rhs.units }
    public static func + (lhs: Fixed4, rhs: Fixed4) -> Fixed4 { Fixed4(units: lhs.units + rhs.units) }
    public static func - (lhs: Fixed4, rhs: Fixed4) -> Fixed4 { Fixed4(units: lhs.units - rhs.units) }
    public static prefix func - (value: Fixed4) -> Fixed4 { Fixed4(units: -value.units) }

    public var isWhole: Bool { units % Fixed4.scale == 0 }

    /// Always four places: `2200.0000`, `-0.0500`. The form export and import use.
    public var decimalText: String {
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / UInt64(Fixed4.scale)
        let fraction = String(magnitude % UInt64(Fixed4.scale))
        return "\(sign)\(whole).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    /// Shortest exact form: `3.5`, `10`, `0.0001`.
    public var description: String {
        var text = decimalText
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Parses a plain decimal (`12`, `3.5`, `.25`, `-2`) and scales it by `factor`, rounding to
    /// four places with halves rounded away from zero.
    ///
    /// `factor` is an exact decimal given as digits and a scale: 453.59237 is (45359237, 5).
    public init(parsing text: String, factor: (digits: Int128, scale: Int) = (1, 0),
                allowNegative: Bool = false) throws(Fixed4Error) {
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() }
        else if body.first == "+" { body = body.dropFirst() }
        if negative && !allowNegative { throw .negative(text) }
        var digits: Int128 = 0
        var scale = 0
        var seenPoint = false
        var digitCount = 0
        for character in body.utf8 {
            if character == UInt8(ascii: ".") {
                guard !seenPoint else { throw .notANumber(text) }
                seenPoint = true
                continue
            }
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else {
                throw .notANumber(text)
            }
            digitCount += 1
            guard digitCount <= 24 else { throw .overflow(text) }
            digits = digits * 10 + Int128(character - UInt8(ascii: "0"))
            if seenPoint { scale += 1 }
        }
        guard digitCount > 0 else { throw .notANumber(text) }
        // value = digits * factor.digits / 10^(scale + factor.scale); we want it times 10^4.
        var product = digits * factor.digits
        var shift = scale + factor.scale - 4
        if shift < 0 {
            while shift < 0 {
                let (next, overflow) = product.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw .overflow(text) }
                product = next
                shift += 1
            }
        } else if shift > 0 {
            var divisor: Int128 = 1
            for _ in 0..<shift { divisor *= 10 }
            let (quotient, remainder) = product.quotientAndRemainder(dividingBy: divisor)
            product = remainder * 2 >= divisor ? quotient + 1 : quotient
        }
        guard product <= Int128(Fixed4.maxUnits) else { throw .overflow(text) }
        self.units = negative ? -Int64(product) : Int64(product)
    }
}

/// Why a text is not an acceptable decimal.
public enum Fixed4Error: Error, Equatable, Sendable {
    case notANumber(String)
    case negative(String)
    case overflow(String)
}
