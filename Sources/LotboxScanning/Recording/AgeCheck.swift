import LotboxCore

/// A kiosk's age check on a licence scan: the outcome is all lotbox keeps.
public struct AgeCheck: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case passed
        case underAge(minimum: Int)
        case expired
        /// The licence carries no expiry date (DBA), so whether it is still valid is unknown.
        case noExpiry
        /// The wall clock is known to be behind (the store has issued ids from later), so
        /// neither today's date nor the age can be trusted.
        case clockBehind

        public var description: String {
            switch self {
            case .passed: return "passed"
            case .underAge(let minimum): return "refused: under \(minimum)"
            case .expired: return "refused: licence expired"
            case .noExpiry: return "refused: licence has no expiry date"
            case .clockBehind: return "refused: the clock is behind, so today's date is unknown"
            }
        }

        public var passed: Bool { self == .passed }
    }

    public let minimumAge: Int
    /// Days a returning customer is recognised for (an HMAC of issuer and licence number); nil:
    /// nothing about the licence is kept.
    public let rememberCustomersDays: Int?
    /// The shop's zone: "today" is the shop's calendar day, not the box's or UTC's, so a
    /// licence read at 23:30 in Los Angeles is checked against that evening's date.
    public let timeZone: ShopTimeZone

    public init(minimumAge: Int = 21, timeZone: ShopTimeZone, rememberCustomersDays: Int? = nil) {
        self.minimumAge = minimumAge
        self.timeZone = timeZone
        self.rememberCustomersDays = rememberCustomersDays
    }

    /// Fails closed: a clock known to be wrong or a licence without an expiry never passes.
    public func check(_ licence: AAMVALicence, today: CalendarDate, clock: ClockStatus = .ok) -> Outcome {
        if !clock.isOK { return .clockBehind }
        guard licence.expiry != nil else { return .noExpiry }
        if licence.isExpired(on: today) { return .expired }
        return licence.age(on: today) >= minimumAge ? .passed : .underAge(minimum: minimumAge)
    }

    /// Today in the shop, the calendar a clerk reads a birth date and an expiry against.
    public func today() -> CalendarDate { timeZone.today() }
}
