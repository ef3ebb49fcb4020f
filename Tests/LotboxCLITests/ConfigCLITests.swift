import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `lotbox config check` and `lotbox serve` refuse a configuration with any error, one line each
/// and exit status 78; what depends on the hardware only warns.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ConfigCLITests {
    /// A templates folder with the shipped ones and one whose QR modules (2 dots) are wide
    /// enough at 203 dpi but below the minimum X-dimension at 300.
    func templates(_ cli: CLITests) throws -> String {
        let folder = cli.folder + "/templates"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["lot-2x1", "receipt"] {
            try FileManager.default.copyItem(atPath: ServeFaultTests.templates + "/\(name).yaml", toPath: folder + "/\(name).yaml")
        }
        try """
            name: qr-2dots
            media: oe_2x1-label_2x1in
            elements:
              - {type: barcode, name: lot-qr, symbology: qr, data: "{{id}}", module: 2dots, x: 0.04in, y: 0.04in, width: 0.92in, height: 0.92in}
            """.write(toFile: folder + "/qr-2dots.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    func write(_ cli: CLITests, _ body: String) throws -> String {
        let path = cli.folder + "/lotbox-\(UUID().uuidString).toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(try templates(cli))\"\nscanner_directory = \"\(cli.folder)/no-udev\"\n\(body)"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func errorLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.contains("error") || $0.hasPrefix("lotbox: ") }
    }

    static let goodStations = """
        [[printers]]
        name = "dock"
        uri = "ipp://127.0.0.1:9/ipp/print"
        template = "qr-2dots"
        dpi = 203

        [[stations]]
        name = "dock"
        kind = "dock"
        license = "G-412345"
        section = "Vault"

        [[stations]]
        name = "kiosk"
        kind = "kiosk"
        license = "G-412345"
        age_check = true
        receipt_printer = "dock"
        """

    @Test func aGoodConfigurationChecksOK() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try write(cli, Self.goodStations)
        let result = try cli.lotbox("config", "check", "--config", config)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.line == "config \(config): ok")
    }

    @Test func unknownKeysAndAnUndecidedAgeCheckStopTheCheckAndTheDaemon() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try write(cli, Self.goodStations.replacingOccurrences(of: "age_check = true", with: "age_chek = true")
            .replacingOccurrences(of: "dpi = 203", with: "dpi = 203\nprint_on_craete = false"))
        let check = try cli.lotbox("config", "check", "--config", config)
        #expect(check.status == 78)
        let lines = check.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(check.out)")
        #expect(lines.contains("error: config \(config) stations[1].age_chek is not a known key; the nearest known key is age_check"), "\(lines)")
        #expect(lines.contains("error: config \(config) printers[0].print_on_craete is not a known key; the nearest known key is print_on_create"), "\(lines)")
        #expect(lines.contains { $0.contains("stations[1] 'kiosk' age_check is not set") }, "\(lines)")
        // The daemon refuses to start with the same lines, and the status systemd does not restart on.
        let serve = try cli.lotbox("serve", "--config", config)
        #expect(serve.status == 78)
        let refused = serve.err.split(separator: "\n").map(String.init)
        #expect(refused == lines.map { "lotbox: " + $0.dropFirst("error: ".count) }, "\(serve.err)")
        #expect(!serve.out.contains("serving"), "\(serve.out)")
    }

    /// Every bad key of one printer is its own line: a person fixes them all after one run.
    @Test func everyBadKeyOfAPrinterIsReportedNotOnlyTheFirst() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try write(cli, Self.goodStations + """

            [[printers]]
            name = "bad"
            uri = "socket://127.0.0.1:9100"
            template = "lot-2x1"
            dpi = 250
            copies = 0
            speed = 20
            darkness = -31
            zpl_compression = "gzip"
            batch_labels = 5
            """)
        let check = try cli.lotbox("config", "check", "--config", config)
        #expect(check.status == 78)
        let lines = check.out.split(separator: "\n").map(String.init)
        let expected = [
            "dpi 250 is not 203, 300 or 600",
            "copies 0 is not between 1 and 1000",
            "darkness -31 is not between -30 and 30 (^MD, relative to the printer's)",
            "speed 20 is not between 1 and 14 (^PR)",
            "zpl_compression 'gzip' is not z64, acs or none",
            "batch_labels is for CUPS queues and IPP printers; a socket:// printer streams its labels in runs of 50 a connection",
        ].map { "error: config \(config) printers[1] 'bad' \($0)" }
        #expect(lines == expected, "\(check.out)")
        #expect(try cli.lotbox("serve", "--config", config).status == 78)
    }

    @Test func whatTheStationsNameMustExistInTheStoreAndTemplatesMustFitTheirPrinter() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try write(cli, Self.goodStations
            .replacingOccurrences(of: "dpi = 203", with: "dpi = 300")
            .replacingOccurrences(of: "section = \"Vault\"", with: "section = \"Loading Bay\"")
            .replacingOccurrences(of: "license = \"G-412345\"\nage_check", with: "license = \"R-999\"\nage_check")
            .replacingOccurrences(of: "receipt_printer = \"dock\"", with: "receipt_printer = \"dock\"\nreceipt_template = \"no-such-receipt\""))
        let check = try cli.lotbox("config", "check", "--config", config)
        #expect(check.status == 78)
        let lines = check.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(check.out)")
        #expect(lines.contains { $0.contains("printers[0] 'dock' template 'qr-2dots' at 300 dpi on oe_2x1-label_2x1in:") && $0.contains("below the minimum X-dimension") }, "\(lines)")
        #expect(lines.contains { $0.contains("stations[1] 'kiosk' receipt template 'no-such-receipt' does not load") }, "\(lines)")
        #expect(lines.contains { $0.contains("stations[0] 'dock' section 'Loading Bay': section 'Loading Bay' not found") }, "\(lines)")
        #expect(lines.contains { $0.contains("stations[1] 'kiosk' license 'R-999': license 'R-999' not found") }, "\(lines)")
        let serve = try cli.lotbox("serve", "--config", config)
        #expect(serve.status == 78)
        #expect(serve.err.split(separator: "\n").count == 4, "\(serve.err)")
    }

    @Test func missingHardwareOnlyWarnsAndTheDaemonStarts() throws {
        let cli = try CLITests()
        try cli.setUp()
        // Nothing listens on port 9, the scanner is not plugged in, and a real IPP printer has
        // 4x2 in labels loaded where the template wants 2x1 in.
        let printer = try VirtualLabelPrinter()
        let config = try write(cli, Self.goodStations + """

            [[printers]]
            name = "shelf"
            uri = "\(printer.uri)"
            template = "lot-2x1"

            [[scanners]]
            name = "dock-1"
            path = "\(cli.folder)/not-plugged-in"
            kind = "stream"
            station = "dock"
            """)
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        let deadline = Date().addingTimeInterval(20)
        while !daemon.output.contains("scanner(s)") && daemon.process.isRunning && Date() < deadline { usleep(50_000) }
        #expect(daemon.process.isRunning, "\(daemon.output)")
        #expect(daemon.output.contains("warning") && daemon.output.contains("printer 'dock' does not answer"), "\(daemon.output)")
        #expect(daemon.output.contains("scanner 'dock-1' is not plugged in"), "\(daemon.output)")
        #expect(daemon.output.contains("printer 'shelf': 4x2 in loaded; lot-2x1 needs 2x1 in; its 'lot-2x1' labels are held until it is loaded or a person releases them"), "\(daemon.output)")
        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output)")
    }

    /// The scanner the daemon cannot take for itself: an error in its log and in `lotbox status`.
    /// /dev/null stands in for an input device (there is no /dev/uinput here): the real
    /// EVIOCGRAB fails on it.
    @Test func anUngrabbableScannerIsAnErrorInTheLogAndInStatus() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try write(cli, """
            [[scanners]]
            name = "front"
            path = "/dev/null"
            kind = "evdev"
            """)
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGKILL) }
        let deadline = Date().addingTimeInterval(20)
        var status = try cli.lotbox("status")
        while !status.out.contains("scanner front:") && daemon.process.isRunning && Date() < deadline {
            usleep(100_000)
            status = try cli.lotbox("status")
        }
        #expect(status.out.contains("daemon: running (pid \(daemon.process.processIdentifier))"), "\(status.out)")
        #expect(status.out.contains("scanner front: ERROR held: cannot be taken for lotbox alone (EVIOCGRAB:"), "\(status.out)")
        let json = try cli.json(try cli.lotbox("status", "--json"))
        let scanners = (json["daemon"] as? [String: Any])?["scanners"] as? [[String: Any]]
        #expect(scanners?.first?["state"] as? String == "held", "\(json)")
        #expect(daemon.output.split(separator: "\n").contains { $0.contains("error") && $0.contains("scanner /dev/null cannot be taken for lotbox alone") },
                "\(daemon.output)")
        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output)")
        // Stopped: status no longer claims a daemon.
        #expect(try cli.lotbox("status").out.contains("daemon: not running"))
    }
}
