import Foundation
import LotboxTestSupport
import Testing

/// Stations as an operator and an integrator use them: the daemon reading scanners into a dock
/// and a kiosk, the CLI acting as a station, and the live view.
@Suite(.serialized, .timeLimit(.minutes(10))) struct StationCLITests {
    func config(_ cli: CLITests, scanners: String = "") throws -> String {
        let path = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"
            \(scanners)

            [[stations]]
            name = "dock"
            kind = "dock"
            license = "R-1"

            [[stations]]
            name = "kiosk"
            kind = "kiosk"
            license = "R-1"
            employee = "ana"
            age_check = false
            taxes = [ { type = "excise", rate = "15%" } ]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func setUp(_ cli: CLITests) throws {
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
    }

    @Test func anOpenSaleSurvivesTheDaemonBeingKilled() throws {
        let cli = try CLITests()
        try setUp(cli)
        let fifo = cli.folder + "/kiosk-scanner"
        #expect(mkfifo(fifo, 0o600) == 0)
        let config = try config(cli, scanners: """
            [[scanners]]
            name = "kiosk-1"
            path = "\(fifo)"
            kind = "stream"
            station = "kiosk"
            """)
        let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        var daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        try send(fifo, "\(lot)\n\(lot)\n")
        try waitForEvents(cli, 3)  // a new sale, two lines
        let status = try cli.lotbox("station", "status", "--config", config, "--json")
        let kiosk = try #require((try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [[String: Any]])?.first { $0["station"] as? String == "kiosk" })
        #expect((kiosk["sale"] as? [String: Any])?["lines"] as? Int == 2, "\(status.out)")
        // Power cut: no graceful shutdown.
        daemon.kill(SIGKILL)
        daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        try send(fifo, "\(lot)\nLOTBOX:PAY\n")
        try waitForEvents(cli, 5)
        let sales = try cli.lotbox("sale", "list", "--json")
        let sale = try #require((try JSONSerialization.jsonObject(with: Data(sales.out.utf8)) as? [[String: Any]])?.first)
        #expect(sale["stat"] as? Int == 200, "\(sales.out) \(daemon.output)")
        #expect((sale["item_list"] as? [Any])?.count == 3)
        // $105.00 + 15% = $120.75.
        #expect(Double(sale["total"] as? String ?? "") == 120.75, "\(sale)")
        let shown = try cli.json(try cli.lotbox("lot", "show", lot, "--json"))
        #expect(Double(shown["qty"] as? String ?? "") == 7, "\(shown)")
    }

    @Test func aDockRunFromTheCommandLine() throws {
        let cli = try CLITests()
        try setUp(cli)
        let config = try config(cli)
        let manifest = cli.folder + "/manifest.json"
        try """
            {"id": "01M80TRANSFERCL10000000001", "source": {"id": "01M80L1CENSESENDER00000001", "name": "Hill Farm", "code": "HF-1"},
             "target": {"id": "R-1"}, "item_list": [
               {"inventory": {"id": "1A4FF0100000022000000401"}, "product": {"name": "Flower"}, "qty": "2", "uom": "lb"},
               {"inventory": {"id": "1A4FF0100000022000000402"}, "product": {"name": "Eighth"}, "qty": 4}]}
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        // A target this store does not have: the manifest is refused whole, its sender not added either.
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"R-1\"", with: "\"NOPE-9\"").write(toFile: manifest, atomically: true, encoding: .utf8)
        let refused = try cli.lotbox("b2b", "import", manifest)
        #expect(refused.status != 0 && refused.err.split(separator: "\n").count == 1 && refused.err.contains("NOPE-9"), "\(refused.err)")
        #expect(try cli.lotbox("license", "list").out.contains("Hill Farm") == false)
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(try cli.lotbox("b2b", "import", manifest).line == "01M80TRANSFERCL10000000001")
        #expect(try cli.lotbox("station", "open", "dock", "01M80TRANSFERCL10000000001", "--config", config).status == 0)
        let counted = try cli.lotbox("station", "scan", "dock", "1A4FF0100000022000000401", "--config", config)
        #expect(counted.status == 0 && counted.line.contains("907.1847 g of 907.1847 g"), "\(counted.out)\(counted.err)")
        let twice = try cli.lotbox("station", "scan", "dock", "1A4FF0100000022000000401", "--config", config)
        #expect(twice.status == 2 && twice.err.contains("not counted twice"), "\(twice.err)")
        let accepted = try cli.lotbox("b2b", "accept", "01M80TRANSFERCL10000000001", "--json")
        let result = try cli.json(accepted)
        #expect((result["lots"] as? [Any])?.count == 1)
        #expect(result["still_open"] as? Int == 1)
        // The rest by hand, at manifest quantities.
        #expect(try cli.lotbox("b2b", "accept", "01M80TRANSFERCL10000000001", "--all").status == 0)
        let shown = try cli.json(try cli.lotbox("b2b", "show", "01M80TRANSFERCL10000000001", "--json"))
        #expect(shown["stat"] as? Int == 307)
        // The sender's tag now finds the local lot.
        #expect(try cli.lotbox("lot", "show", "1A4FF0100000022000000402", "--json").status == 0)
        for (arguments, expected) in [
            (["b2b", "create", "--from", "HF-1", "--to", "R-1", "--item", "only-two,parts"], "is not PACKAGE,PRODUCT,QTY"),
            (["station", "scan", "bakery", "X", "--config", config], "station 'bakery' is not in"),
            (["sale", "commit", "kiosk", "--config", config], "has no open sale"),
            (["station", "watch", "--count", "0"], "--count 0 must be at least 1"),
        ] {
            let result = try cli.lotbox(arguments[0], Array(arguments.dropFirst()))
            #expect(result.status != 0 && result.err.split(separator: "\n").count == 1 && result.err.contains(expected), "\(result.err)")
        }
    }

    @Test func theLiveViewRingsOnARefusal() throws {
        let cli = try CLITests()
        try setUp(cli)
        let config = try config(cli)
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: CLITests.binary)
        watcher.arguments = ["station", "watch", "kiosk", "--count", "2", "--db", cli.db]
        let output = Pipe()
        watcher.standardOutput = output
        try spawnLock.withLock { try watcher.run() }
        usleep(300_000)
        let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "1").line
        #expect(try cli.lotbox("station", "scan", "kiosk", "no-such-code", "--config", config).status == 2)
        #expect(try cli.lotbox("station", "scan", "kiosk", lot, "--config", config).status == 0)
        try waitForExit(watcher, seconds: 20)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 2, "\(text)")
        #expect(lines.first?.hasPrefix("\u{07}") == true && lines.first?.contains("REFUSED") == true, "\(text)")
        #expect(text.contains("could not read the scan"))
    }

    func send(_ fifo: String, _ text: String) throws {
        let deadline = Date().addingTimeInterval(10)
        var fd: Int32 = -1
        while fd < 0 && Date() < deadline {
            fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd < 0 { usleep(20_000) }
        }
        guard fd >= 0 else { throw DecoderError(message: "no daemon reading \(fifo)") }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func waitForEvents(_ cli: CLITests, _ count: Int) throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let rows = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT count(*) FROM station_event"])
            if Int(rows.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= count { return }
            usleep(50_000)
        }
        throw DecoderError(message: "fewer than \(count) station decisions")
    }
}

extension CLITests {
    func lotbox(_ first: String, _ rest: [String]) throws -> Result {
        try runProgram(CLITests.binary, [first] + rest, environment: ["LOTBOX_DB": db, "LOTBOX_ACTOR": "tester"])
    }
}
