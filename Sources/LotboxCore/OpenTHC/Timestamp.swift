#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 times in UTC with milliseconds, as OpenTHC exchanges them and as the store keeps
/// them (text that sorts in time order).
public enum Timestamp {
    /// `2026-11-22T02:07:33.123Z` for a Unix time in milliseconds.
    public static func rfc3339(milliseconds: UInt64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let ms = Int(milliseconds % 1000)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }

    /// Now, from the system clock.
    public static func now() -> String {
        rfc3339(milliseconds: ULIDGenerator.systemMilliseconds())
    }
}
