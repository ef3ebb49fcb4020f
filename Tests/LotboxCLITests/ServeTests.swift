import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Print-on-create end to end: `lotbox serve` against a real IPP label printer, lots created by
/// other processes (the CLI and plain SQL), every label read back from the printer and scanned.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ServeTests {
    @Test func everyNewLotFromAnyWriterIsPrintedOnce() throws {
        let cli = try CLITests()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates").path
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(templates)"

            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-2x1"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try cli.setUp()
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }

        var lots: [String] = []
        for index in 0..<6 {
            let created = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g")
            #expect(created.status == 0, "\(created.err)")
            lots.append(created.line)
        }
        let license = try cli.json(try cli.lotbox("license", "list", "--json").withArray())["id"] as? String ?? ""
        let product = try cli.lotbox("product", "list", "--json").firstID(named: "Flower")
        let sql = try runProgram("/usr/bin/sqlite3", ["-bail", cli.db], input: """
            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;
            INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('01M80ZZZZZOUTSIDEWRITER001', '\(license)', '\(product)', 10000, 10000);
            """)
        #expect(sql.status == 0, "\(sql.err)")
        lots.append("01M80ZZZZZOUTSIDEWRITER001")

        // Lots that arrive together go as one job (one document): count pages, not documents.
        let deadline = Date().addingTimeInterval(30)
        while ((try? printer.receivedPages())?.count ?? 0) < lots.count && Date() < deadline { usleep(50_000) }
        let pages = try printer.receivedPages()
        #expect(pages.count == lots.count, "\(daemon.output)")
        var printed: [String] = []
        for (index, page) in pages.enumerated() {
            printed += try RealDecoder.zxing(try RealDecoder.write(page.page, dpi: 203, name: "served-\(index)")).map(\.text)
        }
        #expect(printed.sorted() == lots.sorted())

        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0)
        #expect(daemon.output.contains("stopped"), "\(daemon.output)")
        let queue = try cli.lotbox("queue", "list", "--state", "completed", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(queue.out.utf8)) as? [Any])?.count == lots.count)
        #expect(try printer.receivedPages().count == lots.count)
    }

    @Test func labelsGoThroughACupsQueueToo() throws {
        let cli = try CLITests()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let cups = try PrivateCups()
        try cups.addQueue("Dock_Labels", uri: printer.uri)
        let config = cli.folder + "/cups.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            cups_server = "\(cups.server)"

            [[printers]]
            name = "dock"
            queue = "Dock_Labels"
            template = "lot-2x1"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try cli.setUp()
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        var lots: [String] = []
        for index in 0..<3 {
            lots.append(try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g").line)
        }
        try VirtualLabelPrinter.wait("three labels through cupsd", seconds: 30) { ((try? printer.receivedPages())?.count ?? 0) >= lots.count }
        var printed: [String] = []
        for (index, page) in try printer.receivedPages().enumerated() {
            printed += try RealDecoder.zxing(try RealDecoder.write(page.page, dpi: 203, name: "cups-\(index)")).map(\.text)
        }
        #expect(printed.sorted() == lots.sorted(), "\(daemon.output)")
        let status = try cli.lotbox("printer", "status", "--config", config, "--json")
        #expect(status.out.contains("\"accepting\":true"), "\(status.out) \(status.err)")
    }

    @Test func aBrokenConfigIsOneLine() throws {
        let cli = try CLITests()
        let config = cli.folder + "/bad.toml"
        try "[[printers]]\nname = \"dock\"\ndpi = 150\nuri = \"ipp://x\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try cli.lotbox("serve", "--config", config)
        #expect(result.status != 0)
        #expect(result.err == "lotbox: config \(config) printers[0] 'dock' dpi 150 is not 203, 300 or 600\n")
    }
}

extension CLITests.Result {
    /// The first element of a JSON list, as an object.
    func withArray() throws -> CLITests.Result {
        let list = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [Any]
        let first = try JSONSerialization.data(withJSONObject: list?.first ?? [:])
        return CLITests.Result(status: status, out: String(decoding: first, as: UTF8.self), err: err)
    }

    func firstID(named name: String) throws -> String {
        let list = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
        return list.first { $0["name"] as? String == name }?["id"] as? String ?? ""
    }
}

@Suite(.timeLimit(.minutes(10))) struct InstallTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/lotbox.toml.example").path

    /// `lotbox install` on a packaged box: the first configuration (the example, the zone set,
    /// 0640 for the daemon's group) and the store; run again, it keeps both, edits included.
    @Test func installWritesAFirstConfigAndStoreAndKeepsThemAfter() throws {
        let cli = try CLITests()
        let config = cli.folder + "/etc/lotbox.toml", store = cli.folder + "/store.sqlite"
        let first = try cli.lotbox("install", "--time-zone", "America/Los_Angeles", "--config", config, "--example", Self.example,
                                   "--store", store, "--group", "root")
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("wrote \(config)") && first.out.contains("made the store \(store)"), "\(first.out)")
        let written = try String(contentsOfFile: config, encoding: .utf8)
        #expect(written.contains("\ntime_zone = \"America/Los_Angeles\"\n") && written.contains("store = \"\(store)\""))
        #expect(written.contains("# Scanners."), "the example's comments are kept")
        let mode = try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let status = try cli.lotbox("status", "--config", config, "--json")
        #expect(status.status == 0 && status.out.contains("America/Los_Angeles"), "\(status)")

        try "store = \"\(store)\"\ntime_zone = \"Europe/Berlin\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let second = try cli.lotbox("install", "--time-zone", "America/Los_Angeles", "--config", config, "--example", Self.example, "--group", "root")
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.contains("kept \(config)") && second.out.contains("kept the store \(store)"), "\(second.out)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "store = \"\(store)\"\ntime_zone = \"Europe/Berlin\"\n")
    }

    @Test func installRefusesBadInputAndWritesNothing() throws {
        let cli = try CLITests()
        let config = cli.folder + "/etc/lotbox.toml"
        let zone = try cli.lotbox("install", "--time-zone", "Mars/Olympus", "--config", config, "--example", Self.example, "--group", "root")
        #expect(zone.status == 64 && zone.err.contains("Mars/Olympus") && zone.err.split(separator: "\n").count == 1, "\(zone)")
        let example = try cli.lotbox("install", "--time-zone", "America/Denver", "--config", config, "--example", "/nonexistent.toml", "--group", "root")
        #expect(example.status == 66 && example.err == "lotbox: --example /nonexistent.toml does not exist; expected lotbox's example configuration\n", "\(example)")
        let group = try cli.lotbox("install", "--time-zone", "America/Denver", "--config", config, "--example", Self.example, "--group", "nosuchgroup")
        #expect(group.status == 64 && group.err.contains("nosuchgroup"), "\(group)")
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/etc"), "something was written")
    }
}
