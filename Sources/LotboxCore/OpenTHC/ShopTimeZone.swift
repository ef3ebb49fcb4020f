import Foundation

/// The shop's time zone: the one way an instant becomes a date or a time a person reads or a
/// rule uses (a label's `created`, a receipt's time, the age check's today).
///
/// Stored instants stay UTC RFC 3339. Calendar dates (a birth date, an expiry, a lab's sample
/// date) are not instants and are never shifted: `date(of:)` passes a bare `YYYY-MM-DD` through.
/// The zone's name is checked against the system's tzdata (`/usr/share/zoneinfo`), so a name the
/// box cannot convert is refused when it is set, not guessed at when a label prints.
public struct ShopTimeZone: Sendable, Hashable, CustomStringConvertible {
    /// The IANA name, e.g. `America/Los_Angeles`.
    public let name: String
    private let zone: TimeZone

    /// Where Debian's tzdata keeps its zones.
    public static let zoneinfo = "/usr/share/zoneinfo"

    /// UTC: what lotbox falls back to, loudly, while a shop has not said its zone.
    public static let utc = ShopTimeZone(checkedName: "Etc/UTC", zone: TimeZone(secondsFromGMT: 0) ?? .gmt)

    /// A zone by its IANA name, or a one-line reason it is not one this box knows.
    public init(_ name: String, zoneinfo: String = ShopTimeZone.zoneinfo) throws(ShopTimeZoneError) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-+")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("/"),
              !name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw ShopTimeZoneError(name: name, reason: "is not an IANA time zone name (like America/Los_Angeles)")
        }
        guard Self.isZoneFile("\(zoneinfo)/\(name)") else {
            throw ShopTimeZoneError(name: name, reason: "is not in the system's time zone data (\(zoneinfo)); expected an IANA name like America/Los_Angeles or Europe/Berlin")
        }
        guard let zone = TimeZone(identifier: name) else {
            throw ShopTimeZoneError(name: name, reason: "is in \(zoneinfo) but unknown to this build's calendar; expected an IANA name like America/Los_Angeles")
        }
        self.init(checkedName: name, zone: zone)
    }

    private init(checkedName: String, zone: TimeZone) {
        self.name = checkedName
        self.zone = zone
    }

    public var description: String { name }

    public static func == (lhs: ShopTimeZone, rhs: ShopTimeZone) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    // MARK: - Instants to local dates and times

    /// The local calendar date at a Unix time in milliseconds.
    public func date(atMilliseconds milliseconds: Int64) -> CalendarDate {
        local(atMilliseconds: milliseconds).date
    }

    /// Today in the shop, from the system clock.
    public func today() -> CalendarDate {
        date(atMilliseconds: Int64(ULIDGenerator.systemMilliseconds()))
    }

    /// The local date of a stored stamp: an instant is converted; a calendar date (`YYYY-MM-DD`)
    /// is returned as it is, never shifted. Nil for text that is neither.
    public func date(of stamp: String) -> CalendarDate? {
        if let date = CalendarDate(iso: stamp) { return date }
        return Self.milliseconds(ofInstant: stamp).map { date(atMilliseconds: $0) }
    }

    /// `2026-11-29 23:30` in the shop for a stored instant, what a receipt or a table shows;
    /// with `seconds`, `2026-11-29 23:30:05`. A calendar date comes back unshifted, as it is.
    public func localTime(of stamp: String, seconds: Bool = false) -> String? {
        if let date = CalendarDate(iso: stamp) { return date.iso }
        guard let milliseconds = Self.milliseconds(ofInstant: stamp) else { return nil }
        let local = local(atMilliseconds: milliseconds)
        let clock = "\(Self.pad(local.hour, 2)):\(Self.pad(local.minute, 2))" + (seconds ? ":\(Self.pad(local.second, 2))" : "")
        return "\(local.date.iso) \(clock)"
    }

    /// The zone's offset at that instant as `-08:00`, so a person can tell PST from PDT.
    public func offsetText(of stamp: String) -> String? {
        guard let milliseconds = Self.milliseconds(ofInstant: stamp) else { return nil }
        let offset = offsetSeconds(atMilliseconds: milliseconds)
        let sign = offset < 0 ? "-" : "+"
        return "\(sign)\(Self.pad(abs(offset) / 3600, 2)):\(Self.pad(abs(offset) % 3600 / 60, 2))"
    }

    /// Seconds east of UTC at that instant (daylight saving included).
    public func offsetSeconds(atMilliseconds milliseconds: Int64) -> Int {
        let seconds = Double(Self.floorDivide(milliseconds, 1000))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
    }

    private func local(atMilliseconds milliseconds: Int64) -> (date: CalendarDate, hour: Int, minute: Int, second: Int) {
        let seconds = Self.floorDivide(milliseconds, 1000) + Int64(offsetSeconds(atMilliseconds: milliseconds))
        let days = Self.floorDivide(seconds, 86_400)
        let inDay = Int(seconds - days * 86_400)
        return (Self.civil(fromDays: days), inDay / 3600, inDay % 3600 / 60, inDay % 60)
    }

    // MARK: - RFC 3339

    /// Unix milliseconds of an RFC 3339 instant (`2026-11-22T02:07:33.123Z`, an offset, or
    /// SQLite's `2026-11-22 02:07:33`, which is UTC).
    public static func milliseconds(ofInstant text: String) -> Int64? {
        let chars = Array(text.utf8)
        guard chars.count >= 19, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
              chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " ") || chars[10] == UInt8(ascii: "t"),
              chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < chars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[index]) else { return nil }
                value = value * 10 + Int(chars[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let date = CalendarDate.valid(year: year, month: month, day: day),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var millis = 0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < chars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[index]) {
                if digits < 3 { millis = millis * 10 + Int(chars[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
        }
        var offset = 0
        if index == chars.count {
            offset = 0
        } else if chars[index] == UInt8(ascii: "Z") || chars[index] == UInt8(ascii: "z") {
            guard index + 1 == chars.count else { return nil }
        } else if chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            guard chars.count == index + 6, chars[index + 3] == UInt8(ascii: ":"),
                  let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (chars[index] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let seconds = days(fromCivil: date) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59) - offset)
        return seconds * 1000 + Int64(millis)
    }

    // MARK: - Days since 1970-01-01 (proleptic Gregorian, after H. Hinnant's algorithms)

    static func days(fromCivil date: CalendarDate) -> Int64 {
        let y = Int64(date.month <= 2 ? date.year - 1 : date.year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(date.month), d = Int64(date.day)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> CalendarDate {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: Int(year), month: Int(month), day: Int(day))
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// A regular file starting with tzdata's `TZif` magic.
    private static func isZoneFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4) else { return false }
        return head == Data("TZif".utf8)
    }
}

/// A time zone name lotbox cannot use: one line naming it and what was expected.
public struct ShopTimeZoneError: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public let reason: String
    public var description: String { "time zone '\(name)' \(reason)" }
}
