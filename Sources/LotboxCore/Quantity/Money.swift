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

    /// "$12.50", "-$5.00" (rounded half away from zero to cents).
    public var description: String {
        let cents = (amount.units + (amount.units >= 0 ? 50 : -50)) / 100
        let fixed = Fixed4(units: abs(cents) * 100).decimalText
        return (cents < 0 ? "-$" : "$") + fixed.dropLast(2)
    }
}

/// A price that is not a non-negative decimal amount.
public struct MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let negative: Bool

    public init(text: String, negative: Bool = false) {
        self.text = text
        self.negative = negative
    }

    public var description: String {
        if negative { return "price '\(text)' is negative; expected zero or more, such as 12.50 or $12.50" }
        return "price '\(text)' is not an amount of money; expected a non-negative decimal such as 12.50 or $12.50"
    }
}
