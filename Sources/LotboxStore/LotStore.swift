import Foundation
import GRDB
import Logging
import LotboxCore
import Synchronization

/// The lot store: the one place that writes lotbox's data and keeps its invariants.
///
/// Every operation is one transaction: it either happens whole, with its ledger rows, change
/// events and audit entries, or not at all. The database is SQLite in WAL mode, and an operation
/// returns only once its commit is on the disk (see ``write(synced:_:)``), so a committed lot,
/// sale or receipt survives a power cut.
public final class LotStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Connections of their own for reads of one statement outside a transaction (nil on a
    /// read-only open, which reads through the pool alone).
    let oneStatementReaders: OneStatementReaders?
    let ids: ULIDGenerator
    let logger: Logger
    private let reportedClock = Mutex<ClockStatus>(.ok)
    /// Rung after each of this process's commits (see ``CommitSignal``).
    public let commits = CommitSignal()
    /// Syncs the writer's commits to the disk (nil on a read-only open, which never writes).
    let commitSync: CommitSync?

    /// Opens the store at `path`. Only `create` (for `lotbox init` and `restore`) turns a missing
    /// or empty file into a store; `readOnly` opens without ever writing, so reading commands
    /// work on a read-only disk (through the store's `-wal`, whose last transactions count).
    public init(path: String, create: Bool = false, readOnly: Bool = false,
                clock: @escaping ULIDGenerator.Clock = ULIDGenerator.systemMilliseconds,
                logger: Logger = Logger(label: "lotbox.store")) throws {
        self.path = path
        self.logger = logger
        self.ids = ULIDGenerator(clock: clock)
        pool = try LotStore.openPool(path: path, create: create, readOnly: readOnly)
        commitSync = readOnly ? nil : try pool.writeWithoutTransaction { try CommitSync(writer: $0, logger: logger) }
        oneStatementReaders = readOnly ? nil : OneStatementReaders(path: path, configuration: LotStore.configuration(readOnly: true))
        reportClock(checkClock())
    }

    /// The one place a store file is checked and opened: what is at the path, whether this build
    /// may open it, the connection settings, and the migrations (never on a read-only open).
    static func openPool(path: String, create: Bool, readOnly: Bool) throws -> DatabasePool {
        switch try StoreFile.inspect(path) {
        case .missing:
            guard create && !readOnly else { throw StoreError.noStore(path: path) }
        case .empty:
            guard create && !readOnly else {
                throw StoreError.notAStore(path: path, reason: "it is empty (0 bytes); make a store with `lotbox init`")
            }
        case .store:
            if !readOnly && !FileManager.default.isWritableFile(atPath: path) { throw StoreError.readOnly(path: path) }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration(readOnly: readOnly))
            if !readOnly {
                // GRDB turns WAL on for the writer after `prepareDatabase`, and with it sets
                // `synchronous = NORMAL`. The migrations below commit with FULL; from then on
                // the writer is NORMAL again and `write` syncs each commit itself (see the end).
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            }
            if readOnly {
                // Opening is lazy: read once so a store that cannot be read fails here, in one line.
                let applied = try pool.read { try StoreMigrator.migrator.appliedIdentifiers($0) }
                if !StoreMigrator.knownIdentifiers.isSubset(of: applied) {
                    // A store from an older lotbox: a reading command upgrades it first where the
                    // disk allows, rather than failing on a table the old store lacks.
                    let folder = (path as NSString).deletingLastPathComponent
                    guard FileManager.default.isWritableFile(atPath: path),
                          FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                        throw StoreError.invalid("""
                            store \(path) was made by an older lotbox and must be upgraded before this one reads it, \
                            which needs a writable disk; expected a writable store (run `lotbox status` where it can be written)
                            """)
                    }
                    _ = try openPool(path: path, create: false, readOnly: false)
                    return try openPool(path: path, create: false, readOnly: true)
                }
            } else {
                let migrator = StoreMigrator.migrator
                let before = try pool.read { try migrator.appliedIdentifiers($0) }
                try migrator.migrate(pool)
                // A store that held licence data before this release: clear the pages it freed.
                if !before.isEmpty && !before.contains(SchemaV5LicencePrivacy.identifier) {
                    try SchemaV5LicencePrivacy.scrubFreedPages(pool)
                }
            }
            if !readOnly {
                // SQLite's NORMAL syncs the WAL only at checkpoints and when it starts the WAL
                // again; `write` syncs each commit itself once SQLite's write lock is let go (see
                // ``CommitSync``). The writer is one connection for the pool's life.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = NORMAL") }
            }
            StoreFiles.settle(path)
            return pool
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// The connection settings of every connection to a store.
    static func configuration(readOnly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 16 MiB of page cache: a batch of 10,000 lots fits without spilling mid-transaction.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            // Deleted rows (a purged customer token, a cleared hash) are overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // A station's scan runs in savepoints; their statement journals stay in memory rather
            // than spilling to a temporary file on the SD card (a third of a scan's writes).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return config
    }

    /// How the writer commits: "NORMAL, each commit synced" (SQLite's NORMAL, and `write`'s own
    /// sync of the WAL after each commit, as the store promises), "FULL" (SQLite syncing inside
    /// each commit), or another of SQLite's words. Benchmarks print it, so a figure says what
    /// it measured.
    public func commitSynchronous() throws -> String {
        let level = try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } ?? -1
        if level == 1 { return LotStore.syncedAfterCommit }
        return [0: "OFF", 2: "FULL", 3: "EXTRA"][level] ?? "unknown (\(level))"
    }

    /// ``commitSynchronous()``'s word for how a writable store commits.
    public static let syncedAfterCommit = "NORMAL, each commit synced"

    // MARK: - Transactions

    /// Runs `body` as one `BEGIN IMMEDIATE` transaction: it takes the store's write lock before
    /// its first read, so what `body` reads cannot change under it, whichever process (the
    /// daemon, `lotbox station scan`, a second daemon) writes next. Every store operation `body`
    /// calls on this thread joins it (see `write` and `read`): a station's scan is read, decided
    /// and written as one. An operation that throws inside it is undone alone (its savepoint),
    /// so a refusal can still be recorded; anything `body` throws rolls the whole back. Called
    /// inside another transaction, it is a savepoint of that one: if `body` throws, what it
    /// wrote is undone and the outer transaction goes on.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try write { _ in try body() }
    }

    /// Runs `body` in one IMMEDIATE write transaction, translating SQLite errors into one-line
    /// messages, and returns once the commit is on the disk. Inside `transaction` (or another
    /// write) it joins the open transaction in a savepoint of its own instead.
    ///
    /// The commit itself does not wait for the disk (the writer is `synchronous = NORMAL`): the
    /// WAL is synced after SQLite's write lock is let go (``CommitSync``). With SQLite's FULL the
    /// lock is held through each commit's fsync, so on a busy box every other writer (a scan, a
    /// label's batch, the API's creates) queued behind one sync after another; now they commit
    /// meanwhile. The syncs take turns, and each covers every commit made before it began, so a
    /// writer whose commit an earlier sync covered returns without one of its own.
    ///
    /// So a commit is visible to readers (an API GET among them) before it is on the disk. The
    /// caller is answered, and this process's listeners (print-on-create) are told, after the
    /// sync; what is sent out of the box as a change (the outbox, server-sent events) is synced
    /// first (``syncIfNeeded()``), and a label's batch is synced before a byte of it leaves. When
    /// the sync fails, the commit stands and the store writes nothing more (see ``CommitSync``).
    ///
    /// `synced: false` returns without the sync, for a write that a synced commit the caller
    /// makes soon after makes durable (a sync covers the whole WAL).
    func write<T>(synced: Bool = true, _ body: (Database) throws -> T) throws -> T {
        if let failure = commitSync?.failure { throw StoreError.halted(path: path, reason: failure) }
        var committed = false
        // Counted as begun just before COMMIT (so before anyone can read it), and as ended after.
        var began = false
        var number: UInt64?
        defer { if committed { commits.fire() } }
        let result: T
        do {
            defer { if began { number = commitSync?.commitEnded() } }
            result = try StoreAccessDepth.inside { try pool.unsafeReentrantWrite { db in
                var result: T?
                if db.isInsideTransaction {
                    try db.inSavepoint {
                        result = try body(db)
                        return .commit
                    }
                } else {
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        // A sync that failed while this waited for the lock: write nothing on top.
                        if let failure = commitSync?.failure { throw StoreError.halted(path: path, reason: failure) }
                        commitSync?.commitBegins()
                        began = true
                        return .commit
                    }
                    committed = true
                }
                guard let result else { throw StoreError.database("a write at \(path) ended without a result") }
                return result
            } }
        } catch let refusal as OperationRefused {
            // A refusal reaches the caller as it was said.
            throw refusal
        } catch let error as any CallerError {
            throw error
        } catch {
            throw StoreError.from(error, path: path)
        }
        if committed && synced { try commitSync?.sync(path: path, through: number) }
        return result
    }

    /// Puts every commit made so far on the disk, by this process or another (see
    /// ``CommitSync``). Blocking: call it off the shared pool.
    public func syncCommits() throws {
        try commitSync?.sync(path: path)
    }

    /// ``syncCommits()`` unless every commit this store has begun is synced: before what was read
    /// leaves the box, since a commit is readable before it is synced. Another process's commits
    /// (a `lotbox` command) are not counted: ``syncCommits()`` covers them.
    public func syncIfNeeded() throws {
        try commitSync?.syncIfNeeded(path: path)
    }

    /// Syncs made through this store: tests count them.
    var commitSyncCount: Int { commitSync?.count.load(ordering: .relaxed) ?? 0 }

    /// Runs `body` on a consistent snapshot; inside `transaction` it reads the transaction's own
    /// connection, so it sees what the transaction wrote so far.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try StoreAccessDepth.inside { try pool.unsafeReentrantRead { db in
                if db.isInsideTransaction { return try body(db) }
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.database("a read at \(path) ended without a result") }
                return result
            } }
        } catch let refusal as OperationRefused {
            throw refusal
        } catch let error as any CallerError {
            throw error
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Runs one statement's read without BEGIN and COMMIT around it: a single SELECT is its own
    /// consistent snapshot, and the API's reads of one row are its hot path. Outside every store
    /// access it reads on a connection of its own (``OneStatementReaders``); inside a transaction,
    /// on the transaction's connection, so it sees what the transaction wrote. Its statement names
    /// its columns, never `*` (see ``OneStatementReaders``).
    func readOne<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let outside = StoreAccessDepth.isOutside
            return try StoreAccessDepth.inside {
                if outside, let readers = oneStatementReaders,
                   let result = try readers.withConnection(body) {
                    return result
                }
                return try pool.unsafeReentrantRead { db in try body(db) }
            }
        } catch let refusal as OperationRefused {
            throw refusal
        } catch let error as any CallerError {
            throw error
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    // MARK: - Identifiers

    /// Issues a new ULID above the highest one this store ever issued, and records it as the new mark.
    func issueID(_ db: Database) throws -> String {
        try issueIDs(db, count: 1)[0]
    }

    /// Issues `count` increasing ULIDs and records the last as the mark, in the caller's transaction.
    func issueIDs(_ db: Database, count: Int) throws -> [String] {
        let mark = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM lotbox_meta WHERE key = 'ulid_mark'"))
            .flatMap { try? ULID(parsing: $0) }
        var issued: [String] = []
        issued.reserveCapacity(count)
        var floor = mark
        for _ in 0..<count {
            let id = try ids.next(after: floor)
            floor = id
            issued.append(id.text)
        }
        if let last = issued.last {
            try db.cachedStatement(sql: "INSERT INTO lotbox_meta (key, value) VALUES ('ulid_mark', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .execute(arguments: [last])
        }
        reportClock(ids.clockStatus)
        return issued
    }

    /// The highest ULID this store has issued.
    public func ulidMark() throws -> String? {
        try read { try String.fetchOne($0, sql: "SELECT value FROM lotbox_meta WHERE key = 'ulid_mark'") }
    }

    /// Compares the wall clock with the stored mark and this release, without issuing anything.
    public func checkClock() -> ClockStatus {
        let now = ids.readClock()
        if now < LotboxRelease.milliseconds {
            return .beforeRelease(clock: now, release: LotboxRelease.milliseconds)
        }
        if let text = try? ulidMark(), let mark = try? ULID(parsing: text), ULIDGenerator.isBehind(clock: now, mark: mark.milliseconds) {
            return .behindMark(clock: now, mark: mark.milliseconds)
        }
        return .ok
    }

    /// Logs a wrong clock loudly, once each time the clock's state changes kind.
    private func reportClock(_ status: ClockStatus) {
        let changed = reportedClock.withLock { reported -> Bool in
            defer { reported = status }
            return reported.kind != status.kind
        }
        guard changed else { return }
        if status.isOK {
            logger.notice("wall clock is sane again")
        } else {
            logger.critical("wall clock is wrong: \(status)")
        }
    }

    // MARK: - Audit

    /// Appends one line to the audit log, in the caller's transaction.
    func audit(_ db: Database, actor: String, action: String, objectType: String, objectID: String?,
               detail: [String: String] = [:]) throws {
        let json = detail.isEmpty ? nil : JSONText.object(detail)
        try db.cachedStatement(sql: "INSERT INTO audit_log (actor, action, object_type, object_id, detail) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [actor, action, objectType, objectID, json])
    }
}

