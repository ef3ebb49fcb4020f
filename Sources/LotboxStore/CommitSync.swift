import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// Puts a store's commits on the disk after SQLite's write lock is let go (see `LotStore.write`).
///
/// It owns one descriptor of the WAL that SQLite itself writes (named by SQLite, so a store
/// opened through a symlink syncs the real file), opened once for the store's life: Linux
/// reports a failed writeback once per file, and a descriptor opened after another sync had
/// seen the error would be told all is well. An `fdatasync` of the WAL covers every commit
/// made before it: SQLite appends to the WAL, syncs it before a checkpoint copies it into the
/// store file, and syncs the store file before it starts the WAL again.
///
/// A failed sync leaves a commit that readers may have seen and a power cut may take. The store
/// then refuses every later write (``failure``), so nothing is written, or repeated by a caller
/// that retries, on top of a change that may be gone; a restart reopens what the disk holds.
final class CommitSync: Sendable {
    /// The WAL SQLite writes, as SQLite names it.
    let wal: String
    private let descriptor: Int32
    private let logger: Logger
    /// Commits made through this store, and how many of them the last good sync covered.
    private let made = Atomic<UInt64>(0)
    private let synced = Atomic<UInt64>(0)
    private let failed = Mutex<String?>(nil)
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
            throw StoreError.database("cannot open \(wal) to sync the store's commits: \(String(cString: strerror(errno)))")
        }
        self.logger = logger
    }

    deinit { close(descriptor) }

    /// Why the store takes no more writes (an earlier sync failed), or nil.
    var failure: String? { failed.withLock { $0 } }

    /// Called after each commit this store makes.
    func noteCommit() { made.add(1, ordering: .relaxed) }

    /// Syncs every commit made so far. Blocking.
    func sync(path: String) throws {
        if let failure { throw StoreError.notSynced(path: path, reason: failure) }
        let covering = made.load(ordering: .acquiring)
        let injected = failNextSync.exchange(false, ordering: .relaxed)
        guard !injected, fdatasync(descriptor) == 0 else {
            let reason = "fdatasync of \(wal) failed: \(String(cString: strerror(injected ? EIO : errno)))"
            failed.withLock { $0 = $0 ?? reason }
            logger.critical("store \(path): \(reason); the last changes may not survive a power cut, and the store takes no more writes until lotbox is restarted")
            throw StoreError.notSynced(path: path, reason: reason)
        }
        count.add(1, ordering: .relaxed)
        var seen = synced.load(ordering: .relaxed)
        while seen < covering {
            let (exchanged, original) = synced.compareExchange(expected: seen, desired: covering, ordering: .releasing)
            if exchanged { break }
            seen = original
        }
    }

    /// Syncs only when this store has committed since the last sync: for readers about to send
    /// what they read out of the box (upstream, to a screen), which usually find it synced.
    func syncIfNeeded(path: String) throws {
        if let failure { throw StoreError.notSynced(path: path, reason: failure) }
        guard synced.load(ordering: .acquiring) < made.load(ordering: .acquiring) else { return }
        try sync(path: path)
    }
}
