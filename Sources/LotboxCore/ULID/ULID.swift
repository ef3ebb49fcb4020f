/// A 128-bit ULID: 48 bits of Unix milliseconds followed by 80 random bits.
///
/// OpenTHC names every object with a ULID so that boxes that never talk to each other still
/// issue collision-free, time-ordered identifiers. Comparison is by value, which is also the
/// order of the 26-character text form.
public struct ULID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Time (48 bits) and the top 16 random bits.
    public let high: UInt64
    /// The low 64 random bits.
    public let low: UInt64

    /// The largest timestamp a ULID can carry (2^48 - 1 ms).
    public static let maxMilliseconds: UInt64 = (1 << 48) - 1

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Builds a ULID from a timestamp and the 80-bit random part (`randomHigh` keeps its low 16 bits).
    public init(milliseconds: UInt64, randomHigh: UInt16, randomLow: UInt64) {
        precondition(milliseconds <= ULID.maxMilliseconds, "ULID time out of range")
        self.high = (milliseconds << 16) | UInt64(randomHigh)
        self.low = randomLow
    }

    /// Unix time in milliseconds.
    public var milliseconds: UInt64 { high >> 16 }

    /// The 80-bit random part, split as (top 16 bits, low 64 bits).
    public var random: (high: UInt16, low: UInt64) { (UInt16(truncatingIfNeeded: high), low) }

    public static func < (lhs: ULID, rhs: ULID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public var description: String { text }
}
