import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `label batch --print` and `print` of many lots: queued together (all or none), so `serve`
/// sends them as one job; a real ippeveprinter receives one document of their pages.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BatchPrintCLITests {
    @Test func lotsQueuedTogetherPrintAsOneJob() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let config = cli.folder + "/batch.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"

            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-2x1"
            print_on_create = false
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var lots: [String] = []
        for index in 0..<3 {
            lots.append(try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g").line)
        }
        // Bad input: one line naming it, nothing queued.
        let missing = try cli.lotbox("print", lots[0], "NO-SUCH-LOT", "--config", config)
        #expect(missing.status != 0 && missing.err.contains("NO-SUCH-LOT") && missing.err.split(separator: "\n").count == 1, "\(missing.err)")
        let csv = try cli.lotbox("label", "batch", "--template", "lot-2x1", "--csv", cli.folder + "/x.csv", "--print", "--config", config)
        #expect(csv.status != 0 && csv.err.contains("--print needs --lots"), "\(csv.err)")
        let neither = try cli.lotbox("label", "batch", "--template", "lot-2x1", "--lots", lots[0])
        #expect(neither.status != 0 && neither.err.contains("give -o FILE to write the labels, or --print"), "\(neither.err)")
        #expect(try cli.lotbox("queue", "list", "--json").out.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        let queued = try cli.lotbox("label", "batch", "--template", "lot-2x1", "--lots", lots[0], lots[1], lots[2], "--copies", "2",
                                    "--print", "--config", config, "--json")
        #expect(queued.status == 0, "\(queued.err)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(queued.out.utf8)) as? [String: Any], "\(queued.out)")
        #expect(summary["labels"] as? Int == 3 && summary["printer"] as? String == "dock")
        let reprinted = try cli.lotbox("print", lots[2], lots[0], "--config", config)
        #expect(reprinted.status == 0 && reprinted.out.split(separator: "\n").count == 2, "\(reprinted.err)")

        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        try VirtualLabelPrinter.wait("eight pages at the printer", seconds: 60) { ((try? printer.receivedPages())?.count ?? 0) >= 8 }
        // Queued before the daemon started, all five labels are due at once: one job, one document.
        let files = printer.received()
        #expect(files.count == 1, "\(files) \(daemon.output)")
        var read: [String] = []
        for (index, page) in try printer.receivedPages().enumerated() {
            read += try RealDecoder.zbar(try RealDecoder.write(page.page, dpi: 203, name: "cli-batch-\(index)")).filter { $0.hasPrefix("QR-Code:") }
        }
        let expected = [lots[0], lots[0], lots[1], lots[1], lots[2], lots[2], lots[2], lots[0]].map { "QR-Code:\($0)" }
        #expect(read == expected)
        try VirtualLabelPrinter.wait("the queue to show them printed", seconds: 30) {
            let queue = try? cli.lotbox("queue", "list", "--state", "completed", "--json")
            return ((try? JSONSerialization.jsonObject(with: Data((queue?.out ?? "").utf8))) as? [Any])?.count == 5
        }
        let table = try cli.lotbox("queue", "list")
        #expect(table.out.contains(", 5 of 5"), "\(table.out)")
        daemon.kill(SIGTERM)
    }
}
