import Foundation
import LotboxTestSupport
import Testing

/// A media mismatch reaches screens on /events, `printer status` and the log, and clears by
/// itself: a Zebra stand-in whose `~HS` measures 4x2 in labels (406 dots) for a lot-2x1 template
/// holds the lot's label with the reason; loading 2x1 in labels (203 dots) lets it print.
@Suite(.serialized, .timeLimit(.minutes(5))) struct APIMediaHoldEventsTests {
    @Test func aMediaMismatchIsOnTheEventStreamAndClearsWhenTheRightLabelsAreLoaded() throws {
        let suite = APIServeTests()
        let setup = try suite.setUp()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        zebra.set { $0.labelLengthDots = 406 }
        try """

            [[printers]]
            name = "zebra"
            uri = "\(zebra.uri)"
            template = "lot-2x1"
            """.appendLine(to: setup.config)
        let server = try suite.startServer(setup)
        defer { server.stop(seconds: 5) }
        let seen = setup.cli.folder + "/held-seen"
        // The person at the printer: once the screen has seen the hold, `printer status` names it,
        // and 2x1 in labels go in.
        let changer = MediaChanger()
        let thread = Thread {
            do {
                try VirtualLabelPrinter.wait("the screen to see the hold", seconds: 90) { FileManager.default.fileExists(atPath: seen) }
                let status = try setup.cli.lotbox("printer", "status", "--json", "--config", setup.config)
                changer.record(status.out)
            } catch {
                changer.record("\(error)")
            }
            zebra.set { $0.labelLengthDots = 203 }
        }
        thread.start()
        let result = try suite.runScript("test_media_hold_events.py", setup, [seen])
        #expect(result.status == 0, "test_media_hold_events.py exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(server.output.suffix(3000))")
        try VirtualLabelPrinter.wait("the printer status to be read", seconds: 60) { changer.output != nil }
        let status = try #require(changer.output)
        #expect(status.contains("\"media_mismatch\"") && status.contains("labels 2 in long loaded (406 dots at 203 dpi); lot-2x1 needs 2x1 in"), "\(status)")
        try VirtualLabelPrinter.wait("the held label at the printer", seconds: 60) { ServeZPLTests.labels(zebra.received) >= 1 }
        #expect(server.output.components(separatedBy: "holding lot-2x1 labels: labels 2 in long loaded").count == 2, "\(server.output.suffix(3000))")
    }

    /// What the printer-side thread saw, read by the test's thread.
    final class MediaChanger: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: String?
        func record(_ text: String) { lock.withLock { seen = text } }
        var output: String? { lock.withLock { seen } }
    }
}
