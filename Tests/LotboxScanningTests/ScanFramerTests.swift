import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxScanning

@Suite(.timeLimit(.minutes(5))) struct ScanFramerTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func cutsAtTerminatorsAndSkipsEmptyLines() {
        var framer = ScanFramer(terminators: [0x0D, 0x0A])
        let frames = framer.feed(bytes("ONE\r\nTWO\r\r\nTHR"))
        #expect(frames.map(\.bytes) == [bytes("ONE"), bytes("TWO")])
        #expect(frames.nonEmptyAllSatisfy { $0.problem == nil })
        #expect(framer.hasPending)
        // The input ends before the terminator: half a code, marked so.
        let rest = framer.flush(reason: "device gone")
        #expect(rest?.bytes == bytes("THR"))
        #expect(rest?.problem == .incomplete("device gone"))
        #expect(framer.flush(reason: "again") == nil)
    }

    @Test func withoutTerminatorAQuietScannerEndsTheScan() {
        var framer = ScanFramer(terminators: [])
        #expect(framer.feed(bytes("1A4FF0100000022000000123\r")).isEmpty)
        #expect(framer.flush(reason: "quiet") == ScanFrame(bytes: bytes("1A4FF0100000022000000123\r")))
    }

    @Test func licenceDataKeepsItsLineBreaks() {
        let licence = AAMVASample.data(birth: "07151990")
        var framer = ScanFramer(terminators: [0x0D, 0x0A])
        // Then the scanner's own Enter, then another scan.
        let frames = framer.feed(licence + bytes("\r1A4FF0100000022000000123\r"))
        #expect(frames.count == 2)
        #expect(frames.first?.bytes == licence)
        #expect(frames.last?.bytes == bytes("1A4FF0100000022000000123"))
        // A wedge that types every LF as Enter (CR): the same.
        var wedge = ScanFramer(terminators: [0x0D])
        let typed = licence.map { $0 == 0x0A ? 0x0D : $0 }
        #expect(wedge.feed(typed + [0x0D]).map(\.bytes) == [typed])
    }

    @Test func anAtSignScanThatIsNotALicenceIsStillCut() {
        var framer = ScanFramer(terminators: [0x0D])
        let frames = framer.feed(bytes("@\rHELLO-THERE-THIS-IS-NOT-A-LICENCE\rLOTBOX:PAY\r"))
        #expect(frames.map(\.bytes) == [bytes("@"), bytes("HELLO-THERE-THIS-IS-NOT-A-LICENCE"), bytes("LOTBOX:PAY")])
    }

    @Test func overlongAndDamagedScansAreMarked() {
        var framer = ScanFramer(terminators: [0x0D], maximumLength: 16)
        let frames = framer.feed([UInt8](repeating: 0x41, count: 40) + [0x0D] + bytes("OK\r"))
        #expect(frames.first?.problem == .overlong(40))
        #expect(frames.first?.bytes.count == 16)
        #expect(frames.last == ScanFrame(bytes: bytes("OK")))
        framer.markDamaged("dropped")
        let damaged = framer.feed(bytes("1A4\r"))
        #expect(damaged.first?.problem == .damaged("dropped"))
        #expect(framer.feed(bytes("NEXT\r")).first?.problem == nil)
    }
}
