import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
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

    /// Each commit reaches the disk before it returns: GRDB sets `synchronous = NORMAL` on a
    /// pool's writer after the store's own setup, which left commits to the next checkpoint.
    @Test func everyCommitIsSyncedToDiskOnANewAndAReopenedStore() throws {
        let fixture = try StoreFixture()
        _ = try fixture.lot("1 g")
        #expect(try fixture.store.commitSynchronous() == "FULL")
        // The connection a write runs on, asked inside a write.
        #expect(try fixture.store.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        let reopened = try LotStore(path: fixture.path)
        _ = try reopened.addCompany(name: "Reopened Co", actor: "t")
        #expect(try reopened.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    }

    /// A station's scan row waits for the decision's sync; the writer is FULL again after it,
    /// and after a write that failed part-way.
    @Test func aStationsScanRowLeavesTheWriterSyncingEveryCommit() throws {
        let fixture = try StoreFixture()
        let id = try fixture.store.recordScan(ScanRecord(station: "dock", device: "d", status: .recognized, kind: "code128", value: "PKG-1",
                                                         symbology: nil, raw: nil, rawSHA256: nil, rawLength: 5, reason: nil,
                                                         scannedAt: "2026-11-30T12:00:00Z"))
        #expect(id > 0)
        #expect(try fixture.store.commitSynchronous() == "FULL")
        #expect(throws: (any Error).self) {
            try fixture.store.write(synced: false) { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }
        }
        #expect(try fixture.store.commitSynchronous() == "FULL")
        #expect(try fixture.store.write { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log WHERE value = 'PKG-1'") } == 1)
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

