import Foundation
import LotboxScanning
import LotboxTestSupport
import Testing

/// `lotbox scan` and `lotbox serve` reading scanners, as an integrator would set them up.
@Suite(.timeLimit(.minutes(10))) struct ScanCLITests {
    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
    }

    @Test func stdinScansArePrintedRecordedAndResolved() throws {
        let cli = try CLITests()
        try cli.setUp()
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "10",
                                 "--metrc", "1A4FF0100000022000000123").line
        #expect(try cli.lotbox("product", "code", "Eighth", "036000291452").line == "00036000291452")
        let input = "1a4ff0100000022000000123\r\n\(lot)\n036000291452\n]C10109506000134352\u{1D}10ABC\nnot a code\nLOTBOX:VOID-LAST\n"
        let result = try cli.lotbox("scan", "--stdin", "--record", "--station", "kiosk", input: input)
        #expect(result.status == 0, "\(result.err)")
        let scans = try lines(result.out)
        #expect(scans.count == 6)
        #expect(scans[0]["kind"] as? String == "metrc-tag")
        #expect(scans[0]["names"] as? String == "lot \(lot)")
        #expect(scans[1]["names"] as? String == "lot \(lot)")
        #expect((scans[2]["names"] as? String)?.hasPrefix("product ") == true)
        #expect((scans[3]["gs1"] as? [String: String])?["10"] == "ABC")
        #expect(scans[4]["status"] as? String == "rejected")
        #expect((scans[4]["reason"] as? String)?.contains("not a code lotbox reads") == true)
        #expect(scans[5]["value"] as? String == "LOTBOX:VOID-LAST")
        let logged = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT station || ' ' || status || ' ' || kind FROM scan_log ORDER BY id"])
        #expect(logged.out.split(separator: "\n") == ["kiosk recognized metrc-tag", "kiosk recognized ulid", "kiosk recognized upc-a",
                                                       "kiosk recognized gs1", "kiosk rejected unknown-format", "kiosk recognized command"])
        // --count stops early; without --record nothing is written.
        let two = try cli.lotbox("scan", "--stdin", "--count", "2", input: "LOTBOX:PAY\nLOTBOX:PAY\nLOTBOX:PAY\n")
        #expect(try lines(two.out).count == 2)
        #expect(try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT count(*) FROM scan_log"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == "6")
    }

    @Test func keyboardWedgeEventsFromADeviceWithAGermanLayout() throws {
        let cli = try CLITests()
        let fifo = cli.folder + "/event-de"
        #expect(mkfifo(fifo, 0o600) == 0)
        var events = KeyEvents(layout: .de)
        events.type("LOTBOX:QTY:3.5g")
        events.tap(KeyEvents.enter)
        let bytes = events.bytes
        // The writer opens the FIFO once lotbox has it open.
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        // A FIFO is no input device: EVIOCGRAB cannot take it, so it is read with --no-grab.
        let result = try cli.lotbox("scan", "--device", fifo, "--layout", "de", "--count", "1", "--no-grab")
        #expect(result.status == 0, "\(result.err)")
        #expect(try lines(result.out).first?["value"] as? String == "LOTBOX:QTY:3.5g")
    }

    @Test func badScanOptionsAreOneLineErrors() throws {
        let cli = try CLITests()
        for (arguments, expected) in [
            (["scan"], "give exactly one of --device PATH, --tty PATH or --stdin"),
            (["scan", "--stdin", "--terminator", "semicolon"], "terminator 'semicolon' is unknown"),
            (["scan", "--device", "/dev/null", "--layout", "klingon"], "keyboard layout 'klingon' is not a layout"),
            // By hand, a wrong path is an error now (the daemon would wait for the device instead).
            (["scan", "--device", "/nonexistent/scanner"], "scanner /nonexistent/scanner cannot be opened"),
            (["scan", "--tty", "/dev/null"], "scanner /dev/null is not a serial terminal"),
            // A character device EVIOCGRAB cannot take (the real ioctl fails on /dev/null): not read at all.
            (["scan", "--device", "/dev/null"], "scanner /dev/null cannot be taken for lotbox alone (EVIOCGRAB:"),
        ] {
            let result = try cli.runProgram(CLITests.binary, arguments, environment: ["LOTBOX_DB": cli.db])
            #expect(result.status != 0)
            #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
            #expect(result.err.contains(expected), "\(result.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        // A product with a bad code is not created at all.
        try cli.setUp()
        let wrong = try cli.lotbox("product", "code", "Eighth", "036000291453")
        #expect(wrong.status != 0 && wrong.err.contains("wrong check digit"), "\(wrong.err)")
        let bad = try cli.lotbox("product", "add", "Gummies", "--type", "Edible/Solid", "--package", "each", "--unit", "10 mg", "--code", "12345")
        #expect(bad.status != 0 && bad.err.contains("'12345'"), "\(bad.err)")
        #expect(try cli.lotbox("product", "list", "--json").out.contains("Gummies") == false)
    }

    @Test func serveReadsConfiguredAndNewlyPluggedScanners() throws {
        let cli = try CLITests()
        try cli.setUp()
        let devices = cli.folder + "/dev-lotbox"
        try FileManager.default.createDirectory(atPath: devices, withIntermediateDirectories: true)
        let dock = cli.folder + "/dock-fifo"
        let later = cli.folder + "/kiosk-fifo"
        #expect(mkfifo(dock, 0o600) == 0 && mkfifo(later, 0o600) == 0)
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(devices)"
            default_station = "kiosk"

            [[scanners]]
            name = "dock-1"
            path = "\(dock)"
            kind = "stream"
            station = "dock"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { daemon.kill(SIGTERM) }
        let dockWriter = try openWriter(dock)
        write(dockWriter, "LOTBOX:ACCEPT\n1A4FF0100000022000000123\n")
        // A scanner is plugged in: udev makes its symlink; nobody configured it.
        try FileManager.default.createSymbolicLink(atPath: devices + "/kbd-usb-port-3", withDestinationPath: later)
        let kioskWriter = try openWriter(later)
        write(kioskWriter, "036000291452\n")
        close(kioskWriter)
        close(dockWriter)
        let deadline = Date().addingTimeInterval(15)
        var rows: [Substring] = []
        while Date() < deadline {
            rows = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT station || ' ' || device || ' ' || kind FROM scan_log ORDER BY id"])
                .out.split(separator: "\n")
            if rows.count >= 3 { break }
            usleep(50_000)
        }
        // Two readers on two threads: each device's scans keep their order; the devices interleave freely.
        #expect(rows.filter { $0.hasPrefix("dock ") } == ["dock dock-1 command", "dock dock-1 metrc-tag"], "\(daemon.output)")
        #expect(rows.filter { $0.hasPrefix("kiosk ") } == ["kiosk kbd-usb-port-3 upc-a"] && rows.count == 3, "\(rows) \(daemon.output)")
        daemon.kill(SIGTERM)
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output)")
    }

    @Test func aBadScannerConfigIsOneLine() throws {
        let cli = try CLITests()
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            [[scanners]]
            name = "dock-1"
            path = "/dev/lotbox/dock-1"
            kind = "evdev"
            layout = "qwertz"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try cli.lotbox("serve", "--config", config)
        #expect(result.status != 0)
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.err.contains("scanners[0] 'dock-1' keyboard layout 'qwertz'"), "\(result.err)")
    }

    func openWriter(_ path: String) throws -> Int32 {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { return fd }
            usleep(20_000)
        }
        throw DecoderError(message: "nobody opened \(path) for reading")
    }

    func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
