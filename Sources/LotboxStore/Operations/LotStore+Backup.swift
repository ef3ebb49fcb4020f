import Foundation
import GRDB

extension LotStore {
    /// Writes a consistent copy of the live store to `destination` (SQLite's online backup, so
    /// the daemon keeps writing meanwhile). The copy is made beside the destination and renamed
    /// into place only when complete: a full disk never leaves a half-written backup.
    public func backup(to destination: String, overwrite: Bool = false) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) && !overwrite {
            throw StoreError.conflict("backup file \(destination) already exists; pick another name or pass --force")
        }
        let partial = destination + ".partial-\(getpid())"
        defer { try? fm.removeItem(atPath: partial) }
        // A copy holds what the store does (staff PIN hashes among it): made 0640 from its first
        // byte, as the folder's backups are, whatever the umask.
        let made = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard made >= 0 else {
            throw StoreError.database("cannot create \(partial) for the backup: \(String(cString: strerror(errno)))")
        }
        fchmod(made, 0o640)
        close(made)
        do {
            let copy = try DatabaseQueue(path: partial)
            try pool.backup(to: copy)
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try copy.close()
        } catch {
            throw LotStore.backupError(error, destination: destination)
        }
        guard rename(partial, destination) == 0 else {
            throw StoreError.database("could not move the backup into place at \(destination): \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces the store's content with a backup's, online. The backup is checked first (an
    /// SQLite file with lotbox's schema, passing an integrity check). The replaced content is
    /// kept beside the store as `PATH.before-restore`, or, when that exists from an earlier
    /// restore, `PATH.before-restore-<UTC time>`: no restore ever loses an earlier one. Returns
    /// where it was kept (nil when `keepPrevious` is false: a store made for this restore).
    @discardableResult
    public func restore(from source: String, keepPrevious: Bool = true) throws -> String? {
        if let failure = commitSync?.failure { throw StoreError.halted(path: path, reason: failure) }
        let backupDB = try LotStore.openBackup(source)
        var kept: String?
        if keepPrevious {
            let aside = LotStore.unusedName(path + ".before-restore")
            try backup(to: aside)
            kept = aside
        }
        do {
            try backupDB.backup(to: pool)
            try StoreMigrator.migrator.migrate(pool)
        } catch {
            throw StoreError.from(error, path: path)
        }
        // The copy and the migrations commit on the writer, which does not sync them itself.
        try syncCommits()
        return kept
    }

    /// `path` if nothing is there, else `path-<UTC time to the millisecond>`.
    public static func unusedName(_ path: String) -> String {
        guard FileManager.default.fileExists(atPath: path) else { return path }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return path + "-" + formatter.string(from: Date())
    }

    /// Checks that `source` is a backup `restore` can use, before any store is opened or made for it.
    public static func checkBackup(_ source: String) throws {
        try openBackup(source).close()
    }

    /// Opens a backup read-only after checking it: an SQLite file with lotbox's schema, from a
    /// lotbox no newer than this one, passing an integrity check.
    static func openBackup(_ source: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError.notFound(kind: "backup file", key: source)
        }
        let backupDB: DatabaseQueue
        do {
            var config = Configuration()
            config.readonly = true
            backupDB = try DatabaseQueue(path: source, configuration: config)
            let (integrity, migrations) = try backupDB.read { db -> (String, [String]) in
                let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?"
                guard try db.tableExists("grdb_migrations"), try db.tableExists("inventory") else { return (integrity, []) }
                return (integrity, try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
            guard integrity == "ok" else {
                throw StoreError.notAStore(path: source, reason: "integrity check failed: \(integrity)")
            }
            guard !migrations.isEmpty else {
                throw StoreError.notAStore(path: source, reason: "it has no lotbox tables")
            }
            if let unknown = migrations.first(where: { !StoreMigrator.knownIdentifiers.contains($0) }) {
                throw StoreError.notAStore(path: source, reason: "it was written by a newer lotbox (schema \(unknown))")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAStore(path: source, reason: "not an SQLite database")
        } catch {
            throw StoreError.from(error, path: source)
        }
        return backupDB
    }

    static func backupError(_ error: any Error, destination: String) -> StoreError {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL:
                return .diskFull(path: destination)
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_IOERR:
                return .database("cannot write the backup at \(destination) (\(error.message ?? "I/O error")); the store is intact")
            default: break
            }
        }
        return .database("backup to \(destination) failed: \(error); the store is intact")
    }
}
