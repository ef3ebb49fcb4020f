import Foundation
import LotboxCore
import LotboxTestSupport
import LotboxScanning
import Testing
import CEvdev
@testable import LotboxScanning

/// Real readers on real FIFOs, pipes and pseudo-terminals.
@Suite(.timeLimit(.minutes(5))) struct ScannerReaderTests {
    @Test func evdevEventsThroughAPipe() throws {
        let folder = try TemporaryFolder.make()
        let path = try Pipes.fifo(folder, "event-scanner")
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "dock-1", path: path, kind: .evdev, grab: false), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        var events = KeyEvents()
        events.type("1A4FF0100000022000000123")
        events.tap(KeyEvents.enter)
        events.type("]C1010950600013435210ABC")
        events.controlBracket()
        events.type("21X9")
        events.tap(KeyEvents.enter)
        // Events lost mid-scan: the scan is marked damaged, not passed on as a wrong code.
        events.type("1A4FF01")
        events.synDropped()
        events.tap(30)        // discarded until the next SYN_REPORT
        events.type("0000022000000124")
        events.tap(KeyEvents.enter)
        events.type("LOTBOX:PAY")
        events.tap(KeyEvents.enter)
        // Written in odd-sized chunks: records split across reads.
        var offset = 0
        while offset < events.bytes.count {
            let end = min(events.bytes.count, offset + 37)
            Pipes.write(writer, Array(events.bytes[offset..<end]))
            offset = end
        }
        let scans = try delivered.wait(for: 4)
        #expect(scans.count == 4)
        #expect(delivered.texts[0] == "1A4FF0100000022000000123")
        #expect(delivered.texts[1] == "]C1010950600013435210ABC\u{1D}21X9")
        #expect(scans[2].frame.problem != nil)
        #expect(scans[3].frame == ScanFrame(bytes: Array("LOTBOX:PAY".utf8)))
        #expect(scans[0].device == "dock-1")
        // The key event's own time comes with the scan.
        #expect(scans[0].keyEventMicros != nil)
        if case .success(let recognition) = ScanRecognizer.recognize(scans[1].frame.bytes), case .gs1(let element) = recognition.code {
            #expect(element.serial == "X9")
        } else {
            Issue.record("GS1 scan not recognized")
        }
    }

    @Test func serialScannerThroughAPseudoTerminal() throws {
        var master: Int32 = -1, slaveFD: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        #expect(openpty(&master, &slaveFD, &name, nil, nil) == 0)
        defer { close(master) }
        let slave = String(cString: name)
        // The reader opens the terminal by name, as it would /dev/ttyACM0.
        close(slaveFD)
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "serial-1", path: slave, kind: .serial), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        // Wait for the reader to put the line in raw mode (a cooked line would turn CR into LF
        // and eat control characters).
        let deadline = Date().addingTimeInterval(30)
        var settings = termios()
        while Date() < deadline {
            if tcgetattr(master, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) == 0 { break }
            usleep(5_000)
        }
        #expect(settings.c_lflag & tcflag_t(ICANON) == 0)
        let licence = AAMVASample.data(birth: "07151990")
        Pipes.write(master, Array("]C10109506000134352\u{1D}10B1\r\n".utf8) + licence + Array("\r\n".utf8))
        _ = try delivered.wait(for: 2)
        // A licence ends at the scanner's quiet gap, its own line breaks and CR LF included.
        Pipes.write(master, Array("LOTBOX:ACCEPT\r\n".utf8))
        _ = try delivered.wait(for: 3)
        #expect(delivered.texts[0] == "]C10109506000134352\u{1D}10B1")
        #expect(delivered.all[1].frame.bytes == licence + Array("\r\n".utf8))
        #expect(delivered.texts[2] == "LOTBOX:ACCEPT")
    }

    @Test func reopensWhenTheSymlinkMovesAndWhenTheWriterComesBack() throws {
        let folder = try TemporaryFolder.make()
        let first = try Pipes.fifo(folder, "scanner-a")
        let second = try Pipes.fifo(folder, "scanner-b")
        let link = folder + "/lotbox-scanner"
        try Pipes.relink(link, to: first)
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "kiosk", path: link, kind: .stream), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let writerA = try Pipes.openWriter(first)
        Pipes.write(writerA, Array("1A4FF0100000022000000001\n".utf8))
        _ = try delivered.wait(for: 1)
        // Unplugged mid-scan: half a code arrives, then the writer is gone.
        Pipes.write(writerA, Array("1A4FF01000".utf8))
        close(writerA)
        _ = try delivered.wait(for: 2)
        #expect(delivered.all[1].frame.problem == .incomplete("the scanner's input ended mid-scan"))
        // Plugged back in at the same path.
        let writerA2 = try Pipes.openWriter(first)
        Pipes.write(writerA2, Array("1A4FF0100000022000000002\n".utf8))
        _ = try delivered.wait(for: 3)
        // udev points the symlink at another device while the old one is still open.
        try Pipes.relink(link, to: second)
        let writerB = try Pipes.openWriter(second)
        defer { close(writerB) }
        Pipes.write(writerB, Array("1A4FF0100000022000000003\n".utf8))
        _ = try delivered.wait(for: 4)
        close(writerA2)
        #expect(delivered.texts == ["1A4FF0100000022000000001", "1A4FF01000", "1A4FF0100000022000000002", "1A4FF0100000022000000003"])
    }

    @Test func aMissingDeviceIsWaitedForNotFatal() throws {
        let folder = try TemporaryFolder.make()
        let path = folder + "/not-yet"
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "late", path: path, kind: .evdev, grab: false), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        usleep(300_000)
        _ = try Pipes.fifo(folder, "not-yet")
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        var events = KeyEvents()
        events.type("LOTBOX:CANCEL")
        events.tap(KeyEvents.enter)
        Pipes.write(writer, events.bytes)
        _ = try delivered.wait(for: 1)
        #expect(delivered.texts == ["LOTBOX:CANCEL"])
    }

    @Test func noTerminatorMeansTheQuietGapEndsAScan() throws {
        let folder = try TemporaryFolder.make()
        let path = try Pipes.fifo(folder, "quiet")
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "quiet", path: path, kind: .evdev, terminator: .none,
                                                             quietTime: .milliseconds(60), grab: false),
                                       logger: testLogger, deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        var first = KeyEvents()
        first.type("036000291452")
        Pipes.write(writer, first.bytes)
        usleep(200_000)
        var second = KeyEvents()
        second.type("LOTBOX:PAY")
        Pipes.write(writer, second.bytes)
        _ = try delivered.wait(for: 2)
        #expect(delivered.texts == ["036000291452", "LOTBOX:PAY"])
        #expect(delivered.all.nonEmptyAllSatisfy { $0.frame.problem == nil })
    }

    /// Scans keep arriving while every thread of Swift's shared pool is blocked (a hung printer
    /// call would do that): the reader's thread is its own.
    @Test func scansFlowWhileTheSharedPoolIsBlocked() async throws {
        let folder = try TemporaryFolder.make()
        let path = try Pipes.fifo(folder, "busy")
        let delivered = Delivered()
        let reader = try ScannerReader(config: ScannerConfig(name: "busy", path: path, kind: .stream), logger: testLogger,
                                       deliver: delivered.handler)
        reader.start()
        defer { reader.stop() }
        let blockers = (0..<ProcessInfo.processInfo.activeProcessorCount * 2).map { _ in
            Task.detached { usleep(1_500_000) }
        }
        let writer = try Pipes.openWriter(path)
        defer { close(writer) }
        Pipes.write(writer, Array("LOTBOX:PAY\n".utf8))
        // Waited for with a plain thread sleep: the pool is busy.
        let scans = try delivered.wait(for: 1, seconds: 1.0)
        #expect(scans.count == 1)
        for blocker in blockers { await blocker.value }
    }
}
