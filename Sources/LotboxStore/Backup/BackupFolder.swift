#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The folder `lotbox backup` keeps its copies in (`[backup] folder`), and the rules that make
/// a copy there worth trusting: written through SQLite's online backup, opened read-only and
/// passed through `PRAGMA integrity_check` before it counts, its key files beside it with their
/// modes, and only the newest `keep` good ones kept. Files it did not name are never touched.
///
/// What the folder holds is also the record of the last good backup: `lotbox doctor` and
/// `/metrics` read it from the newest marker, without opening (let alone writing) the store.
public struct BackupFolder: Sendable {
    public let path: String

    /// The note a failed run leaves (its time and why), removed by the next good run, so a
    /// failure shows in `doctor` even when older good copies are still there.
    public var failureNote: String { path + "/lotbox-backup-failed.json" }
    var lockFile: String { path + "/.lotbox-backup.lock" }

    public init(_ path: String) {
        self.path = path
    }

    /// Makes the folder (0750) if it is missing. Run as root for another user's store, the folder
    /// is given to that user, before this process becomes them to open the store.
    public func prepare(forStore store: String) throws(StoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw StoreError.invalid("backup folder \(path) is not a folder; expected a folder for lotbox's backups (`[backup] folder`)")
            }
            return
        }
        guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
            throw StoreError.database("cannot create the backup folder \(path): \(String(cString: strerror(errno))); create it (mode 0750, owned by the store's owner) or set `[backup] folder`")
        }
        chmod(path, 0o750)
        if geteuid() == 0, let owner = StoreFiles.owner(of: store), owner.uid != 0 {
            _ = chown(path, owner.uid, owner.gid)
        }
    }

    /// The copies in the folder, newest first (good or not).
    public func copies() -> [BackupCopy] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name -> BackupCopy? in
            guard name.hasSuffix(".sqlite"), let (_, date) = BackupCopy.stamp(of: name) else { return nil }
            let file = path + "/" + name
            let marker = Self.readMarker(file + ".verified")
            return BackupCopy(path: file, takenAt: date, verifiedAt: marker?.verifiedAt, missingKeys: marker?.missingKeys ?? [])
        }.sorted { $0.takenAt > $1.takenAt }
    }

    /// The newest copy that passed its check, if any.
    public func lastGood() -> BackupCopy? { copies().first(where: \.isGood) }

    /// The last run's failure, if it failed and no good run came after it: when and why.
    public func lastFailure() -> (at: Date, reason: String)? {
        guard let data = FileManager.default.contents(atPath: failureNote),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let at = (object["failed_at"] as? String).flatMap(Self.parseInstant), let reason = object["reason"] as? String
        else { return nil }
        return (at, reason)
    }

    /// Takes a backup of `store` into the folder, proves it, copies `keyFiles` beside it, then
    /// keeps the newest `keep` good copies. One run at a time (a lock in the folder). A copy that
    /// fails its check is removed and the run throws, saying so; the older copies stay.
    public func take(from store: LotStore, keyFiles: [BackupKeyFile], keep: Int) throws(StoreError) -> BackupReport {
        let lock = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0 else {
            throw StoreError.database("cannot write in the backup folder \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw StoreError.conflict("another `lotbox backup` is writing into \(path); try again when it is done")
        }
        do {
            let report = try takeLocked(from: store, keyFiles: keyFiles, keep: keep)
            unlink(failureNote)
            return report
        } catch {
            writeFailureNote(error.description)
            throw error
        }
    }

    private func takeLocked(from store: LotStore, keyFiles: [BackupKeyFile], keep: Int) throws(StoreError) -> BackupReport {
        var when = Date()
        while FileManager.default.fileExists(atPath: path + "/" + BackupCopy.fileName(for: when)) {
            when += 0.001
        }
        let file = path + "/" + BackupCopy.fileName(for: when)
        do {
            try store.backup(to: file)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("backup to \(file) failed: \(error)")
        }
        do {
            try LotStore.checkBackup(file)
        } catch {
            unlink(file)
            throw StoreError.database("backup \(file) failed its check (\(Self.oneLine(error))) and was removed; the store itself may be damaged: run `lotbox doctor`")
        }
        // The copy holds what the store holds: its owner and group only, like the store.
        chmod(file, 0o640)
        let verifiedAt = Date()
        let copy = BackupCopy(path: file, takenAt: when, verifiedAt: verifiedAt, missingKeys: [])
        let (copied, missing) = copyKeys(keyFiles, into: copy.keysFolder)
        try writeMarker(for: copy, store: store.path, bytes: Self.size(of: file), keys: copied, missingKeys: missing)
        Self.syncFolder(path)
        let removed = rotate(keep: keep)
        return BackupReport(copy: BackupCopy(path: file, takenAt: when, verifiedAt: verifiedAt, missingKeys: missing),
                            keys: copied.map(\.name), removed: removed, kept: copies().filter(\.isGood))
    }

    /// Keeps the newest `keep` good copies; removes older good ones, copies never proven (a run
    /// that died; only one run writes at a time) and markers or key folders left without a copy.
    func rotate(keep: Int) -> [String] {
        let good = copies().filter(\.isGood)
        var doomed = Set(good.dropFirst(keep).map(\.path))
        doomed.formUnion(copies().filter { !$0.isGood }.map(\.path))
        var removed: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let kept = Set(copies().map(\.path)).subtracting(doomed)
        for name in names.sorted() {
            guard let (stamp, _) = BackupCopy.stamp(of: name) else { continue }
            let copy = path + "/lotbox-" + stamp + ".sqlite"
            guard !kept.contains(copy) else { continue }
            let file = path + "/" + name
            if (try? FileManager.default.removeItem(atPath: file)) != nil { removed.append(file) }
        }
        return removed
    }

    /// Why a copy failed its check, on one line: SQLite's integrity report runs to many.
    static func oneLine(_ error: any Error) -> String {
        var text = "\(error)"
        if case .notAStore(_, let reason)? = error as? StoreError { text = reason }
        text = text.replacingOccurrences(of: "*** in database main ***", with: "")
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let joined = lines.joined(separator: "; ").replacingOccurrences(of: ":; ", with: ": ")
        return joined.count > 300 ? String(joined.prefix(300)) + "..." : joined
    }

    // MARK: - Key files

    /// Copies each key file into `folder` (0700) with its own mode: 0600 stays 0600.
    func copyKeys(_ files: [BackupKeyFile], into folder: String) -> (copied: [BackupKeyFile], missing: [String]) {
        guard !files.isEmpty else { return ([], []) }
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            let reason = String(cString: strerror(errno))
            return ([], files.map { "\($0.name) (\($0.path)): cannot create \(folder): \(reason)" })
        }
        chmod(folder, 0o700)
        var copied: [BackupKeyFile] = []
        var missing: [String] = []
        for file in files {
            let destination = folder + "/" + file.name
            if let reason = Self.copyKeepingMode(file.path, to: destination) {
                missing.append("\(file.name) (\(file.path)): \(reason)")
            } else {
                copied.append(BackupKeyFile(name: file.name, path: file.path))
            }
        }
        Self.syncFolder(folder)
        return (copied, missing)
    }

    /// Copies one file, made with its source's permission bits from the first byte. Returns why
    /// it could not, or nil.
    static func copyKeepingMode(_ source: String, to destination: String) -> String? {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return String(cString: strerror(errno)) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { return String(cString: strerror(errno)) }
        let mode = info.st_mode & 0o777
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { return "cannot create \(destination): \(String(cString: strerror(errno)))" }
        defer { close(output) }
        fchmod(output, mode)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { unlink(destination); return String(cString: strerror(errno)) }
            let written = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
            guard written == count else { unlink(destination); return "cannot write \(destination): \(String(cString: strerror(errno)))" }
        }
        guard fsync(output) == 0 else { unlink(destination); return "cannot write \(destination): \(String(cString: strerror(errno)))" }
        return nil
    }

    // MARK: - The marker

    /// Written only after the copy passed its check: its presence is what makes a copy good.
    func writeMarker(for copy: BackupCopy, store: String, bytes: Int64, keys: [BackupKeyFile], missingKeys: [String]) throws(StoreError) {
        let object: [String: Any] = [
            "verified_at": Self.instant(copy.verifiedAt ?? Date()), "taken_at": Self.instant(copy.takenAt),
            "integrity_check": "ok", "bytes": bytes, "store": store,
            "keys": Dictionary(uniqueKeysWithValues: keys.map { ($0.name, $0.path) }), "keys_missing": missingKeys,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              Self.writeNew(copy.marker, data + Data("\n".utf8)) else {
            let reason = String(cString: strerror(errno))
            unlink(copy.path)
            throw StoreError.database("cannot write the marker \(copy.marker) (\(reason)); the unproven copy was removed")
        }
    }

    static func readMarker(_ path: String) -> (verifiedAt: Date, missingKeys: [String])? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["integrity_check"] as? String == "ok",
              let verified = (object["verified_at"] as? String).flatMap(parseInstant) else { return nil }
        return (verified, object["keys_missing"] as? [String] ?? [])
    }

    func writeFailureNote(_ reason: String) {
        let object: [String: Any] = ["failed_at": Self.instant(Date()), "reason": reason]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        unlink(failureNote)
        _ = Self.writeNew(failureNote, data + Data("\n".utf8))
    }

    /// Writes a new file (0640) and syncs it; false if it could not.
    static func writeNew(_ path: String, _ data: Data) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else { unlink(path); return false }
        return true
    }

    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    static func instant(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseInstant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
