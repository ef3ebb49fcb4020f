import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A CUPS queue that stopped (`cupsdisable`, as CUPS' stop-printer error policy does by itself)
/// holds the daemon's labels in lotbox with the reason: `printer status` shows it, the log says
/// it once at warning, and when the queue starts again the labels print by themselves.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeQueueStoppedTests {
    @Test func aStoppedQueueHoldsTheLabelsUntilItStartsAgain() throws {
        let cli = try CLITests()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        let config = cli.folder + "/stopped-queue.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"
            cups_server = "\(cups.server)"

            [[printers]]
            name = "zebra"
            queue = "Zebra_Raw"
            format = "zpl"
            template = "lot-2x1"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try cli.setUp()
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        #expect(try cups.tool("/usr/sbin/cupsdisable", ["Zebra_Raw"]).status == 0)
        let status = try cli.lotbox("printer", "status", "--config", config, "--json")
        let row = try #require((try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [[String: Any]])?.first, "\(status.err)")
        #expect(row["state"] as? String == "stopped" && !((row["hold_reasons"] as? [String]) ?? []).isEmpty, "\(row)")
        #expect(try cli.lotbox("printer", "status", "--config", config).out.contains("stopped (labels wait)"))

        var lots: [String] = []
        for index in 0..<2 {
            lots.append(try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g").line)
        }
        try VirtualLabelPrinter.wait("the daemon to see the queue stopped", seconds: 30) { daemon.output.contains("printer cannot print (") }
        // Held in lotbox: queued, not failed, not handed to the stopped queue.
        let listed = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--json").out.utf8)) as? [[String: Any]] ?? []
        #expect(listed.count == lots.count && listed.nonEmptyAllSatisfy { $0["state"] as? String == "queued" && $0["cups_job_id"] is NSNull }, "\(listed)")
        let jobs = try cups.tool("/usr/bin/lpstat", ["-o", "Zebra_Raw"])
        #expect(jobs.out.isEmpty, "\(jobs.out)")

        #expect(try cups.tool("/usr/sbin/cupsenable", ["Zebra_Raw"]).status == 0)
        try VirtualLabelPrinter.wait("both labels at the printer", seconds: 60) { ServeZPLTests.labels(zebra.received) >= lots.count }
        try VirtualLabelPrinter.wait("the daemon to log the queue ready", seconds: 30) { daemon.output.contains("printer ready again") }
        var read: [String] = []
        for png in try RealDecoder.zplImages(zebra.received.flatMap { $0 }, dpi: 203) { read += try RealDecoder.zxing(png).map(\.text) }
        #expect(read.sorted() == lots.sorted())
        // Logged at warning once for the change, however many passes it lasted.
        #expect(daemon.output.components(separatedBy: "printer cannot print (").count == 2, "\(daemon.output)")
        #expect(daemon.output.split(separator: "\n").contains { $0.contains("warning") && $0.contains("printer cannot print (") }, "\(daemon.output)")
    }
}
