/// An exact amount of money with four places (unit prices per gram can have fractions of a
/// cent); shown rounded to cents. The currency is the store's (USD unless configured).
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var amount: Fixed4

    public init(amount: Fixed4) { self.amount = amount }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.amount < rhs.amount }

    /// Parses "12.50", "$12.50", "12.5 USD".
    public init(parsing text: String) throws(MoneyError) {
        var body = text.trimmingWhitespace()
        if body.hasPrefix("$") { body.removeFirst() }
        if body.uppercased().hasSuffix("USD") { body.removeLast(3) }
        body = body.trimmingWhitespace()
        if body.hasPrefix("-") && (try? Fixed4(parsing: String(body.dropFirst()))) != nil {
            throw MoneyError(text: text, negative: true)
        }
        do {
            amount = try Fixed4(parsing: body)
        } catch {
            throw MoneyError(text: text)
        }
    }

    /// "$12.50", "-$5.00" (rounded half away from zero to cents): retail money, as a shelf tag,
    /// a receipt or `station status` shows it.
    public var description: String {
        let cents = (amount.units + (amount.units >= 0 ? 50 : -50)) / 100
        let fixed = Fixed4(units: abs(cents) * 100).decimalText
        return (cents < 0 ? "-$" : "$") + fixed.dropLast(2)
    }

    /// A wholesale (B2B) unit price, which keeps its fractions of a cent: $1,200 a pound is
    /// "$2.6455" a gram. At least two places ("$10.00"), at most four, no trailing zeros past two.
    public var wholesaleDescription: String {
        var text = amount.decimalText
        while text.hasSuffix("0"), let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) > 3 {
            text.removeLast()
        }
        return text.hasPrefix("-") ? "-$" + text.dropFirst() : "$" + text
    }

    /// A price per `unit` as a price per the dimension's base unit, to four places, rounded
    /// once (half away from zero): $1,200 per lb is $2.6455 per g.
    public func perBaseUnit(from unit: MeasureUnit) -> Money {
        let (digits, scale) = unit.factor
        var numerator = Int128(amount.units)
        for _ in 0..<scale { numerator *= 10 }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: digits)
        let rounded = remainder.magnitude * 2 >= digits.magnitude ? quotient + (numerator < 0 ? -1 : 1) : quotient
        return Money(amount: Fixed4(units: Int64(clamping: rounded)))
    }

    /// Whether the amount is whole cents: a retail price is, or a till could not take it.
    public var isWholeCents: Bool { amount.units % 100 == 0 }

    /// Parses a retail price: whole cents only ("12.50", "$12.5"); "0.005" is refused.
    public init(parsingRetail text: String) throws(MoneyError) {
        try self.init(parsing: text)
        guard isWholeCents else { throw MoneyError(text: text, reason: .fractionOfACent) }
    }
}

/// A price that is not a non-negative decimal amount.
public struct MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable { case notAnAmount, negative, fractionOfACent }
    public let text: String
    public let reason: Reason
    public var negative: Bool { reason == .negative }

    public init(text: String, negative: Bool = false) {
        self.text = text
        self.reason = negative ? .negative : .notAnAmount
    }

    public init(text: String, reason: Reason) {
        self.text = text
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notAnAmount:
            return "price '\(text)' is not an amount of money; expected a non-negative decimal such as 12.50 or $12.50"
        case .negative:
            return "price '\(text)' is negative; expected zero or more, such as 12.50 or $12.50"
        case .fractionOfACent:
            return "retail price '\(text)' has a fraction of a cent; expected whole cents such as 12.50"
        }
    }
}
