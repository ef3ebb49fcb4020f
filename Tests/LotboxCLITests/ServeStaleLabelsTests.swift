import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// After an outage, labels queued longer ago than `stale_after_minutes` wait for a person
/// instead of printing by themselves; fresh ones print; a released one prints. The real daemon,
/// a real ippeveprinter, the CLI. The outage is made by dating one job back two hours in the
/// store file (sqlite3), as if it had waited that long.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeStaleLabelsTests {
    @Test func labelsQueuedBeforeTheOutageWaitForARelease() throws {
        let cli = try CLITests()
        let printer = try VirtualLabelPrinter()
        defer { printer.stop() }
        let config = cli.folder + "/stale.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-4x2"
            print_on_create = false
            stale_after_minutes = 60
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try cli.setUp()
        let old = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g").line
        let fresh = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2 g").line
        let oldJob = try cli.lotbox("print", old, "--config", config).line
        let freshJob = try cli.lotbox("print", fresh, "--config", config).line
        #expect(oldJob.count == 26 && freshJob.count == 26, "\(oldJob) \(freshJob)")
        let dated = try runProgram("/usr/bin/sqlite3", [cli.db, "UPDATE print_job SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours') WHERE id = '\(oldJob)'"])
        #expect(dated.status == 0, "\(dated.err)")

        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        try VirtualLabelPrinter.wait("the fresh label printed", seconds: 30) { !printer.received().isEmpty }
        try VirtualLabelPrinter.wait("the stale label held and logged", seconds: 30) { daemon.output.contains("held 1 label(s) queued longer ago than stale_after_minutes") }
        let held = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--state", "held", "--json").out.utf8)) as? [[String: Any]] ?? []
        #expect(held.count == 1 && held.first?["id"] as? String == oldJob, "\(held)")
        #expect((held.first?["reason"] as? String)?.contains("stale_after_minutes = 60") == true, "\(held)")
        let status = try cli.lotbox("printer", "status", "--config", config)
        #expect(status.out.contains("1 held for a person"), "\(status.out)")
        #expect(printer.received().count == 1)

        // A person releases it: it prints, and is not held again.
        #expect(try cli.lotbox("queue", "release", oldJob, "--config", config).status == 0)
        try VirtualLabelPrinter.wait("the released label printed", seconds: 30) { printer.received().count == 2 }
        try VirtualLabelPrinter.wait("both labels recorded printed", seconds: 30) {
            let done = try? cli.lotbox("queue", "list", "--state", "completed", "--json")
            return ((try? JSONSerialization.jsonObject(with: Data((done?.out ?? "").utf8))) as? [Any])?.count == 2
        }
        var read: [String] = []
        for page in try printer.receivedPages() { read += try RealDecoder.zxing(try RealDecoder.write(page.page, dpi: 203, name: "stale-\(read.count)")).map(\.text) }
        #expect(Set(read) == [old, fresh], "\(read)")
    }
}
