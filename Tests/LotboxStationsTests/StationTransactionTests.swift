import Foundation
import GRDB
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// A scan's transaction: it holds the store's write lock from its first read, and a scan is
/// acted on once, whoever hands it to a station and however often.
@Suite(.timeLimit(.minutes(5))) struct StationTransactionTests {
    let kiosk = StationConfig(name: "kiosk", kind: .kiosk, license: "R-1", employee: "ana")

    @Test func aScanTransactionHoldsTheWriteLockBeforeItWritesAnything() throws {
        let rig = try StationRig(stations: [])
        var blocked: (any Error)?
        try rig.store.transaction {
            // Only a read so far; another connection (as another process) still cannot write.
            _ = try rig.store.stationState("kiosk")
            let other = try DatabaseQueue(path: rig.store.path)
            do {
                try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE; ROLLBACK") }
            } catch {
                blocked = error
            }
        }
        let busy = try #require(blocked as? DatabaseError, "a second writer got in while a scan's transaction was open")
        #expect(busy.resultCode == .SQLITE_BUSY)
        // Once it ends, the other writer gets in.
        let other = try DatabaseQueue(path: rig.store.path)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE; ROLLBACK") }
    }

    @Test func aScanHandedTwiceIsActedOnOnce() throws {
        let rig = try StationRig(stations: [])
        let eighths = try rig.lot("10", product: rig.eighth)
        let scan = try ScanRecorder(store: rig.store, station: "kiosk", ageCheck: AgeCheck(timeZone: .utc))
            .record(ScanInput(device: "test", path: "-", frame: ScanFrame(bytes: Array(eighths.id.utf8))))
        // Two stations on two store handles, as two daemons would have.
        let first = KioskStation(config: kiosk, store: rig.store).handle(scan)
        let second = KioskStation(config: kiosk, store: try LotStore(path: rig.store.path)).handle(scan)
        #expect(first.action == "add" && first.outcome == .accepted, "\(first.message)")
        #expect(second.id != nil && second.action == first.action && second.message == first.message && second.scanLogID == scan.id,
                "the second hand-over returns the saved decision: \(second.message)")
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        #expect(try rig.store.sale(saleID).lines.count == 1)
        #expect(try rig.store.stationEvents(after: 0, station: "kiosk").filter { $0.action == "add" }.count == 1)
    }

    @Test func aRefusedOperationInsideAScanLeavesTheRestOfItsTransaction() throws {
        let rig = try StationRig(stations: [])
        let two = try rig.lot("1", product: rig.eighth)
        let station = KioskStation(config: kiosk, store: rig.store)
        let record = { (code: String) in
            try ScanRecorder(store: rig.store, station: "kiosk", ageCheck: AgeCheck(timeZone: .utc))
                .record(ScanInput(device: "test", path: "-", frame: ScanFrame(bytes: Array(code.utf8))))
        }
        #expect(station.handle(try record(two.id)).action == "add")
        // The second unit is not there: the store refuses the line, the station records why,
        // in the same transaction; the sale and its first line stand.
        let refused = station.handle(try record(two.id))
        #expect(refused.outcome == .refused && refused.action == "oversell", "\(refused.message)")
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        #expect(try rig.store.sale(saleID).lines.count == 1)
        #expect(try rig.store.stationEvents(after: 0, station: "kiosk").map(\.action) == ["open-sale", "add", "oversell"])
        try rig.checkInvariants()
    }

    @Test func aScanThatFailsHalfWayLeavesNothingButItsError() throws {
        let rig = try StationRig(stations: [])
        let transfer = try rig.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "R-1", items: [
            NewTransferItem(packageID: "1A4FF0100000022000000001", productKey: "Eighth", qty: "3"),
        ]), actor: "test")
        let dock = DockStation(config: StationConfig(name: "dock", kind: .dock, license: "R-1"), store: rig.store)
        #expect(try dock.open(transfer).action == "open")
        // The count goes in; saving the decision about it then fails (a disk error would do the same).
        try rig.store.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_count BEFORE INSERT ON station_event WHEN NEW.action = 'count'
                  BEGIN SELECT RAISE(ABORT, 'station_event: no room for this decision'); END
                """)
        }
        let scan = try ScanRecorder(store: rig.store, station: "dock", ageCheck: AgeCheck(timeZone: .utc))
            .record(ScanInput(device: "test", path: "-", frame: ScanFrame(bytes: Array("1A4FF0100000022000000001".utf8))))
        let failed = dock.handle(scan)
        #expect(failed.outcome == .refused && failed.action == "error" && failed.message.contains("no room"), "\(failed.message)")
        #expect(try rig.store.transfer(transfer).items.map(\.counted) == [0], "the count went with its decision")
        #expect(try rig.store.decision(onScan: scan.id)?.action == "error")
    }

    /// Stations are built on the store, not in it: the store throws its own refusal, and names
    /// no station type.
    @Test func theStoreKnowsNoStationTypes() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/LotboxStore")
        let files = (FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("import LotboxStations") || line.range(of: #"(?<![A-Za-z])Refusal\b"#, options: .regularExpression) != nil {
                offenders.append("\(file):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "station types in the store: \(offenders)")
    }
}
