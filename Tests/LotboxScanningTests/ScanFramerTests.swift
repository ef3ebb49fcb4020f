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
        // Held, line breaks and the scanner's own Enter included, until the quiet gap.
        #expect(framer.feed(licence + bytes("\r")).isEmpty)
        #expect(framer.isHoldingLicence)
        #expect(framer.flush(reason: "quiet") == ScanFrame(bytes: licence + bytes("\r")))
        #expect(framer.feed(bytes("1A4FF0100000022000000123\r")).map(\.bytes) == [bytes("1A4FF0100000022000000123")])
        // A wedge that types every LF as Enter (CR): the same.
        var wedge = ScanFramer(terminators: [0x0D])
        let typed = licence.map { $0 == 0x0A ? 0x0D : $0 }
        #expect(wedge.feed(typed + [0x0D]).isEmpty)
        #expect(wedge.flush(reason: "quiet")?.bytes == typed + [0x0D])
    }

    @Test func anythingThatOpensLikeALicenceIsHeldAndWithheld() {
        var framer = ScanFramer(terminators: [0x0D])
        // "@" and a line break: held to the quiet gap, then withheld whatever it turned out to be.
        #expect(framer.feed(bytes("@\rHELLO-THERE-THIS-IS-NOT-A-LICENCE\r")).isEmpty)
        let held = framer.flush(reason: "quiet")
        #expect(held?.bytes == bytes("@\rHELLO-THERE-THIS-IS-NOT-A-LICENCE\r"))
        #expect(held?.isWithheld == true)
        // A first line that is an AAMVA element (a jurisdiction without the header) holds too.
        #expect(framer.feed(bytes("DAQX123\rDCSNAME\r")).isEmpty)
        #expect(framer.flush(reason: "quiet")?.isWithheld == true)
        // Codes around it are cut as ever.
        #expect(framer.feed(bytes("LOTBOX:PAY\r1A4FF0100000022000000123\r")).map(\.bytes)
            == [bytes("LOTBOX:PAY"), bytes("1A4FF0100000022000000123")])
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
