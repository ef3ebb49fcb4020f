import Foundation
import LotboxTestSupport
import Testing

/// A printer's hold reaches screens on /events as it happens: a real cupsd raw queue stopped
/// while a lot's label is due, then started again; the independent Python client reads the
/// stream (Tests/api/test_printer_events.py), and the label reaches the Zebra stand-in after.
@Suite(.serialized, .timeLimit(.minutes(5))) struct APIPrinterEventsTests {
    @Test func aStoppedQueueIsOnTheEventStreamAsItHappens() throws {
        let suite = APIServeTests()
        let setup = try suite.setUp()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        try """

            [[printers]]
            name = "zebra"
            queue = "Zebra_Raw"
            format = "zpl"
            template = "lot-2x1"
            """.appendLine(to: setup.config)
        // No cups_server in the file: libcups reads CUPS_SERVER, as on a box with its own cupsd.
        let server = try suite.startServer(setup, environment: ["CUPS_SERVER": cups.server])
        defer { server.stop(seconds: 5) }
        let result = try suite.runScript("test_printer_events.py", setup, [cups.server, "Zebra_Raw"])
        #expect(result.status == 0, "test_printer_events.py exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(server.output.suffix(3000))")
        try VirtualLabelPrinter.wait("the held label at the printer", seconds: 60) { ServeZPLTests.labels(zebra.received) >= 1 }
        #expect(server.output.components(separatedBy: "printer cannot print (").count == 2, "\(server.output.suffix(3000))")
    }
}
