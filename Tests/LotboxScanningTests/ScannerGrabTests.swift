import Foundation
import LotboxTestSupport
import Synchronization
import Testing
@testable import LotboxScanning

/// An evdev scanner lotbox cannot take for itself is an error state, not read.
///
/// This machine has no /dev/uinput (no uinput module, no modprobe), so no real input device can
/// be made; the real EVIOCGRAB ioctl is made to fail instead, on /dev/null (a character device
/// that is no input device: ENOTTY). The busy case (EBUSY, another program's grab) takes the
/// same path with "held by another program" as its reason.
@Suite(.timeLimit(.minutes(10))) struct ScannerGrabTests {
    final class States: Sendable {
        private let seen = Mutex<[ScannerState]>([])
        var handler: @Sendable (ScannerState) -> Void { { [self] state in seen.withLock { $0.append(state) } } }
        var all: [ScannerState] { seen.withLock { $0 } }

        func wait(seconds: Double = 5, until done: ([ScannerState]) -> Bool) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if done(all) { return }
                usleep(10_000)
            }
            throw TestFailure("states seen: \(all)")
        }
    }

    @Test func aDeviceThatCannotBeGrabbedIsHeldAndNotRead() throws {
        let states = States()
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "front", path: "/dev/null", kind: .evdev), logger: testLogger,
                                       report: states.handler, deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        try states.wait { $0.contains { $0.isError } }
        guard case .held(let reason) = states.all.first else {
            Issue.record("first state was \(String(describing: states.all.first)), expected held")
            return
        }
        #expect(reason.contains("cannot be taken for lotbox alone (EVIOCGRAB: Inappropriate ioctl for device)"), "\(reason)")
        // Still held a retry later, never read, and the error is reported once, not once a try.
        usleep(1_300_000)
        #expect(states.all == [.held(reason)], "\(states.all)")
        #expect(delivered.all.isEmpty)
        #expect(throws: ScannerError.notGrabbed(path: "/dev/null", reason: reason)) { try reader.probe() }
    }

    @Test func grabFalseReadsTheDeviceDeliberatelyShared() throws {
        let states = States()
        let reader = try ScannerReader(config: ScannerConfig(name: "shared", path: "/dev/null", kind: .evdev, grab: false),
                                       logger: testLogger, report: states.handler, deliver: { _ in })
        reader.start()
        defer { reader.stop() }
        try states.wait { $0.contains(.reading) }
        #expect(!states.all.contains { $0.isError }, "\(states.all)")
    }

    @Test func theStateFileSaysWhichScannerIsHeldAndWhoseDaemonItIs() throws {
        let folder = try TemporaryFolder.make()
        let store = folder + "/lotbox.sqlite"
        let file = ScannerStateFile(store: store)
        #expect(file.path == folder + "/lotbox.scanners.json")
        file.publish()
        #expect(ScannerStateFile.read(forStore: store)?.scanners == [])
        file.update(name: "front", path: "/dev/null", state: .held("is held by another program"))
        file.update(name: "back", path: "/dev/lotbox/kbd-1", state: .reading)
        let snapshot = try #require(ScannerStateFile.read(forStore: store))
        #expect(snapshot.pid == getpid())
        #expect(snapshot.daemonRunning)
        #expect(snapshot.scanners.map(\.name) == ["back", "front"])
        #expect(snapshot.scanners.map(\.state) == ["reading", "held"])
        #expect(snapshot.scanners.last?.reason == "is held by another program")
        var info = stat()
        #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o640)
        file.remove()
        #expect(ScannerStateFile.read(forStore: store) == nil)

        // Another daemon's file (a second `serve` on this store stopping) is not this one's to remove.
        try #"{"pid": 1, "scanners": []}"#.write(toFile: file.path, atomically: true, encoding: .utf8)
        file.remove()
        #expect(ScannerStateFile.read(forStore: store)?.pid == 1)
    }
}
