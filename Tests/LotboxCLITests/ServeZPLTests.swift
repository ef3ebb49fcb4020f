import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Print-on-create to Zebras: `lotbox serve` sending ZPL straight to a printer's raw port and
/// through a raw CUPS queue, the printer a ZD420 stand-in on loopback. Every label's bytes are
/// read back by zebrafy and scanned.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ServeZPLTests {
    func config(_ cli: CLITests, printer: String) throws -> String {
        let path = cli.folder + "/zpl-\(UUID().uuidString).toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            \(printer)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func labels(_ jobs: [[UInt8]]) -> Int {
        jobs.reduce(0) { $0 + String(decoding: $1, as: UTF8.self).components(separatedBy: "^XA").count - 1 }
    }

    func readBack(_ jobs: [[UInt8]]) throws -> [String] {
        var printed: [String] = []
        for job in jobs {
            for png in try RealDecoder.zplImages(job, dpi: 203) { printed += try RealDecoder.zxing(png).map(\.text) }
        }
        return printed
    }

    @Test func newLotsPrintOnASocketPrinterAndItsTroubleShows() throws {
        let cli = try CLITests()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let config = try config(cli, printer: """
            [[printers]]
            name = "zebra"
            uri = "\(zebra.uri)"
            template = "lot-2x1"
            darkness = 3
            speed = 5
            zpl_compression = "acs"
            """)
        try cli.setUp()
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        var lots: [String] = []
        for index in 0..<3 {
            let created = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g")
            #expect(created.status == 0, "\(created.err)")
            lots.append(created.line)
        }
        // Lots that arrive together may share a connection: count labels, not connections.
        try VirtualLabelPrinter.wait("three labels at the printer", seconds: 30) { ServeZPLTests.labels(zebra.received) >= lots.count }
        let jobs = zebra.received
        #expect(ServeZPLTests.labels(jobs) == lots.count, "\(daemon.output)")
        #expect(jobs.nonEmptyAllSatisfy { String(decoding: $0, as: UTF8.self).contains("^MD3\n^PR5\n^PW406\n") })
        #expect(try readBack(jobs).sorted() == lots.sorted())

        let ready = try cli.lotbox("printer", "status", "--config", config, "--json")
        let row = try #require((try JSONSerialization.jsonObject(with: Data(ready.out.utf8)) as? [[String: Any]])?.first, "\(ready.err)")
        #expect(row["state"] as? String == "idle" && row["label_length_dots"] as? Int == 203, "\(row)")

        // Out of labels: `printer status` says so, the daemon logs it once, and a new lot waits.
        zebra.set { $0.paperOut = true }
        // While things go well the daemon asks `~HS` at most every 2 s; a lot created sooner
        // after its last good answer is sent without asking (a Zebra buffers it). Wait that out
        // so the new lot meets the question.
        usleep(2_500_000)
        let empty = try cli.lotbox("printer", "status", "--config", config)
        #expect(empty.out.contains("stopped") && empty.out.contains("media-empty-error"), "\(empty.out)")
        let waiting = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "9 g").line
        try VirtualLabelPrinter.wait("the daemon to see the printer out of labels", seconds: 60) {
            daemon.output.contains("printer cannot print (media-empty-error)")
        }
        usleep(500_000)
        #expect(zebra.received.count == jobs.count)
        zebra.set { $0.paperOut = false }
        let after = zebra.waitForJobs(jobs.count + 1, seconds: 60)
        #expect(try readBack(Array(after.dropFirst(jobs.count))) == [waiting], "\(daemon.output)")
        #expect(daemon.output.components(separatedBy: "printer cannot print").count == 2, "\(daemon.output)")
        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0)
    }

    /// CUPS 2.4 has no ZPL type: a raw queue takes the ZPL as application/vnd.cups-raw and its
    /// socket backend passes it to the printer untouched. The queue's error policy is
    /// retry-current-job (CUPS' default, stop-printer, would stop the queue on a lost connection).
    @Test func aRawCupsQueuePassesZPLThrough() throws {
        let cli = try CLITests()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        let config = try config(cli, printer: """
            cups_server = "\(cups.server)"

            [[printers]]
            name = "zebra"
            queue = "Zebra_Raw"
            format = "zpl"
            template = "lot-2x1"
            zpl_compression = "z64"
            """)
        try cli.setUp()
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        var lots: [String] = []
        for index in 0..<3 {
            lots.append(try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g").line)
        }
        // Lots that arrive together go as one CUPS job (one connection): count labels.
        try VirtualLabelPrinter.wait("three labels at the printer", seconds: 60) { ServeZPLTests.labels(zebra.received) >= lots.count }
        let jobs = zebra.received
        #expect(ServeZPLTests.labels(jobs) == lots.count, "\(daemon.output)")
        #expect(jobs.nonEmptyAllSatisfy { String(decoding: $0, as: UTF8.self).hasPrefix("^XA\n^MNY\n^PW406\n") })
        #expect(try readBack(jobs).sorted() == lots.sorted())
        try VirtualLabelPrinter.wait("cupsd to report the jobs completed", seconds: 30) {
            let queue = try? cli.lotbox("queue", "list", "--state", "completed", "--json")
            return ((try? JSONSerialization.jsonObject(with: Data((queue?.out ?? "").utf8))) as? [Any])?.count == lots.count
        }
        // `queue list` names the printer's job each label rode in, and its place there.
        let listed = try JSONSerialization.jsonObject(with: Data(try cli.lotbox("queue", "list", "--json").out.utf8)) as? [[String: Any]] ?? []
        #expect(listed.nonEmptyAllSatisfy { $0["batch_id"] is String && $0["cups_job_id"] is Int && $0["batch_state"] as? String == "completed" })
        #expect(Set(listed.compactMap { $0["cups_job_id"] as? Int }).count == jobs.count, "\(listed)")
        let table = try cli.lotbox("queue", "list")
        #expect(table.out.contains("JOB") && table.out.contains(" of "), "\(table.out)")
    }
}
