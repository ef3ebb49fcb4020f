import Foundation
import LotboxTestSupport
import Synchronization
import Testing

/// One scan, one transaction, whichever reader or process makes it: the daemon (one store has
/// one, ServeLockTests) reading four scanners into the same kiosk and dock, two for each, and
/// `lotbox station scan` runs in processes of their own, all on one store at once. The store's
/// invariants are checked while they run (each check is one read snapshot, so it sees the store
/// between two scans) and once they are done.
@Suite(.serialized, .timeLimit(.minutes(10))) struct StationRaceCLITests {
    static let packages = (1...40).map { String(format: "1A4FF01000000220000%05d", $0) }
    static let transfer = "01M80TRANSFERRACE000000001"

    /// The daemon's configuration: a kiosk and a dock scanner for each of `names`.
    func config(_ cli: CLITests, names: [String]) throws -> (path: String, kiosks: [String], docks: [String]) {
        let path = cli.folder + "/lotbox.toml"
        let kiosks = names.map { cli.folder + "/kiosk-\($0)" }
        let docks = names.map { cli.folder + "/dock-\($0)" }
        for fifo in kiosks + docks { #expect(mkfifo(fifo, 0o600) == 0) }
        let scanners = names.indices.map { index in
            """
            [[scanners]]
            name = "kiosk-\(names[index])"
            path = "\(kiosks[index])"
            kind = "stream"
            station = "kiosk"

            [[scanners]]
            name = "dock-\(names[index])"
            path = "\(docks[index])"
            kind = "stream"
            station = "dock"

            """
        }.joined()
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
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, kiosks, docks)
    }

    @Test func fourScannersAndTheCommandLineScanIntoOneKioskAndOneDock() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "500").line
        let manifest = cli.folder + "/manifest.json"
        let items = Self.packages.map { #"{"inventory": {"id": "\#($0)"}, "product": {"name": "Eighth"}, "qty": 1}"# }
        try """
            {"id": "\(Self.transfer)", "source": {"id": "01M80L1CENSESENDER00000001", "name": "Hill Farm", "code": "HF-1"},
             "target": {"id": "R-1"}, "item_list": [\(items.joined(separator: ","))]}
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(try cli.lotbox("b2b", "import", manifest).status == 0)
        let a = try config(cli, names: ["a", "b"])
        #expect(try cli.lotbox("station", "open", "dock", Self.transfer, "--config", a.path).status == 0)

        let first = try ServeFaultTests.Daemon.start(cli, config: a.path)
        defer { first.kill(SIGKILL) }
        let fifos = try [a.kiosks[0], a.docks[0], a.kiosks[1], a.docks[1]].map { try Self.openWriter($0) }
        defer { fifos.forEach { close($0) } }

        // Kiosk: item scans from both daemons and the command line, with PAYs among them, so
        // sales close and open while others add to them. Dock: every package, many of them
        // scanned from two or three places at once.
        let kioskA = Self.kioskStream(lot, items: 80, payEvery: 4)
        let kioskB = Self.kioskStream(lot, items: 80, payEvery: 5)
        let kioskCLI = Self.kioskStream(lot, items: 12, payEvery: 3)
        let dockA = Array(Self.packages[0..<25])
        let dockB = Array(Self.packages[15..<40].reversed())
        let dockCLI = Array(Self.packages[28..<36])
        let sent = kioskA.count + kioskB.count + kioskCLI.count + dockA.count + dockB.count + dockCLI.count
        let itemScans = 80 + 80 + 12

        let run = RaceRun()
        let group = DispatchGroup()
        func spawn(_ work: @escaping @Sendable () throws -> Void) {
            group.enter()
            Thread {
                defer { group.leave() }
                do { try work() } catch { run.failures.withLock { $0.append("\(error)") } }
            }.start()
        }
        // The kiosks' scanners at full speed; the docks' a little slower, so the command line's
        // scans (a process each) land among theirs.
        for (fd, codes, pause) in [(fifos[0], kioskA, 2_000), (fifos[1], dockA, 12_000), (fifos[2], kioskB, 2_000), (fifos[3], dockB, 12_000)] {
            spawn { try Self.feed(fd, codes, pause: UInt32(pause)) }
        }
        for (station, codes) in [("kiosk", kioskCLI), ("dock", dockCLI)] {
            spawn {
                for code in codes {
                    let result = try cli.lotbox("station", "scan", station, code, "--config", a.path)
                    // 0 decided and accepted, 2 decided and refused (a duplicate, an empty PAY); nothing else.
                    if ![0, 2].contains(result.status) { run.failures.withLock { $0.append("station scan \(code): \(result.status) \(result.err)") } }
                }
            }
        }
        // The invariants, checked over and over while the scans go on.
        let checker = Thread {
            while run.running.load(ordering: .relaxed) {
                do {
                    let broken = try Self.brokenInvariants(cli)
                    if !broken.isEmpty { run.failures.withLock { $0.append("while scanning: " + broken.joined(separator: "; ")) } }
                    run.checks.add(1, ordering: .relaxed)
                } catch {
                    run.failures.withLock { $0.append("check: \(error)") }
                }
                usleep(20_000)
            }
        }
        checker.start()
        #expect(group.wait(timeout: .now() + 240) == .success, "the scanning threads did not finish")
        // Every scan sent is in the log and has its decision.
        let deadline = Date().addingTimeInterval(60)
        var undecided = -1
        var logged = -1
        while Date() < deadline {
            logged = try Self.count(cli, "SELECT count(*) FROM scan_log WHERE station IN ('kiosk', 'dock')")
            undecided = try Self.count(cli, """
                SELECT count(*) FROM scan_log s WHERE NOT EXISTS (SELECT 1 FROM station_event e WHERE e.scan_log_id = s.id)
                """)
            if logged == sent && undecided == 0 { break }
            usleep(50_000)
        }
        run.running.store(false, ordering: .relaxed)
        #expect(logged == sent && undecided == 0, "\(logged) of \(sent) scans logged, \(undecided) without a decision\n\(first.output)")
        while checker.isExecuting { usleep(10_000) }
        #expect(run.failures.withLock { $0 }.isEmpty, "\(run.failures.withLock { $0 })")
        #expect(run.checks.load(ordering: .relaxed) > 5, "the invariants were checked while scanning")
        let brokenAfter = try Self.brokenInvariants(cli)
        #expect(brokenAfter.isEmpty, "\(brokenAfter)")

        // The three sources really did interleave at each station (the race took place).
        for station in ["kiosk", "dock"] {
            let devices = try runProgram("/usr/bin/sqlite3", [cli.db, """
                SELECT s.device FROM station_event e JOIN scan_log s ON s.id = e.scan_log_id
                 WHERE e.station = '\(station)' AND e.action <> 'open-sale' ORDER BY e.id
                """]).out.split(separator: "\n")
            let switches = zip(devices, devices.dropFirst()).filter { $0 != $1 }.count
            #expect(Set(devices).count == 3 && switches >= 4, "\(station): decisions from \(Set(devices)) with \(switches) switches")
        }
        // Nothing lost: every item scan was added to a sale; every package counted exactly once.
        #expect(try Self.count(cli, "SELECT count(*) FROM station_event WHERE action = 'add' AND outcome = 'accepted'") == itemScans)
        #expect(try Self.count(cli, "SELECT count(*) FROM b2c_sale_item") == itemScans)
        #expect(try Self.count(cli, "SELECT count(DISTINCT b2b_incoming_item_id) FROM b2b_incoming_scan") == Self.packages.count)
        #expect(try Self.count(cli, "SELECT count(*) FROM station_event WHERE station = 'dock' AND action = 'duplicate'")
                == dockA.count + dockB.count + dockCLI.count - Self.packages.count)
        // The last sale paid; every unit sold is off the lot.
        let pay = try cli.lotbox("station", "scan", "kiosk", "LOTBOX:PAY", "--config", a.path)
        #expect([0, 2].contains(pay.status), "\(pay.err)")
        #expect(try Self.count(cli, "SELECT count(*) FROM b2c_sale WHERE stat = 100") == 0)
        let shown = try cli.json(try cli.lotbox("lot", "show", lot, "--json"))
        #expect(Double(shown["qty"] as? String ?? "") == Double(500 - itemScans), "\(shown)")
        let brokenAtEnd = try Self.brokenInvariants(cli)
        #expect(brokenAtEnd.isEmpty, "\(brokenAtEnd)")
    }

    /// Items, with a `LOTBOX:PAY` after every `payEvery`.
    static func kioskStream(_ lot: String, items: Int, payEvery: Int) -> [String] {
        (1...items).flatMap { $0 % payEvery == 0 ? [lot, "LOTBOX:PAY"] : [lot] }
    }

    /// The invariants, read in one snapshot; each broken one named.
    static func brokenInvariants(_ cli: CLITests) throws -> [String] {
        let checks: [(String, String)] = [
            ("a lot's qty is not its ledger's sum",
             "SELECT count(*) FROM inventory i WHERE i.qty <> (SELECT sum(delta) FROM inventory_ledger l WHERE l.inventory_id = i.id)"),
            ("negative stock", "SELECT count(*) FROM inventory WHERE qty < 0"),
            ("sale lines differ from the item scans accepted",
             "SELECT abs((SELECT count(*) FROM b2c_sale_item) - (SELECT count(*) FROM station_event WHERE action = 'add' AND outcome = 'accepted'))"),
            ("paid sales differ from the PAY scans accepted",
             "SELECT abs((SELECT count(*) FROM b2c_sale WHERE stat = 200) - (SELECT count(*) FROM station_event WHERE action = 'pay' AND outcome = 'accepted'))"),
            ("a paid sale's lines differ from what left its lots",
             """
             SELECT count(*) FROM b2c_sale s WHERE s.stat = 200 AND (SELECT coalesce(sum(unit_count), 0) FROM b2c_sale_item WHERE b2c_sale_id = s.id)
               <> -(SELECT coalesce(sum(delta), 0) FROM inventory_adjust WHERE ref_id = s.id AND reason_code = 'sale')
             """),
            ("an open sale that is not the kiosk's",
             "SELECT count(*) FROM b2c_sale WHERE stat = 100 AND id NOT IN (SELECT b2c_sale_id FROM station_state WHERE b2c_sale_id IS NOT NULL)"),
            ("the kiosk's sale is not open",
             "SELECT count(*) FROM station_state WHERE b2c_sale_id IS NOT NULL AND b2c_sale_id NOT IN (SELECT id FROM b2c_sale WHERE stat = 100)"),
            ("dock counts differ from the package scans accepted",
             "SELECT abs((SELECT count(*) FROM b2b_incoming_scan) - (SELECT count(*) FROM station_event WHERE action IN ('count', 'under') AND outcome = 'accepted'))"),
            ("a scan acted on twice",
             "SELECT count(*) FROM (SELECT scan_log_id FROM station_event WHERE scan_log_id IS NOT NULL AND action NOT IN ('open-sale', 'replay') GROUP BY scan_log_id HAVING count(*) > 1)"),
        ]
        let select = "SELECT " + checks.map { "(\($0.1))" }.joined(separator: ", ")
        let result = try runProgram("/usr/bin/sqlite3", ["-cmd", ".timeout 5000", "-separator", " ", cli.db, select])
        guard result.status == 0 else { return ["sqlite3: \(result.err)"] }
        let values = result.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Int($0) ?? -1 }
        guard values.count == checks.count else { return ["unexpected answer: \(result.out)"] }
        return zip(checks, values).filter { $0.1 != 0 }.map { "\($0.0.0) (\($0.1))" }
    }

    static func count(_ cli: CLITests, _ sql: String) throws -> Int {
        let result = try runProgram("/usr/bin/sqlite3", ["-cmd", ".timeout 5000", cli.db, sql])
        return Int(result.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Opens a daemon's scanner FIFO for writing, waiting (with a deadline) for it to read.
    static func openWriter(_ fifo: String) throws -> Int32 {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { return fd }
            usleep(20_000)
        }
        throw DecoderError(message: "no daemon reading \(fifo)")
    }

    /// Sends codes one at a time, at most `pause` µs apart: scanners at full speed, so each
    /// daemon's scans overlap the other's.
    static func feed(_ fd: Int32, _ codes: [String], pause: UInt32) throws {
        for code in codes {
            let bytes = Array((code + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw DecoderError(message: "short write to a scanner FIFO: \(written)") }
            usleep(UInt32.random(in: 0...pause))
        }
    }
}

/// What the threads of a race share.
final class RaceRun: Sendable {
    let failures = Mutex<[String]>([])
    let running = Atomic<Bool>(true)
    let checks = Atomic<Int>(0)
}
