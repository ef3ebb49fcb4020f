import Foundation
import LotboxTestSupport
import Testing

/// A scan recorded but not acted on when `lotbox serve` was killed: at the next start it is acted
/// on when it is young and what it was scanned into is still open; commands never are; any
/// other is marked expired with a decision. The daemon is killed for real (SIGKILL) with a sale
/// and a transfer open; the scans it would have recorded and not acted on are written to the
/// scan log by `lotbox scan --record` while no daemon runs, which is the state it leaves.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ScanReplayCLITests {
    static let transfer = "01M80TRANSFERREPLAY0000001"
    static let packages = ["1A4FF0100000022000000701", "1A4FF0100000022000000702"]

    struct Shop {
        let cli: CLITests
        let config: String
        let kioskFIFO: String
        let dockFIFO: String
        let lot: String

        /// A store with a lot to sell, a transfer open at the dock, and scanners on FIFOs.
        static func make(replayWithin: Int) throws -> Shop {
            let cli = try CLITests()
            try cli.setUp()
            #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
            let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "20").line
            let manifest = cli.folder + "/manifest.json"
            let items = packages.map { #"{"inventory": {"id": "\#($0)"}, "product": {"name": "Eighth"}, "qty": 2}"# }
            try """
                {"id": "\(transfer)", "source": {"id": "01M80L1CENSESENDER00000001", "name": "Hill Farm", "code": "HF-1"},
                 "target": {"id": "R-1"}, "item_list": [\(items.joined(separator: ","))]}
                """.write(toFile: manifest, atomically: true, encoding: .utf8)
            #expect(try cli.lotbox("b2b", "import", manifest).status == 0)
            let shop = Shop(cli: cli, config: cli.folder + "/lotbox.toml", kioskFIFO: cli.folder + "/kiosk-scanner",
                            dockFIFO: cli.folder + "/dock-scanner", lot: lot)
            for fifo in [shop.kioskFIFO, shop.dockFIFO] { #expect(mkfifo(fifo, 0o600) == 0) }
            try shop.configure(replayWithin: replayWithin)
            #expect(try cli.lotbox("station", "open", "dock", transfer, "--config", shop.config).status == 0)
            return shop
        }

        func configure(replayWithin: Int) throws {
            try """
                store = "\(cli.db)"
                templates = "\(ServeFaultTests.templates)"
                scanner_directory = "\(cli.folder)/no-udev"

                [[scanners]]
                name = "kiosk-1"
                path = "\(kioskFIFO)"
                kind = "stream"
                station = "kiosk"

                [[scanners]]
                name = "dock-1"
                path = "\(dockFIFO)"
                kind = "stream"
                station = "dock"

                [[stations]]
                name = "dock"
                kind = "dock"
                license = "R-1"
                replay_within = \(replayWithin)

                [[stations]]
                name = "kiosk"
                kind = "kiosk"
                license = "R-1"
                employee = "ana"
                age_check = false
                replay_within = \(replayWithin)
                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        /// Writes scans to the log as the daemon's recorder does, without acting on them.
        func record(_ station: String, _ codes: String...) throws {
            let result = try cli.lotbox("scan", "--stdin", "--record", "--station", station, input: codes.map { $0 + "\n" }.joined())
            #expect(result.status == 0, "\(result.err)")
        }

        func sql(_ query: String) throws -> String {
            try runProgram("/usr/bin/sqlite3", ["-cmd", ".timeout 5000", cli.db, query]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func count(_ query: String) throws -> Int { Int(try sql(query)) ?? -1 }

        var undecided: Int {
            get throws {
                try count("SELECT count(*) FROM scan_log s WHERE NOT EXISTS (SELECT 1 FROM station_event e WHERE e.scan_log_id = s.id)")
            }
        }

        /// The decisions about one scan, in order, as `action outcome` pairs.
        func decisions(ofScan id: Int) throws -> [String] {
            try sql("SELECT action || ' ' || outcome FROM station_event WHERE scan_log_id = \(id) ORDER BY id")
                .split(separator: "\n").map(String.init)
        }

        func lastScanIDs(_ count: Int) throws -> [Int] {
            try sql("SELECT id FROM (SELECT id FROM scan_log ORDER BY id DESC LIMIT \(count)) ORDER BY id").split(separator: "\n").compactMap { Int($0) }
        }

        func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try condition() { return }
                usleep(50_000)
            }
            throw DecoderError(message: "timed out waiting until \(what)")
        }

        /// Kills the daemon with SIGKILL, checking that it was running and died of the signal.
        func kill(_ daemon: ServeFaultTests.Daemon) {
            #expect(daemon.process.isRunning, "the daemon was running when it was killed")
            daemon.kill(SIGKILL)
            #expect(daemon.process.terminationReason == .uncaughtSignal && daemon.process.terminationStatus == SIGKILL)
        }

        func send(_ fifo: String, _ text: String) throws {
            let fd = try StationRaceCLITests.openWriter(fifo)
            defer { close(fd) }
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count)
        }

        var openSale: String { get throws { try sql("SELECT coalesce(b2c_sale_id, '') FROM station_state WHERE station = 'kiosk'") } }
        func lines(_ sale: String) throws -> Int { try count("SELECT count(*) FROM b2c_sale_item WHERE b2c_sale_id = '\(sale)'") }
        var lotQty: Double? { get throws { Double(try cli.json(try cli.lotbox("lot", "show", lot, "--json"))["qty"] as? String ?? "") } }
    }

    @Test func youngScansAreActedOnAfterAKillAndCommandsNeverAre() throws {
        let shop = try Shop.make(replayWithin: 30)
        var daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        defer { daemon.kill(SIGKILL) }
        try shop.send(shop.kioskFIFO, "\(shop.lot)\n")
        try shop.waitUntil("the first item is on a sale") { try shop.count("SELECT count(*) FROM b2c_sale_item") == 1 }
        let sale = try shop.openSale
        shop.kill(daemon)

        // Left behind by the kill: two items and a package, in the log, acted on by nobody.
        try shop.record("kiosk", shop.lot, shop.lot)
        try shop.record("dock", Self.packages[0])
        let left = try shop.lastScanIDs(3)
        #expect(try shop.undecided == 3)
        #expect(try shop.lines(sale) == 1)

        daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        try shop.waitUntil("the scans left behind are settled") { try shop.undecided == 0 }
        #expect(try shop.decisions(ofScan: left[0]) == ["replay info", "add accepted"])
        #expect(try shop.decisions(ofScan: left[1]) == ["replay info", "add accepted"])
        #expect(try shop.decisions(ofScan: left[2]) == ["replay info", "count accepted"])
        #expect(try shop.openSale == sale, "into the sale that was open")
        #expect(try shop.lines(sale) == 3)
        #expect(try shop.count("SELECT count(*) FROM b2b_incoming_scan") == 1)
        shop.kill(daemon)

        // A PAY left behind is never replayed, nor anything scanned after it.
        try shop.record("kiosk", "LOTBOX:PAY", shop.lot)
        let pay = try shop.lastScanIDs(2)
        daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        try shop.waitUntil("the PAY left behind is settled") { try shop.undecided == 0 }
        #expect(try shop.decisions(ofScan: pay[0]) == ["expired refused"])
        #expect(try shop.decisions(ofScan: pay[1]) == ["expired refused"])
        #expect(try shop.sql("SELECT message FROM station_event WHERE scan_log_id = \(pay[0])").contains("commands are never replayed"))
        #expect(try shop.sql("SELECT message FROM station_event WHERE scan_log_id = \(pay[1])").contains("scan \(pay[0]) before it was not acted on"))
        #expect(try shop.openSale == sale && shop.lines(sale) == 3, "the sale is still open, as it was")
        #expect(try shop.lotQty == 20)
        // The clerk scans PAY again: the three items are sold once each.
        try shop.send(shop.kioskFIFO, "LOTBOX:PAY\n")
        try shop.waitUntil("the sale is paid") { try shop.count("SELECT count(*) FROM b2c_sale WHERE stat = 200") == 1 }
        #expect(try shop.lotQty == 17)
        #expect(daemon.output.contains("expired"), "\(daemon.output)")
        let broken = try StationRaceCLITests.brokenInvariants(shop.cli)
        #expect(broken.isEmpty, "\(broken)")
    }

    @Test func oldScansAndScansWhoseSaleClosedMeanwhileExpire() throws {
        let shop = try Shop.make(replayWithin: 2)
        var daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        defer { daemon.kill(SIGKILL) }
        try shop.send(shop.kioskFIFO, "\(shop.lot)\n")
        try shop.send(shop.dockFIFO, "\(Self.packages[0])\n")
        try shop.waitUntil("an item is on a sale and a package counted") {
            try shop.count("SELECT count(*) FROM b2c_sale_item") == 1 && shop.count("SELECT count(*) FROM b2b_incoming_scan") == 1
        }
        let sale = try shop.openSale
        shop.kill(daemon)

        // Older than replay_within (2 s) by the time lotbox starts again.
        try shop.record("kiosk", shop.lot)
        try shop.record("dock", Self.packages[1])
        let old = try shop.lastScanIDs(2)
        sleep(3)
        daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        try shop.waitUntil("the old scans are settled") { try shop.undecided == 0 }
        #expect(try shop.decisions(ofScan: old[0]) == ["expired refused"])
        #expect(try shop.decisions(ofScan: old[1]) == ["expired refused"])
        #expect(try shop.sql("SELECT message FROM station_event WHERE scan_log_id = \(old[0])").contains("older than replay_within (2 s)"))
        #expect(try shop.lines(sale) == 1)
        #expect(try shop.count("SELECT count(*) FROM b2b_incoming_scan") == 1)
        shop.kill(daemon)

        // Young, but its sale was paid from the command line before lotbox came back.
        try shop.configure(replayWithin: 30)
        try shop.record("kiosk", shop.lot)
        let orphan = try shop.lastScanIDs(1)[0]
        let commit = try shop.cli.lotbox("sale", "commit", "kiosk", "--config", shop.config)
        #expect(commit.status == 0, "\(commit.err)")
        daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        try shop.waitUntil("the scan for the paid sale is settled") { try shop.undecided == 0 }
        #expect(try shop.decisions(ofScan: orphan) == ["expired refused"])
        #expect(try shop.sql("SELECT message FROM station_event WHERE scan_log_id = \(orphan)").contains("no longer the open one"))
        #expect(try shop.count("SELECT count(*) FROM b2c_sale") == 1, "no new sale was opened for it")
        #expect(try shop.lines(sale) == 1)
        #expect(try shop.lotQty == 19)
        let broken = try StationRaceCLITests.brokenInvariants(shop.cli)
        #expect(broken.isEmpty, "\(broken)")
    }

    @Test func twoDaemonsStartingAtOnceActOnEachLeftScanOnce() throws {
        let shop = try Shop.make(replayWithin: 30)
        var daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        try shop.send(shop.kioskFIFO, "\(shop.lot)\n")
        try shop.waitUntil("the first item is on a sale") { try shop.count("SELECT count(*) FROM b2c_sale_item") == 1 }
        let sale = try shop.openSale
        shop.kill(daemon)
        try shop.record("kiosk", shop.lot, shop.lot, shop.lot, shop.lot, shop.lot, shop.lot)
        try shop.record("dock", Self.packages[0], Self.packages[1])
        let left = try shop.lastScanIDs(8)
        #expect(try shop.undecided == 8)
        // A second daemon on the same store, with scanners of its own, started at the same time.
        let second = shop.cli.folder + "/second.toml"
        let text = try String(contentsOfFile: shop.config, encoding: .utf8)
            .replacingOccurrences(of: shop.kioskFIFO, with: shop.kioskFIFO + "-2").replacingOccurrences(of: shop.dockFIFO, with: shop.dockFIFO + "-2")
        try text.write(toFile: second, atomically: true, encoding: .utf8)
        for fifo in [shop.kioskFIFO + "-2", shop.dockFIFO + "-2"] { #expect(mkfifo(fifo, 0o600) == 0) }
        daemon = try ServeFaultTests.Daemon.start(shop.cli, config: shop.config)
        let other = try ServeFaultTests.Daemon.start(shop.cli, config: second)
        defer {
            daemon.kill(SIGKILL)
            other.kill(SIGKILL)
        }
        try shop.waitUntil("the scans left behind are settled") { try shop.undecided == 0 }
        for id in left {
            let decisions = try shop.decisions(ofScan: id)
            #expect(decisions.count == 2 && decisions.first == "replay info", "scan \(id): \(decisions)")
        }
        #expect(try shop.lines(sale) == 7, "six items left behind, each added once")
        #expect(try shop.count("SELECT count(*) FROM b2b_incoming_scan") == 2)
        let broken = try StationRaceCLITests.brokenInvariants(shop.cli)
        #expect(broken.isEmpty, "\(broken)")
    }
}
