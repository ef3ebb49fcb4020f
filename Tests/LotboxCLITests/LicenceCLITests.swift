import Foundation
import LotboxScanning
import LotboxTestSupport
import Testing

/// `lotbox scan` reading licences from a keyboard wedge, end to end: its output, its log and the
/// store it records into hold none of their personal values; `lotbox init` makes the secret
/// for returning customers beside the store, readable by its owner only.
@Suite(.timeLimit(.minutes(5))) struct LicenceCLITests {
    @Test func licencesLeaveNoTraceInTheCommandsOutputOrTheStore() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init").status == 0)
        var info = stat()
        #expect(stat(cli.db + ".customer-key", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        var state: UInt64 = 0xC11
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var licences: [GeneratedLicence] = []
        var typed: [[UInt8]] = []
        for header in GeneratedLicence.Header.allCases {
            for (prefix, breaks) in [("", KeyEvents.LineBreak.control), ("]L2", .altKeypad), ("", .enter)] {
                let licence = GeneratedLicence.random(next, header: header)
                licences.append(licence)
                var events = KeyEvents()
                events.type(bytes: Array(prefix.utf8) + licence.bytes, breaks: breaks)
                events.tap(KeyEvents.enter)
                typed.append(events.bytes)
            }
        }
        let fifo = cli.folder + "/wedge"
        #expect(mkfifo(fifo, 0o600) == 0)
        let all = typed
        // If lotbox stops reading early, the writes fail (EPIPE) and the test says so, rather than dying of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // One licence, then a quiet gap longer than the reader's, then the next.
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            for bytes in all {
                _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                usleep(600_000)
            }
            close(fd)
        }
        writer.start()
        let scan = try cli.lotbox("scan", "--device", fifo, "--record", "--station", "kiosk", "--count", String(typed.count), "--no-grab")
        #expect(scan.status == 0, "\(scan.err)")
        let lines = scan.out.split(separator: "\n")
        #expect(lines.count == typed.count)
        #expect(lines.nonEmptyAllSatisfy { $0.contains("\"aamva-licence\"") && $0.contains("\"age_check\"") })
        let status = try cli.lotbox("status", "--json")
        let dump = try cli.runProgram("/usr/bin/sqlite3", [cli.db, ".dump"])
        #expect(dump.out.contains("scan_log"))
        let texts = [scan.out, scan.err, status.out, status.err, dump.out]
        let files = [cli.db, cli.db + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
        #expect(!files.isEmpty)
        for secret in licences.flatMap(\.secrets) {
            #expect(texts.nonEmptyAllSatisfy { !$0.contains(secret) }, "\(secret) in a command's output")
            #expect(files.nonEmptyAllSatisfy { $0.range(of: Data(secret.utf8)) == nil }, "\(secret) in the store")
        }
    }
}
