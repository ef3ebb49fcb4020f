/// How a tax amount is rounded to the cent. Laws differ: most round half up, a few say half to
/// even, some always up (in the state's favour) or down.
public enum TaxRounding: String, Sendable, CaseIterable {
    case halfUp = "half-up"
    case halfEven = "half-even"
    case up
    case down

    /// An exact amount in ten-thousandths of a dollar, to whole cents (still in ten-thousandths).
    /// Amounts are never negative here; a negative one rounds as its magnitude does.
    public func cents(_ amount: Fraction) throws(TaxOverflow) -> Int64 {
        let (denominator, overflow) = amount.denominator.multipliedReportingOverflow(by: 100)
        guard !overflow else { throw TaxOverflow() }
        let cents = divide(amount.numerator, denominator)
        guard let units = Int64(exactly: cents * 100) else { throw TaxOverflow() }
        return units
    }

    /// `numerator / denominator` (denominator > 0) to an integer by this rule.
    public func divide(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let negative = numerator < 0
        let magnitude = numerator.magnitude
        let whole = magnitude / denominator.magnitude
        let remainder = magnitude % denominator.magnitude
        let twice = remainder * 2
        let roundsAway: Bool
        switch self {
        case .halfUp: roundsAway = twice >= denominator.magnitude
        case .halfEven: roundsAway = twice > denominator.magnitude || (twice == denominator.magnitude && whole % 2 == 1)
        case .up: roundsAway = remainder > 0
        case .down: roundsAway = false
        }
        let result = Int128(whole + (roundsAway ? 1 : 0))
        return negative ? -result : result
    }
}
