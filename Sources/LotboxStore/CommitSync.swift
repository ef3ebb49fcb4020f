import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// Puts a store's commits on the disk after SQLite's write lock is let go (see `LotStore.write`).
///
/// It owns one descriptor of the WAL that SQLite itself writes (named by SQLite, so a store
/// opened through a symlink syncs the real file), opened once for the store's life. An
/// `fdatasync` of the WAL covers every commit made before it: SQLite appends to the WAL, syncs
/// it before a checkpoint copies it into the store file, and syncs the store file before it
/// starts the WAL again.
///
/// Syncs take turns under one lock, and each covers every commit made before it began: a writer
/// whose commit an earlier sync covered returns without one (a group commit of syncs). Taking
/// turns also means a failed writeback is seen: Linux reports it once per open file, to one of
/// the syncs running at that moment, and the others would be told all is well.
///
/// A failed sync leaves a commit that readers may have seen and a power cut may take. The store
/// then writes nothing more (``failure``), so no change is written, or repeated by a caller that
/// retries, on top of one that may be gone. The page cache may still hold what the disk did not
/// take, so the box must be rebooted, not only lotbox restarted, before the store is trusted.
final class CommitSync: Sendable {
    /// The WAL SQLite writes, as SQLite names it.
    let wal: String
    private let descriptor: Int32
    private let logger: Logger
    /// Commits begun (counted just before COMMIT, so a commit is counted before anyone can read
    /// it) and commits ended (counted once COMMIT returned, whether it succeeded or failed).
    private let begun = Atomic<UInt64>(0)
    private let ended = Atomic<UInt64>(0)
    /// The syncs' turn (held across each fdatasync): how many ended commits the last good sync
    /// covered, and why syncs stopped.
    private let turn = Mutex<(synced: UInt64, failure: String?)>((0, nil))
    /// Why the store writes nothing more, set with `turn.failure`: read by every write, so kept
    /// apart from `turn`, which a writer must never wait on to commit.
    private let halt = Mutex<String?>(nil)
    /// Successful syncs: tests count them.
    let count = Atomic<Int>(0)
    /// For tests: the next sync fails as if the disk had (EIO), without asking the disk.
    let failNextSync = Atomic<Bool>(false)

    /// `db` is the writer connection of a store in WAL mode, whose WAL exists once it has
    /// committed (opening the store does).
    init(writer db: Database, logger: Logger) throws {
        guard let handle = db.sqliteConnection, let main = sqlite3_db_filename(handle, "main"),
              let walName = sqlite3_filename_wal(main) else {
            throw StoreError.database("cannot find the store's WAL file to sync its commits")
        }
        wal = String(cString: walName)
        descriptor = open(wal, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw StoreError.database("cannot open \(wal) to sync the store's commits: \(String(cString: strerror(code)))")
        }
        self.logger = logger
        // SQLite syncs the folder of a WAL it creates at its first sync, which NORMAL leaves to
        // a checkpoint: the WAL's name must reach the disk as well as its frames. And what a
        // process that died before its sync left in the page cache is synced before anyone
        // sends it out of the box (this process's counts do not know of it).
        let folder = open((wal as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            let synced = fsync(folder) == 0 || errno == EINVAL
            close(folder)
            if !synced {
                let code = errno
                close(descriptor)
                throw StoreError.database("cannot sync the folder of \(wal) to the disk: \(String(cString: strerror(code)))")
            }
        }
        guard fdatasync(descriptor) == 0 else {
            let code = errno
            close(descriptor)
            throw StoreError.database("cannot sync \(wal) to the disk: \(String(cString: strerror(code)))")
        }
    }

    deinit { close(descriptor) }

    /// Why the store writes nothing more (an earlier sync failed), or nil.
    var failure: String? { halt.withLock { $0 } }

    /// Called just before a commit, inside its transaction.
    func commitBegins() { begun.add(1, ordering: .sequentiallyConsistent) }

    /// Called once the commit ended (made or failed); returns the commit's number, which a sync
    /// that covered it has reached.
    @discardableResult
    func commitEnded() -> UInt64 { ended.add(1, ordering: .sequentiallyConsistent).newValue }

    /// Puts commit `number` (see ``commitEnded()``) on the disk, or every ended commit when nil.
    /// Blocking.
    ///
    /// A writer (`number` given) whose commit a failed sync may have taken is told
    /// ``StoreError/notSynced(path:reason:)``, whoever's sync it was; a caller with no commit of
    /// its own is told ``StoreError/halted(path:reason:)``.
    func sync(path: String, through number: UInt64? = nil) throws {
        try turn.withLock { turn in
            if let number, turn.synced >= number { return }
            if let failure = turn.failure {
                if number != nil { throw StoreError.notSynced(path: path, reason: failure) }
                throw StoreError.halted(path: path, reason: failure)
            }
            let covering = ended.load(ordering: .sequentiallyConsistent)
            let injected = failNextSync.exchange(false, ordering: .relaxed)
            let result = injected ? -1 : fdatasync(descriptor)
            let code = injected ? EIO : errno
            guard result == 0 else {
                let reason = "fdatasync of \(wal) failed: \(String(cString: strerror(code)))"
                turn.failure = reason
                halt.withLock { $0 = reason }
                logger.critical("store \(path): \(reason); the last changes may not survive a power cut, and the store writes nothing more: check the disk and reboot the box")
                if number != nil { throw StoreError.notSynced(path: path, reason: reason) }
                throw StoreError.halted(path: path, reason: reason)
            }
            turn.synced = max(turn.synced, covering)
            count.add(1, ordering: .relaxed)
        }
    }

    /// Syncs unless every commit begun so far has ended and been synced: for readers about to
    /// send what they read out of the box (upstream, to a screen), which usually find it synced.
    /// A commit is counted as begun before anyone can read it, so none read is skipped.
    func syncIfNeeded(path: String) throws {
        if let failure { throw StoreError.halted(path: path, reason: failure) }
        let wanted = begun.load(ordering: .sequentiallyConsistent)
        if turn.withLock({ $0.synced }) >= wanted { return }
        try sync(path: path)
    }
}
