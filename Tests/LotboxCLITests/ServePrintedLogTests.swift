import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's log says "printed" only for labels whose job completed: a label held for a
/// person, or handed to a CUPS queue that holds it (job-hold-until), is logged as what it is.
/// Read from the real daemon's log, with a real cupsd raw queue to a Zebra stand-in.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServePrintedLogTests {
    /// Log lines saying labels were printed (other lines may say "cannot be printed").
    static func printedLines(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains("] printed ") }
    }

    @Test func onlyLabelsWhoseJobCompletedAreLoggedPrinted() throws {
        let cli = try CLITests()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        let config = cli.folder + "/printed-log.toml"
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
        // U+E000 is in no installed font: this product's labels are held for a person.
        let unprintable = "Blue \u{E000} Dream"
        #expect(try cli.lotbox("product", "add", unprintable, "--type", "Flower/Dry").status == 0)
        // CUPS holds every job of the queue (job-hold-until indefinite) until it is released.
        #expect(try runProgram("/usr/sbin/lpadmin", ["-h", cups.server, "-p", "Zebra_Raw", "-o", "job-hold-until-default=indefinite"]).status == 0)
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }

        let held = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", unprintable, "--qty", "1 g")
        #expect(held.status == 0, "\(held.err)")
        try VirtualLabelPrinter.wait("the daemon to log the held label", seconds: 30) { daemon.output.contains("held 1 label(s)") }
        let good = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2 g").line
        try VirtualLabelPrinter.wait("the daemon to hand the label to CUPS", seconds: 30) {
            daemon.output.contains("sent 1 label(s) to CUPS queue 'Zebra_Raw'")
        }
        // CUPS holds the job: nothing reached the printer, and nothing is logged printed.
        #expect(zebra.received.isEmpty)
        #expect(Self.printedLines(daemon.output).isEmpty, "\(daemon.output)")
        let listed = try cli.lotbox("queue", "list", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]] ?? []
        #expect(Set(rows.compactMap { $0["state"] as? String }) == ["held", "submitted"], "\(listed.out)")

        // The job released: the label prints, and only now is it logged printed, once.
        let cupsJob = try #require(rows.compactMap { $0["cups_job_id"] as? Int }.first, "\(listed.out)")
        let released = try runProgram("/usr/bin/lp", ["-h", cups.server, "-i", "Zebra_Raw-\(cupsJob)", "-H", "resume"])
        #expect(released.status == 0, "\(released.err)")
        try VirtualLabelPrinter.wait("the label printed and logged", seconds: 60) { !Self.printedLines(daemon.output).isEmpty }
        #expect(Self.printedLines(daemon.output).count == 1, "\(daemon.output)")
        #expect(Self.printedLines(daemon.output).first?.hasSuffix("printed 1 label(s)") == true, "\(daemon.output)")
        var read: [String] = []
        for png in try RealDecoder.zplImages(zebra.received.flatMap { $0 }, dpi: 203) { read += try RealDecoder.zxing(png).map(\.text) }
        #expect(read == [good])
        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0)
    }
}
