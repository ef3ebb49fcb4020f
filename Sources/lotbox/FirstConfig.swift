#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LotboxConfig

/// The configuration `lotbox install` writes: the packaged example with the shop's time zone
/// set and, when asked, another store. Edited line by line so the example's comments, which
/// explain every key to the integrator who edits it next, all stay.
struct FirstConfig {
    let text: String
    let store: String

    init(example: String, timeZone: String, store chosen: String?) throws {
        var lines = example.components(separatedBy: "\n")
        // Top-level keys come before the first [table]; only those are this file's own.
        let firstTable = lines.firstIndex { $0.hasPrefix("[") } ?? lines.count
        guard let storeLine = lines[..<firstTable].firstIndex(where: { $0.hasPrefix("store = ") }) else {
            throw CommandFailure(.dataError, "the example configuration has no top-level `store = ` line; expected lotbox's example")
        }
        if let chosen { lines[storeLine] = "store = \(Self.quoted(chosen))" }
        let zoneLine = "time_zone = \(Self.quoted(timeZone))"
        if let zone = lines[..<firstTable].firstIndex(where: { $0.hasPrefix("time_zone") || $0.hasPrefix("# time_zone") }) {
            lines[zone] = zoneLine
        } else {
            lines.insert(zoneLine, at: storeLine + 1)
        }
        text = lines.joined(separator: "\n")
        store = try Self.storeValue(lines[storeLine])
    }

    /// The store an existing configuration names.
    static func store(in config: String) throws -> String {
        try ServeConfig.load(config).store
    }

    /// Writes the file new (never over one), mode 0640 from its first byte, group `group` when
    /// run as root, and checks it reads back as a configuration before it is put in place.
    func write(to path: String, group: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            guard mkdir(folder, 0o750) == 0 else { throw CommandFailure(.cannotCreate, "cannot make the folder \(folder): \(String(cString: strerror(errno)))") }
        }
        let temporary = path + ".lotbox-new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw CommandFailure(.cannotCreate, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if geteuid() == 0, let entry = getgrnam(group) { _ = fchown(fd, 0, entry.pointee.gr_gid) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else { throw CommandFailure(.ioError, "cannot write \(temporary)") }
        do { _ = try ServeConfig.load(temporary) } catch {
            throw CommandFailure(.dataError, "the configuration made from the example does not read back: \(error)")
        }
        // link() refuses an existing name: a file written meanwhile is never replaced.
        guard link(temporary, path) == 0 else {
            throw CommandFailure(.cannotCreate, "cannot put \(path) in place: \(String(cString: strerror(errno)))")
        }
    }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func storeValue(_ line: String) throws -> String {
        let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else {
            throw CommandFailure(.dataError, "the example's store line `\(line)` is not `store = \"PATH\"`")
        }
        return String(parts[1])
    }
}
