/// An exact amount in a dimension's base unit (grams, liters or each).
///
/// Input in any unit is converted once, on the way in, to ten-thousandths of the base unit; an
/// exact half rounds away from zero (3.5 oz = 99.2233309375 g is kept as 99.2233 g). Counts are
/// whole: "2.5 ea" is refused rather than rounded.
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
    public var amount: Fixed4
    public var dimension: Dimension

    public init(amount: Fixed4, dimension: Dimension) {
        self.amount = amount
        self.dimension = dimension
    }

    public init(units: Int64, dimension: Dimension) {
        self.init(amount: Fixed4(units: units), dimension: dimension)
    }

    /// Parses "3.5 g", "3.5g", "1 lb", "12 fl oz", "10 ea"; with `allowNegative`, "-2 g" too.
    public init(parsing text: String, allowNegative: Bool = false) throws(QuantityError) {
        let trimmed = text.trimmingWhitespace()
        let numberEnd = trimmed.firstIndex(where: { !("0"..."9").contains($0) && $0 != "." && $0 != "-" && $0 != "+" })
            ?? trimmed.endIndex
        let number = String(trimmed[..<numberEnd])
        let unitText = String(trimmed[numberEnd...]).trimmingWhitespace()
        guard !number.isEmpty else { throw .notANumber(text) }
        // "1e9 kg", "1,000 g", "3.5.1 g": the number is badly written, not the unit unknown.
        if let first = unitText.unicodeScalars.first, "eE,_".unicodeScalars.contains(first),
           unitText.dropFirst().first.map({ ("0"..."9").contains($0) || $0 == "-" || $0 == "+" }) == true {
            throw .numberFormat(text)
        }
        guard !unitText.isEmpty else { throw .missingUnit(text) }
        guard let unit = MeasureUnit(spelling: unitText) else { throw .unknownUnit(text, unitText) }
        try self.init(number: number, unit: unit, original: text, allowNegative: allowNegative)
    }

    /// A number given in a known unit.
    public init(number: String, unit: MeasureUnit, allowNegative: Bool = false) throws(QuantityError) {
        try self.init(number: number, unit: unit, original: "\(number) \(unit.rawValue)", allowNegative: allowNegative)
    }

    private init(number: String, unit: MeasureUnit, original: String, allowNegative: Bool) throws(QuantityError) {
        let amount: Fixed4
        do {
            amount = try Fixed4(parsing: number, factor: unit.factor, allowNegative: allowNegative)
        } catch {
            switch error {
            case .notANumber: throw .notANumber(original)
            case .negative: throw .negative(original)
            case .overflow: throw .overflow(original)
            }
        }
        if unit == .ea && !amount.isWhole { throw .fractionalCount(original) }
        self.init(amount: amount, dimension: unit.dimension)
    }

    /// "3.5 g", "0.25 l", "10 ea".
    public var description: String { "\(amount) \(dimension.rawValue)" }

    /// "5 lb": the amount in another unit of the same dimension, to four places, trailing zeros
    /// trimmed; nil when the unit measures something else.
    public func description(in unit: MeasureUnit) -> String? {
        amount(in: unit).map { "\($0) \(unit.rawValue)" }
    }

    /// The amount in another unit of the same dimension, rounded to four places for display.
    public func amount(in unit: MeasureUnit) -> Fixed4? {
        guard unit.dimension == dimension else { return nil }
        let (digits, scale) = unit.factor
        // amount / factor = units * 10^scale / digits (still in ten-thousandths).
        let numerator = Int128(amount.units) * pow10(scale)
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: digits)
        let rounded = remainder.magnitude * 2 >= digits.magnitude ? quotient + (numerator < 0 ? -1 : 1) : quotient
        return Fixed4(units: Int64(clamping: rounded))
    }
}

private func pow10(_ exponent: Int) -> Int128 {
    var value: Int128 = 1
    for _ in 0..<exponent { value *= 10 }
    return value
}

/// Why a text is not a quantity. Each message names the value and the allowed units.
public enum QuantityError: Error, Equatable, Sendable, CustomStringConvertible {
    case notANumber(String)
    case numberFormat(String)
    case missingUnit(String)
    case unknownUnit(String, String)
    case negative(String)
    case overflow(String)
    case fractionalCount(String)
    case wrongDimension(String, expected: Dimension)

    public var description: String {
        switch self {
        case .notANumber(let text):
            return "quantity '\(text)' is not a number followed by a unit; expected e.g. '3.5 g' with one of \(MeasureUnit.allowedList)"
        case .numberFormat(let text):
            return "quantity '\(text)' is not written as a plain decimal number (no exponents or thousands separators); expected e.g. '1000000000 kg' or '3.5 g'"
        case .missingUnit(let text):
            return "quantity '\(text)' has no unit; expected one of \(MeasureUnit.allowedList)"
        case .unknownUnit(let text, let unit):
            return "quantity '\(text)' has unknown unit '\(unit)'; expected one of \(MeasureUnit.allowedList)"
        case .negative(let text):
            return "quantity '\(text)' is negative; expected zero or more"
        case .overflow(let text):
            return "quantity '\(text)' is too large; at most 999999999999.9999 g, l or ea"
        case .fractionalCount(let text):
            return "quantity '\(text)' is a fraction of a count; 'ea' takes whole numbers"
        case .wrongDimension(let text, let expected):
            return "quantity '\(text)' is not \(expected == .mass ? "a weight" : expected == .volume ? "a volume" : "a count"); expected \(expected == .mass ? "g, mg, kg, lb or oz" : expected == .volume ? "l, ml or fl oz" : "ea")"
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
