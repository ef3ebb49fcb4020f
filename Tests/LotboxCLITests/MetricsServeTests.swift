import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `GET /metrics` on a real `lotbox serve` that prints through a real IPP printer, reads a
/// FIFO scanner into a kiosk and sells: the counters are checked against what happened, and a
/// scraper without the token is refused.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MetricsServeTests {
    static let token = "3f9c0a7d1e5b42c8a6f0e9d8c7b6a5f4"

    /// One series' value: the line whose name is `name` and whose labels include all of `labels`.
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.split(separator: "{", maxSplits: 1).first.map(String.init) ?? ""
            guard seriesName == name else { continue }
            guard labels.nonEmptyAllSatisfy({ series.contains("\($0.key)=\"\($0.value)\"") }) || labels.isEmpty else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
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

    /// Polls the store (through the sqlite3 shell, as an outside reader) until `sql` gives `count` or more.
    func waitFor(_ cli: CLITests, _ sql: String, atLeast count: Int) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let rows = try runProgram("/usr/bin/sqlite3", [cli.db, sql])
            if Int(rows.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= count { return }
            usleep(50_000)
        }
        throw DecoderError(message: "waited 20 s for \(count) from \(sql)")
    }

    func sqlite(_ cli: CLITests, _ sql: String) throws -> String {
        try runProgram("/usr/bin/sqlite3", [cli.db, sql]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func countersFollowWhatWasPrintedScannedAndSoldAndTheTokenIsRequired() async throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        defer { printer.stop() }
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        let tokenFile = cli.folder + "/metrics.token"
        try (Self.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o640)
        let fifo = cli.folder + "/kiosk-scanner"
        #expect(mkfifo(fifo, 0o600) == 0)
        let port = try APIServer.freePort()
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-2x1"

            [[scanners]]
            name = "kiosk-1"
            path = "\(fifo)"
            kind = "stream"
            station = "kiosk"

            [[stations]]
            name = "kiosk"
            kind = "kiosk"
            license = "R-1"
            employee = "ana"
            age_check = false

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(key)"
            metrics_token_file = "\(tokenFile)"

            [backup]
            folder = "\(cli.folder)/backups"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try cli.lotbox("config", "check", "--config", config).status == 0)

        // The backup below runs after this instant, however slowly the machine goes.
        let started = Date().timeIntervalSince1970
        let run = try await offPool { [self] () throws -> (missing: Int, wrong: Int, scrape: String, log: String, doctor: String) in
            let server = try APIServer.start(config: config, folder: cli.folder, port: port)
            defer { server.stop(seconds: 10) }
            guard server.waitUntilHealthy(seconds: 30) else {
                throw APIServer.Failure(description: "serve did not answer /health:\n\(server.output.suffix(2000))")
            }
            // Two new lots: a label each, printed by the IPP printer.
            let flower = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "5 g")
            let eighth = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10")
            guard flower.status == 0, eighth.status == 0 else { throw DecoderError(message: "\(flower.err)\(eighth.err)") }
            try waitFor(cli, "SELECT count(*) FROM print_job WHERE state = 'completed'", atLeast: 2)
            // At the kiosk: a lot, a code nobody can read, PAY.
            try send(fifo, "\(eighth.line)\nno-such-code\nLOTBOX:PAY\n")
            try waitFor(cli, "SELECT count(*) FROM b2c_sale WHERE stat = 200", atLeast: 1)
            // Requests by route: three /ready, and an id in a path that must not become a series.
            for _ in 0..<3 { _ = LoopbackHTTP.get(port: port, path: "/ready", timeout: 5) }
            _ = LoopbackHTTP.get(port: port, path: "/inventory/01SECRETLOTID0000000000000", timeout: 5)
            let backup = try cli.lotbox("backup", "--config", config)
            guard backup.status == 0 else { throw DecoderError(message: backup.err) }
            let missing = LoopbackHTTP.get(port: port, path: "/metrics", timeout: 10)?.status ?? 0
            let wrong = LoopbackHTTP.get(port: port, path: "/metrics", timeout: 10, headers: ["Authorization": "Bearer not-the-token-at-all"])?.status ?? 0
            let scrape = LoopbackHTTP.get(port: port, path: "/metrics", timeout: 10, headers: ["Authorization": "Bearer \(Self.token)"])
            let doctor = try cli.lotbox("doctor", "--config", config, "--json")
            return (missing, wrong, scrape?.status == 200 ? scrape?.body ?? "" : "status \(scrape?.status ?? 0)", String(server.output.suffix(3000)),
                    doctor.out)
        }
        // The doctor sees the scanner through the running daemon.
        let doctor = try #require(try JSONSerialization.jsonObject(with: Data(run.doctor.utf8)) as? [String: Any], "\(run.doctor)")
        let scanner = (doctor["checks"] as? [[String: String]] ?? []).first { $0["check"] == "scanner kiosk-1" }
        #expect(scanner?["status"] == "ok" && scanner?["detail"]?.contains("lotbox serve (pid ") == true
                && scanner?["detail"]?.contains("is reading it") == true, "\(run.doctor)")
        #expect(run.missing == 401)
        #expect(run.wrong == 401)
        let text = run.scrape
        #expect(text.contains("# TYPE lotbox_labels_printed_total counter"), "\(text.prefix(3000))\n\(run.log)")
        // Labels: both queued and printed at the dock, each timed.
        #expect(Self.value(text, "lotbox_labels_queued_total", ["printer": "dock"]) == 2)
        #expect(Self.value(text, "lotbox_labels_printed_total", ["printer": "dock"]) == 2)
        #expect(Self.value(text, "lotbox_label_print_seconds_count", ["printer": "dock"]) == 2)
        #expect(Self.value(text, "lotbox_label_queue_depth", ["printer": "dock", "state": "queued"]) == 0)
        #expect(Self.value(text, "lotbox_printer_up", ["printer": "dock"]) == 1)
        // Scans: as the scan log has them, by kind and outcome.
        let scans = try sqlite(cli, "SELECT kind || '|' || status || '|' || count(*) FROM scan_log GROUP BY kind, status")
        let scanRows = scans.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(scanRows.map { Int($0[2]) ?? 0 }.reduce(0, +) == 3, "\(scans)")
        for row in scanRows {
            #expect(Self.value(text, "lotbox_scans_total", ["kind": row[0], "outcome": row[1]]) == Double(row[2]), "\(row)")
        }
        #expect((Self.value(text, "lotbox_scans_total", ["outcome": "rejected"]) ?? 0) >= 1)
        // Station decisions, one per scan: the one the station answered with, as the store recorded it
        // (a scan that opens a sale also records the opening, before its decision).
        let decisions = try sqlite(cli, """
            SELECT outcome || '|' || action || '|' || count(*) FROM station_event
            WHERE id IN (SELECT max(id) FROM station_event GROUP BY scan_log_id) GROUP BY outcome, action
            """)
        let decisionRows = decisions.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(decisionRows.contains { $0[0] == "refused" }, "\(decisions)")
        #expect(decisionRows.map { Int($0[2]) ?? 0 }.reduce(0, +) == 3, "\(decisions)")
        for row in decisionRows {
            #expect(Self.value(text, "lotbox_station_decisions_total", ["station": "kiosk", "outcome": row[0], "action": row[1]]) == Double(row[2]),
                    "\(row)")
        }
        // Requests by route template and status; never a raw id.
        #expect(Self.value(text, "lotbox_api_requests_total", ["route": "/ready", "method": "GET", "status": "200"]) == 3)
        #expect(Self.value(text, "lotbox_api_requests_total", ["route": "/inventory/{id}", "method": "GET", "status": "401"]) == 1)
        #expect(Self.value(text, "lotbox_api_request_seconds_count", ["route": "/ready", "method": "GET"]) == 3)
        #expect(!text.contains("01SECRETLOTID"))
        // The store, the clock and the last good backup.
        #expect((Self.value(text, "lotbox_store_bytes", ["file": "database"]) ?? 0) > 0)
        #expect(Self.value(text, "lotbox_clock_ok") == 1)
        #expect((Self.value(text, "lotbox_ulid_mark_timestamp_seconds") ?? 0) > 1.7e9)
        let lastBackup = Self.value(text, "lotbox_backup_last_good_timestamp_seconds") ?? 0
        #expect(lastBackup >= started - 1 && lastBackup <= Date().timeIntervalSince1970 + 1, "\(lastBackup), the run began at \(started)")
        #expect(Self.value(text, "lotbox_backup_last_run_failed") == 0)
    }

    @Test(arguments: [(0o644, "3f9c0a7d1e5b42c8a6f0e9d8c7b6a5f4", "has mode 644; expected 640 or narrower"),
                      (0o640, "short", "holds 5 characters; expected one token of at least 16")])
    func aTokenFileOthersMayReadOrTooShortIsRefusedByConfigCheck(mode: Int, token: String, expected: String) throws {
        let cli = try CLITests()
        try cli.setUp()
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        let tokenFile = cli.folder + "/metrics.token"
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, mode_t(mode))
        let config = cli.folder + "/lotbox.toml"
        try "store = \"\(cli.db)\"\n[api]\nkey = \"\(key)\"\nmetrics_token_file = \"\(tokenFile)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let check = try cli.lotbox("config", "check", "--config", config)
        #expect(check.status == 78)
        let errors = check.out.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(check.out)")
        #expect(errors.first?.contains("api.metrics_token_file: the metrics token file \(tokenFile) \(expected)") == true, "\(check.out)")
    }

    @Test func aPrinterOutOfLabelsShowsInMetricsAndDoctorWhileTheBoxStaysReady() async throws {
        let cli = try CLITests()
        try cli.setUp()
        // The printer prints the label, then reports it has run out (as a roll does on its last label).
        let script = cli.folder + "/last-label.sh"
        try "#!/bin/sh\necho 'STATE: +media-empty' >&2\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let printer = try VirtualLabelPrinter(command: script)
        defer { printer.stop() }
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        let tokenFile = cli.folder + "/metrics.token"
        try Self.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o600)
        let port = try APIServer.freePort()
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-4x2"

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(key)"
            metrics_token_file = "\(tokenFile)"

            [backup]
            folder = "\(cli.folder)/backups"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try await offPool { [self] () throws -> (ready: Int, scrape: String, doctor: String, status: Int32) in
            let server = try APIServer.start(config: config, folder: cli.folder, port: port)
            defer { server.stop(seconds: 10) }
            guard server.waitUntilHealthy(seconds: 30) else {
                throw APIServer.Failure(description: "serve did not answer /health:\n\(server.output.suffix(2000))")
            }
            let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "5 g")
            guard lot.status == 0 else { throw DecoderError(message: lot.err) }
            try waitFor(cli, "SELECT count(*) FROM print_job WHERE state = 'completed'", atLeast: 1)
            let ready = LoopbackHTTP.get(port: port, path: "/ready", timeout: 5)?.status ?? 0
            let scrape = LoopbackHTTP.get(port: port, path: "/metrics", timeout: 10, headers: ["Authorization": "Bearer \(Self.token)"])
            let doctor = try cli.lotbox("doctor", "--config", config, "--json")
            return (ready, scrape?.body ?? "", doctor.out, doctor.status)
        }
        #expect(run.ready == 200)
        #expect(Self.value(run.scrape, "lotbox_printer_state_reason", ["printer": "dock", "reason": "media-empty"]) == 1, "\(run.scrape.prefix(2000))")
        #expect(Self.value(run.scrape, "lotbox_printer_up", ["printer": "dock"]) == 1)
        #expect(Self.value(run.scrape, "lotbox_labels_printed_total", ["printer": "dock"]) == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.doctor.utf8)) as? [String: Any], "\(run.doctor)")
        let checks = object["checks"] as? [[String: String]] ?? []
        let row = try #require(checks.first { $0["check"] == "printer dock" }, "\(run.doctor)")
        #expect(row["status"] == "warning" && row["detail"]?.contains("media-empty") == true, "\(row)")
        #expect(run.status >= 1)
    }
}
