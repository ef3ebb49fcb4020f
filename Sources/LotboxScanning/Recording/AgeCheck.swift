import LotboxCore

/// A kiosk's age check on a licence scan: the outcome is all lotbox keeps.
public struct AgeCheck: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case passed
        case underAge(minimum: Int)
        case expired

        public var description: String {
            switch self {
            case .passed: return "passed"
            case .underAge(let minimum): return "refused: under \(minimum)"
            case .expired: return "refused: licence expired"
            }
        }

        public var passed: Bool { self == .passed }
    }

    public let minimumAge: Int
    /// The shop's zone: "today" is the shop's calendar day, not the box's or UTC's, so a
    /// licence read at 23:30 in Los Angeles is checked against that evening's date.
    public let timeZone: ShopTimeZone

    public init(minimumAge: Int = 21, timeZone: ShopTimeZone) {
        self.minimumAge = minimumAge
        self.timeZone = timeZone
    }

    public func check(_ licence: AAMVALicence, today: CalendarDate) -> Outcome {
        if licence.isExpired(on: today) { return .expired }
        return licence.age(on: today) >= minimumAge ? .passed : .underAge(minimum: minimumAge)
    }

    /// Today in the shop, the calendar a clerk reads a birth date and an expiry against.
    public func today() -> CalendarDate { timeZone.today() }
}
