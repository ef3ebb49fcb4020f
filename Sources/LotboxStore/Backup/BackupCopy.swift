import Foundation

/// One of `lotbox backup`'s copies in its folder: `lotbox-<UTC time>.sqlite`, with a
/// `.verified` marker written only after the copy passed its integrity check, and its key files
/// in `lotbox-<UTC time>.keys/`. A copy without a marker was never proven and is not a good one.
public struct BackupCopy: Sendable, Equatable {
    /// The copy's file.
    public let path: String
    /// When it was taken (from its name).
    public let takenAt: Date
    /// When its integrity check passed; nil for a copy that was never checked.
    public let verifiedAt: Date?
    /// Key files named in its marker that could not be copied beside it (one line each).
    public let missingKeys: [String]

    public var isGood: Bool { verifiedAt != nil }
    public var marker: String { path + ".verified" }
    public var keysFolder: String { String(path.dropLast(".sqlite".count)) + ".keys" }

    /// The name of a copy taken at `date`: fixed width, so names sort as times do.
    public static func fileName(for date: Date) -> String {
        "lotbox-\(formatter().string(from: date)).sqlite"
    }

    /// The time in one of this type's names (`lotbox-20261130T054211.123Z` + a suffix), or nil
    /// for any other file: only files so named are ever removed from the folder.
    static func stamp(of name: String) -> (stamp: String, date: Date)? {
        guard name.hasPrefix("lotbox-") else { return nil }
        let stamp = String(name.dropFirst("lotbox-".count).prefix(20))
        let rest = name.dropFirst("lotbox-".count + 20)
        guard stamp.count == 20, [".sqlite", ".sqlite.verified", ".keys"].contains(rest),
              let date = formatter().date(from: stamp) else { return nil }
        return (stamp, date)
    }

    /// ISO 8601 basic format in UTC, to the millisecond: `20261130T054211.123Z`.
    static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter
    }
}

/// A file copied beside each backup with its mode: `name` is its copy's name in the keys folder.
public struct BackupKeyFile: Sendable, Equatable {
    public var name: String
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// What one `lotbox backup` run into the folder did.
public struct BackupReport: Sendable {
    public let copy: BackupCopy
    /// The key files copied beside it, by their names there.
    public let keys: [String]
    /// Files of older copies removed to keep the newest `keep`, and leftovers of runs that died.
    public let removed: [String]
    /// The good copies in the folder now, newest first.
    public let kept: [BackupCopy]
}
