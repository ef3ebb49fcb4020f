import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `lotbox doctor` on real parts: a healthy box (a real IPP printer, a scanner's FIFO, a
/// verified backup on another filesystem), a printer switched off, a full disk (a small tmpfs)
/// and a clock behind the store's ULID mark. Exit 0/1/2 for ok/warnings/errors.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DoctorCLITests {
    struct Report {
        let status: Int32
        let overall: String
        let checks: [(check: String, status: String, detail: String)]
        let out: String

        func rows(_ check: String) -> [(check: String, status: String, detail: String)] { checks.filter { $0.check == check } }
    }

    func doctor(_ cli: CLITests, config: String, environment: [String: String] = [:]) throws -> Report {
        let result = try cli.lotbox("doctor", "--config", config, "--json", environment: environment)
        let object = try cli.json(result)
        let checks = (object["checks"] as? [[String: String]] ?? []).map { ($0["check"] ?? "", $0["status"] ?? "", $0["detail"] ?? "") }
        return Report(status: result.status, overall: object["status"] as? String ?? "", checks: checks, out: result.out + result.err)
    }

    func writeConfig(_ cli: CLITests, _ body: String, backups: String) throws -> String {
        let path = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"
            \(body)

            [backup]
            folder = "\(backups)"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The exit status a report should have, from its own rows: the clock's synchronisation is the
    /// machine's (adjtimex), not the test's to set.
    func expectedStatus(_ report: Report) -> Int32 {
        report.checks.contains { $0.status == "error" } ? 2 : report.checks.contains { $0.status == "warning" } ? 1 : 0
    }

    @Test func aHealthyBoxIsAllOKButForTheMachinesClockSync() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter()
        defer { printer.stop() }
        let scanner = cli.folder + "/scanner"
        #expect(mkfifo(scanner, 0o600) == 0)
        // Backups on another filesystem than the store's, as the README asks.
        let media = try TmpfsMount(sizeKB: 16 * 1024)
        defer { media.unmount() }
        let config = try writeConfig(cli, """
            [[printers]]
            name = "dock"
            uri = "\(printer.uri)"
            template = "lot-4x2"

            [[scanners]]
            name = "dock-1"
            path = "\(scanner)"
            kind = "stream"
            """, backups: media.path + "/lotbox")
        #expect(try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g").status == 0)
        let backup = try cli.lotbox("backup", "--config", config)
        #expect(backup.status == 0, "\(backup.err)")

        let report = try doctor(cli, config: config)
        for check in ["clock vs store", "disk", "store", "config", "printer dock", "scanner dock-1", "backup", "upstream"] {
            let rows = report.rows(check)
            #expect(rows.count == 1 && rows.first?.status == "ok", "\(check): \(rows) in \(report.out)")
        }
        #expect(report.rows("backup device").isEmpty, "\(report.out)")
        #expect(report.rows("backup").first?.detail.contains(media.path + "/lotbox/lotbox-") == true)
        let sync = try #require(report.rows("clock sync").first)
        #expect(sync.status == "ok" || sync.detail.contains("not synchronised"), "\(sync)")
        #expect(report.checks.filter { $0.check != "clock sync" }.nonEmptyAllSatisfy { $0.status == "ok" }, "\(report.out)")
        #expect(report.status == (sync.status == "ok" ? 0 : 1))
        #expect(report.overall == (sync.status == "ok" ? "ok" : "warning"))

        // The table for a person says the same.
        let table = try cli.lotbox("doctor", "--config", config)
        #expect(table.status == report.status)
        #expect(table.out.hasPrefix("CHECK"), "\(table.out)")
        #expect(table.out.contains("printer dock"))
    }

    @Test func aPrinterSwitchedOffAndNoBackupAreFoundAndTheExitSaysError() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter()
        let uri = printer.uri
        printer.stop()
        let config = try writeConfig(cli, """
            [[printers]]
            name = "dock"
            uri = "\(uri)"
            template = "lot-4x2"
            """, backups: cli.folder + "/backups")
        let report = try doctor(cli, config: config)
        #expect(report.status == 2)
        #expect(report.overall == "error")
        let row = try #require(report.rows("printer dock").first)
        #expect(row.status == "error" && row.detail.contains(uri) && row.detail.contains("labels wait in the queue"), "\(row)")
        #expect(report.rows("backup").first?.status == "warning")
        #expect(report.rows("backup").first?.detail.contains("no verified backup") == true)
        #expect(report.rows("store").first?.status == "ok")
    }

    /// A Zebra that measures labels of another length than its template's (4x2 in stock loaded
    /// for a 2x1 in template): a warning naming both, not "ok"; the right stock is ok.
    @Test func aZebraMeasuringTheWrongLabelLengthIsAWarning() throws {
        let cli = try CLITests()
        try cli.setUp()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let config = try writeConfig(cli, """
            [[printers]]
            name = "zebra"
            uri = "\(zebra.uri)"
            template = "lot-2x1"
            """, backups: cli.folder + "/backups")
        zebra.set { $0.labelLengthDots = 406 }
        let wrong = try #require(try doctor(cli, config: config).rows("printer zebra").first)
        #expect(wrong.status == "warning" && wrong.detail.contains("labels 2 in long loaded (406 dots at 203 dpi); lot-2x1 needs 2x1 in"), "\(wrong)")
        zebra.set { $0.labelLengthDots = 205 }
        let right = try #require(try doctor(cli, config: config).rows("printer zebra").first)
        #expect(right.status == "ok", "\(right)")
    }

    @Test func aFullDiskIsAnError() throws {
        let cli = try CLITests()
        let disk = try TmpfsMount(sizeKB: 4 * 1024)
        defer { disk.unmount() }
        let db = disk.path + "/lotbox.sqlite"
        #expect(try cli.lotbox("init", "--time-zone", "UTC", environment: ["LOTBOX_DB": db]).status == 0)
        let config = try writeConfig(cli, "", backups: cli.folder + "/backups")
        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "store = \"\(cli.db)\"", with: "store = \"\(db)\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        // Fill the rest of the filesystem, as a log gone wild would.
        _ = try cli.runProgram("/bin/dd", ["if=/dev/zero", "of=\(disk.path)/filler", "bs=64k"])
        let report = try doctor(cli, config: config, environment: ["LOTBOX_DB": db])
        #expect(report.status == 2, "\(report.out)")
        let row = try #require(report.rows("disk").first)
        #expect(row.status == "error" && row.detail.contains("under 2%") && row.detail.contains(disk.path), "\(row)")
    }

    @Test func aClockBehindTheStoresMarkIsAnError() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try writeConfig(cli, "", backups: cli.folder + "/backups")
        // The newest ID this store issued is from 2039: the clock must have been set back since.
        let marked = try cli.runProgram("/usr/bin/sqlite3", [cli.db, "UPDATE lotbox_meta SET value = '01ZZZZZZZZ0000000000000000' WHERE key = 'ulid_mark'"])
        #expect(marked.status == 0)
        let report = try doctor(cli, config: config)
        #expect(report.status == 2)
        let row = try #require(report.rows("clock vs store").first)
        #expect(row.status == "error" && row.detail.contains("behind the newest issued ID (2039-09-07T15:47:35.551Z)"), "\(row)")
        #expect(report.status == expectedStatus(report))
    }
}
