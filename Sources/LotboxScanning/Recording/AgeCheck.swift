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

    public init(minimumAge: Int = 21) { self.minimumAge = minimumAge }

    public func check(_ licence: AAMVALicence, today: CalendarDate) -> Outcome {
        if licence.isExpired(on: today) { return .expired }
        return licence.age(on: today) >= minimumAge ? .passed : .underAge(minimum: minimumAge)
    }

    /// Today in local time, the calendar a clerk reads a birth date against.
    public static func today() -> CalendarDate {
        let now = Timestamp.localDateParts()
        return CalendarDate(year: now.year, month: now.month, day: now.day)
    }
}
