#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// The daemon's scanners as `lotbox status` sees them: a small JSON file beside the store
/// (`lotbox.scanners.json` for `lotbox.sqlite`), rewritten whenever a reader's state changes,
/// mode 0640, removed when the daemon stops. It names the daemon's pid, so a file left by a
/// daemon that died is recognised as stale.
public final class ScannerStateFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var path: String
        public var state: ScannerState
    }

    /// What a reader of the file finds: the daemon's pid and its scanners.
    public struct Snapshot: Sendable, Equatable {
        public struct Row: Sendable, Equatable {
            public var name: String
            public var path: String
            /// reading, missing or held (an error).
            public var state: String
            public var reason: String?
        }

        public var pid: Int32
        public var scanners: [Row]

        /// Whether the daemon that wrote it still runs.
        public var daemonRunning: Bool { kill(pid, 0) == 0 || errno == EPERM }
    }

    public let path: String
    private let entries = Mutex<[String: Entry]>([:])

    public init(store: String) {
        path = Self.path(forStore: store)
    }

    public static func path(forStore store: String) -> String {
        (store as NSString).deletingPathExtension + ".scanners.json"
    }

    /// Records a reader's new state and rewrites the file (on the reader's thread: a small write).
    public func update(name: String, path scannerPath: String, state: ScannerState) {
        let all = entries.withLock { entries -> [Entry] in
            entries[name] = Entry(name: name, path: scannerPath, state: state)
            return entries.values.sorted { $0.name < $1.name }
        }
        write(all)
    }

    /// Every reader's state as last reported (for the API's scanners' screen). Does not block.
    public func current() -> [Entry] { entries.withLock { $0.values.sorted { $0.name < $1.name } } }

    /// Writes the file as it stands: a daemon with no scanner reading yet is still running.
    public func publish() { write(entries.withLock { $0.values.sorted { $0.name < $1.name } }) }

    /// The daemon stopped: nothing it said about its scanners holds any more. Only its own
    /// file is removed: a second daemon on the same store stopping must not make `lotbox status`
    /// say that the first one is not running.
    public func remove() {
        guard let current = Self.read(file: path), current.pid == getpid() else { return }
        unlink(path)
    }

    private func write(_ all: [Entry]) {
        let object: [String: Any] = [
            "pid": Int(getpid()),
            "scanners": all.map { entry -> [String: Any] in
                var row: [String: Any] = ["name": entry.name, "path": entry.path, "state": entry.state.name]
                if let reason = entry.state.reason { row["reason"] = reason }
                return row
            },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let temporary = path + ".\(getpid()).new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        fchmod(fd, 0o640)
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == data.count { rename(temporary, path) } else { unlink(temporary) }
    }

    /// The file beside `store`, if a daemon wrote one.
    public static func read(forStore store: String) -> Snapshot? { read(file: path(forStore: store)) }

    static func read(file: String) -> Snapshot? {
        guard let data = FileManager.default.contents(atPath: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pid = object["pid"] as? Int, let rows = object["scanners"] as? [[String: Any]] else { return nil }
        return Snapshot(pid: Int32(pid), scanners: rows.map { row in
            Snapshot.Row(name: row["name"] as? String ?? "?", path: row["path"] as? String ?? "?",
                         state: row["state"] as? String ?? "?", reason: row["reason"] as? String)
        })
    }
}
