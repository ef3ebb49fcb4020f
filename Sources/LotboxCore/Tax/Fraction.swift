/// An exact rational number for tax arithmetic (a rate times an amount, a price divided by
/// one plus its taxes), kept in lowest terms. Each step that would leave Int128's range throws
/// instead of trapping: a sale too large to tax exactly is refused, never rounded silently.
public struct Fraction: Hashable, Sendable {
    public let numerator: Int128
    /// Always positive.
    public let denominator: Int128

    public init(_ numerator: Int128, _ denominator: Int128 = 1) {
        let sign: Int128 = denominator < 0 ? -1 : 1
        let divisor = Fraction.gcd(numerator.magnitude, denominator.magnitude)
        let common = divisor == 0 ? 1 : Int128(divisor)
        self.numerator = sign * numerator / common
        self.denominator = sign * denominator / common
    }

    public static let zero = Fraction(0)
    public static let one = Fraction(1)

    public static func powerOfTen(_ n: Int) -> Int128 { (0..<n).reduce(Int128(1)) { value, _ in value * 10 } }

    public func plus(_ other: Fraction) throws(TaxOverflow) -> Fraction {
        let common = Int128(Fraction.gcd(denominator.magnitude, other.denominator.magnitude))
        let left = try Fraction.times(numerator, other.denominator / common)
        let right = try Fraction.times(other.numerator, denominator / common)
        let (sum, overflow) = left.addingReportingOverflow(right)
        guard !overflow else { throw TaxOverflow() }
        return Fraction(sum, try Fraction.times(denominator / common, other.denominator))
    }

    public func minus(_ other: Fraction) throws(TaxOverflow) -> Fraction {
        try plus(Fraction(-other.numerator, other.denominator))
    }

    public func times(_ other: Fraction) throws(TaxOverflow) -> Fraction {
        // Cross-reduce first so the products stay as small as they can.
        let a = Int128(Fraction.gcd(numerator.magnitude, other.denominator.magnitude).nonZero)
        let b = Int128(Fraction.gcd(other.numerator.magnitude, denominator.magnitude).nonZero)
        return Fraction(try Fraction.times(numerator / a, other.numerator / b),
                        try Fraction.times(denominator / b, other.denominator / a))
    }

    public func dividedBy(_ other: Fraction) throws(TaxOverflow) -> Fraction {
        guard other.numerator != 0 else { throw TaxOverflow() }
        return try times(Fraction(other.denominator, other.numerator))
    }

    /// This value (in ten-thousandths of a dollar) to whole ten-thousandths, half away from zero.
    public var roundedUnits: Int64 { Int64(clamping: TaxRounding.halfUp.divide(numerator, denominator)) }

    static func times(_ a: Int128, _ b: Int128) throws(TaxOverflow) -> Int128 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw TaxOverflow() }
        return product
    }

    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

private extension UInt128 {
    var nonZero: UInt128 { self == 0 ? 1 : self }
}

/// Tax arithmetic that would not fit exactly.
public struct TaxOverflow: Error, Equatable, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the sale's amounts are too large to tax exactly" }
}
