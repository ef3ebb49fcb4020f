import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Synchronization
import Testing
@testable import LotboxStore

/// Backups, restores, a full disk and a read-only disk, on real files and real (tmpfs) mounts.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DurabilityTests {
    @Test func backupAndRestoreRoundTrip() throws {
        let fixture = try StoreFixture()
        let kept = try fixture.lot("10 g", metrc: "1A4FF0100000022000000777")
        let backup = fixture.folder + "/backup.sqlite"
        try fixture.store.backup(to: backup)
        #expect(throws: StoreError.self) { try fixture.store.backup(to: backup) }
        let later = try fixture.lot("20 g")
        try fixture.store.restore(from: backup)
        #expect(try fixture.store.lot(id: kept.id) != nil)
        #expect(try fixture.store.lot(id: later.id) == nil)
        #expect(FileManager.default.fileExists(atPath: fixture.path + ".before-restore"))
        // The store keeps working, and IDs stay above everything ever issued in the backup.
        let next = try fixture.lot("1 g")
        #expect(next.id > kept.id)
        #expect(try fixture.store.ledgerMismatches().isEmpty)
    }

    /// Each commit reaches the disk before it returns: the writer commits with SQLite's NORMAL
    /// (which alone syncs only at checkpoints, and which GRDB sets with WAL), and every outermost
    /// commit is followed by a sync of the WAL, on a new and on a reopened store.
    @Test func everyCommitIsSyncedToDiskOnANewAndAReopenedStore() throws {
        let fixture = try StoreFixture()
        _ = try fixture.lot("1 g")
        #expect(try fixture.store.commitSynchronous() == LotStore.syncedAfterCommit)
        let before = fixture.store.commitSyncCount
        _ = try fixture.lot("2 g")
        #expect(fixture.store.commitSyncCount == before + 1)
        // Operations inside one transaction are one commit, synced once.
        try fixture.store.transaction {
            _ = try fixture.lot("3 g")
            _ = try fixture.lot("4 g")
        }
        #expect(fixture.store.commitSyncCount == before + 2)
        // A refused write commits nothing and syncs nothing.
        #expect(throws: (any Error).self) { try fixture.store.write { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") } }
        #expect(fixture.store.commitSyncCount == before + 2)
        let reopened = try LotStore(path: fixture.path)
        _ = try reopened.addCompany(name: "Reopened Co", actor: "t")
        #expect(reopened.commitSyncCount == 1)
        #expect(try reopened.commitSynchronous() == LotStore.syncedAfterCommit)
        #expect(try reopened.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
    }

    /// A station's scan row waits for the decision's sync: it is committed without one, and the
    /// next synced commit (or a sync of its own) puts it on the disk.
    @Test func aStationsScanRowWaitsForTheNextSync() throws {
        let fixture = try StoreFixture()
        let before = fixture.store.commitSyncCount
        let id = try fixture.store.recordScan(ScanRecord(station: "dock", device: "d", status: .recognized, kind: "code128", value: "PKG-1",
                                                         symbology: nil, raw: nil, rawSHA256: nil, rawLength: 5, reason: nil,
                                                         scannedAt: "2026-11-30T12:00:00Z"))
        #expect(id > 0)
        #expect(fixture.store.commitSyncCount == before)
        // Another connection reads it at once: a process that dies now loses none of it.
        #expect(try LotStore(path: fixture.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log WHERE value = 'PKG-1'") } == 1)
        try fixture.store.syncCommits()
        #expect(fixture.store.commitSyncCount == before + 1)
        #expect(try fixture.store.commitSynchronous() == LotStore.syncedAfterCommit)
    }

    /// The WAL synced is the one SQLite writes: a store opened through a symlink syncs the WAL
    /// beside the real file (a path taken from the link would name none).
    @Test func aStoreOpenedThroughASymlinkSyncsTheRealWAL() throws {
        let fixture = try StoreFixture()
        // Everything in the store file itself: opening looks for a -wal beside the path it is given.
        try fixture.store.pool.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        let link = fixture.folder + "/linked/store.sqlite"
        try FileManager.default.createDirectory(atPath: fixture.folder + "/linked", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.path)
        let linked = try LotStore(path: link)
        #expect(linked.commitSync?.wal == fixture.path + "-wal")
        #expect(!FileManager.default.fileExists(atPath: link + "-wal"))
        _ = try linked.addCompany(name: "Linked Co", actor: "t")
        #expect(linked.commitSyncCount == 1)
    }

    /// A store reached through a symlink while its WAL holds what is not yet in the file (the
    /// daemon has it open; a command opens it through the link an integrator made to a data
    /// disk): the store is opened and read through that WAL, and the WAL's size is the real one.
    @Test func aStoreWhoseWALHoldsItsLatestWritesOpensThroughASymlink() throws {
        let fixture = try StoreFixture()
        // The daemon's connection stays open and keeps writing: nothing is checkpointed into the file.
        try fixture.store.pool.writeWithoutTransaction { _ = try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let lot = try fixture.lot("4 g")
        let walBytes = fixture.store.fileSizes().wal
        #expect(walBytes > 0)
        let link = fixture.folder + "/linked/store.sqlite"
        try FileManager.default.createDirectory(atPath: fixture.folder + "/linked", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.path)
        let linked = try LotStore(path: link)
        #expect(try linked.lot(id: lot.id)?.id == lot.id)
        #expect(linked.fileSizes().wal == fixture.store.fileSizes().wal && linked.fileSizes().wal >= walBytes)
        #expect(StoreFiles.paths(of: link) == [fixture.path, fixture.path + "-wal", fixture.path + "-shm"])
        #expect(!FileManager.default.fileExists(atPath: link + "-wal") && !FileManager.default.fileExists(atPath: link + "-shm"))
    }

    /// Listeners (print-on-create, the outbox) hear of a commit only once it is synced, and a
    /// restore, which commits on the writer without `write`, is synced before it returns.
    @Test func listenersHearOfACommitAfterItsSyncAndARestoreIsSynced() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let heard = Mutex<[Int]>([])
        let listener = store.commits.listen { heard.withLock { $0.append(store.commitSyncCount) } }
        defer { store.commits.stopListening(listener) }
        let before = store.commitSyncCount
        _ = try fixture.lot("5 g")
        #expect(heard.withLock { $0 } == [before + 1])
        let backup = fixture.folder + "/backup.sqlite"
        try store.backup(to: backup)
        let beforeRestore = store.commitSyncCount
        try store.restore(from: backup, keepPrevious: false)
        #expect(store.commitSyncCount == beforeRestore + 1)
    }

    /// A sync that fails leaves its commit standing (other connections read it) and the store
    /// refusing every later write, so a caller that retries (the scanner's reader does) cannot
    /// write the change twice on top of one that may be gone.
    @Test func aFailedSyncKeepsItsCommitAndRefusesEveryLaterWrite() throws {
        let fixture = try StoreFixture()
        let other = try LotStore(path: fixture.path)
        let lots = try other.lots().count
        fixture.store.commitSync?.failNextSync.store(true, ordering: .relaxed)
        #expect {
            _ = try fixture.lot("7 g")
        } throws: { error in
            guard case StoreError.notSynced(let path, let reason) = error else { return false }
            return path == fixture.path && reason.contains("fdatasync") && error.localizedDescription.isEmpty == false
        }
        #expect(try other.lots().count == lots + 1)
        // Every later write, sync, restore and readiness probe: nothing written, and said so.
        func halted(_ error: any Error) -> Bool {
            guard case StoreError.halted(let path, let reason) = error else { return false }
            return path == fixture.path && reason.contains("fdatasync")
        }
        #expect { _ = try fixture.lot("7 g") } throws: { halted($0) }
        #expect { try fixture.store.transaction { _ = try fixture.lot("8 g") } } throws: { halted($0) }
        #expect { try fixture.store.syncIfNeeded() } throws: { halted($0) }
        #expect { try fixture.store.probe() } throws: { halted($0) }
        #expect(try other.lots().count == lots + 1)
        let saved = "\(StoreError.notSynced(path: fixture.path, reason: "fdatasync of x failed: Input/output error"))"
        #expect(saved.contains("the change was saved but may not survive a power cut") && !saved.contains("\n"), "\(saved)")
        let refused = "\(StoreError.halted(path: fixture.path, reason: "fdatasync of x failed: Input/output error"))"
        #expect(refused.hasPrefix("nothing was written") && !refused.contains("\n"), "\(refused)")
    }

    /// A reader about to send what it read out of the box syncs only when a commit begun by
    /// this store is not yet synced: after a synced write there is nothing to do; after one
    /// that left its sync to a later commit (a station's scan row), it syncs.
    @Test func aSyncIfNeededSyncsOnlyWhatIsNotYetSynced() throws {
        let fixture = try StoreFixture()
        _ = try fixture.lot("1 g")
        let before = fixture.store.commitSyncCount
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == before)
        _ = try fixture.store.recordScan(ScanRecord(station: "dock", device: "d", status: .recognized, kind: "code128", value: "PKG-2",
                                                    symbology: nil, raw: nil, rawSHA256: nil, rawLength: 5, reason: nil,
                                                    scannedAt: "2026-11-30T12:00:00Z"))
        #expect(fixture.store.commitSyncCount == before)
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == before + 1)
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == before + 1)
        // A write refused inside its transaction begins no commit and leaves nothing to sync.
        #expect(throws: (any Error).self) { try fixture.store.write { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") } }
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == before + 1)
    }

    @Test func restoreRefusesWhatIsNotAStore() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        let junk = fixture.folder + "/junk.sqlite"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(throws: StoreError.self) { try fixture.store.restore(from: junk) }
        let empty = fixture.folder + "/empty.sqlite"
        try DatabaseQueue(path: empty).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: StoreError.notAStore(path: empty, reason: "it has no lotbox tables")) { try fixture.store.restore(from: empty) }
        #expect(try fixture.store.lot(id: lot.id) != nil)
    }

    @Test func fullDiskGivesAClearErrorAndLeavesTheStoreIntact() throws {
        // Room for the store as made (every migration, its WAL) and a few batches more.
        let mount = try TmpfsMount(sizeKB: 2_048)
        defer { mount.unmount() }
        let path = mount.path + "/lotbox.sqlite"
        let store = try LotStore(path: path, create: true)
        let license = try store.addLicense(name: "L", code: "L-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "P", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        var committed = 0
        var failure: StoreError?
        for round in 0..<1_000 {
            do {
                let batch = (0..<200).map { NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g", name: "round \(round) lot \($0) " + String(repeating: "x", count: 180)) }
                try store.createLots(batch, actor: "t")
                committed += batch.count
            } catch let error as StoreError {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect(error == .diskFull(path: path), "\(error)")
        #expect(error.description.contains("full"))
        mount.grow(sizeKB: 8_192)
        let reopened = try LotStore(path: path)
        #expect(try reopened.lots(LotFilter(limit: 1_000_000)).count == committed)
        #expect(try reopened.ledgerMismatches().isEmpty)
        #expect(try reopened.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func readOnlyDiskGivesAClearError() throws {
        let mount = try TmpfsMount(sizeKB: 4_096)
        defer { mount.unmount() }
        let path = mount.path + "/lotbox.sqlite"
        do {
            let store = try LotStore(path: path, create: true)
            _ = try store.addLicense(name: "L", code: "L-1", typeKey: "grower", actor: "t")
        }
        mount.remount(readOnly: true)
        #expect(throws: StoreError.readOnly(path: path)) { try LotStore(path: path) }
        #expect(StoreError.readOnly(path: path).description.contains("read-only"))
    }
}

