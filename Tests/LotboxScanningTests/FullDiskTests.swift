import Foundation
import Logging
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Synchronization
import Testing
@testable import LotboxScanning

/// A scan is never dropped: with the store's disk full, the reader holds the scan and retries
/// until there is room, on a real (tmpfs) filesystem that really fills up.
@Suite(.timeLimit(.minutes(10))) struct FullDiskTests {
    @Test func aFullDiskHoldsTheScanUntilThereIsRoom() throws {
        // Room for the store as made today (every migration and its WAL), then filled up.
        let mount = try TmpfsMount(sizeKB: 4_096)
        defer { mount.unmount() }
        let store = try LotStore(path: mount.path + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "dock", ageCheck: AgeCheck(timeZone: .utc))
        _ = try recorder.record(ScanInput(device: "dock-1", path: "-", frame: ScanFrame(bytes: Array("LOTBOX:QTY:1g".utf8))))
        // Fill the disk to the last byte.
        let filler = mount.path + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0x55, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
        // Scans arrive through a real reader while the disk is full.
        let folder = try TemporaryFolder.make()
        let fifo = try Pipes.fifo(folder, "scanner")
        let recorded = Mutex<[Int64]>([])
        let stopping = StopFlag()
        let reader = try ScannerReader(config: ScannerConfig(name: "dock-1", path: fifo, kind: .stream), logger: testLogger) { input in
            if let scan = ScannerService.record(input, with: recorder, stopping: stopping, logger: testLogger) {
                recorded.withLock { $0.append(scan.id) }
            }
        }
        reader.start()
        // A scan still held when the test ends must not keep the reader (and the test) waiting.
        defer { stopping.set(); reader.stop() }
        let writer = try Pipes.openWriter(fifo)
        defer { close(writer) }
        let codes = (1...40).map { String(format: "1A4FF01000000220000%05d", $0) }
        Pipes.write(writer, Array(codes.map { $0 + "\n" }.joined().utf8))
        usleep(600_000)
        let whileFull = recorded.withLock { $0.count }
        // Room again: everything that was held is written, in order.
        unlink(filler)
        let deadline = Date().addingTimeInterval(15)
        while recorded.withLock({ $0.count }) < codes.count && Date() < deadline { usleep(20_000) }
        #expect(whileFull < codes.count, "the disk never filled up")
        #expect(recorded.withLock { $0.count } == codes.count)
        let logged = try store.recentScans(station: "dock", limit: 100).reversed().compactMap(\.value)
        #expect(Array(logged.dropFirst()) == codes)
    }
}
