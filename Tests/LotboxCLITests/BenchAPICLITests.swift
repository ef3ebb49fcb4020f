import Foundation
import LotboxTestSupport
import Testing

/// `lotbox bench api --load` end to end at smoke-test size: the real binary, wrk, an in-process
/// API server, the label queue printing to a real ippeveprinter, and a kiosk read from a FIFO.
/// The figures are machine-dependent: only their presence and sense are checked, never times.
@Suite(.timeLimit(.minutes(5))) struct BenchAPICLITests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates").path

    static let keys: Set<String> = [
        "bench", "lots", "seconds", "offered_get_per_s", "get_per_s", "get_p99_ms", "offered_post_per_s", "post_per_s", "post_p99_ms",
        "created", "print_commit_to_accepted_p50_ms", "print_commit_to_accepted_p99_ms", "print_backlog_at_end", "offered_scans_per_s",
        "scans", "scan_to_record_p50_ms", "scan_to_record_p99_ms", "scan_to_station_p99_ms", "wrk",
        "goal_print_p99_ms", "goal_scan_to_record_p99_ms", "goal_scan_to_station_p99_ms",
    ]

    @Test func theLoadFigurePrintsEveryCreatedLotAndTimesScansUnderLoad() throws {
        let cli = try CLITests()
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let run = try LotboxTestSupport.runProgram(CLITests.binary, [
            "bench", "api", "--load", "--quick", "--lots", "500", "--duration", "2", "--connections", "4",
            "--get-rate", "200", "--post-rate", "10", "--scan-rate", "10",
            "--uri", printer.uri, "--templates", Self.templates, "--dir", cli.folder,
        ], deadline: 240)
        #expect(run.status == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 1, "one JSON line: \(run.out)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)")
        #expect(Set(figures.keys) == Self.keys)
        #expect(figures["bench"] as? String == "api-load")
        #expect(figures["lots"] as? Int == 500)
        #expect(figures["offered_get_per_s"] as? Int == 200)
        #expect(figures["offered_post_per_s"] as? Int == 10)
        let positive = ["get_per_s", "get_p99_ms", "post_per_s", "post_p99_ms", "created", "print_commit_to_accepted_p99_ms",
                        "scans", "scan_to_record_p50_ms", "scan_to_record_p99_ms", "scan_to_station_p99_ms"]
        for key in positive {
            #expect(((figures[key] as? NSNumber)?.doubleValue ?? 0) > 0, "\(key) in \(run.out)")
        }
        #expect(((figures["print_backlog_at_end"] as? NSNumber)?.intValue ?? -1) >= 0)
        // 10 scans a second for 2 s, each waited for.
        #expect(figures["scans"] as? Int == 20)
        // Every lot created over HTTP reached the printer: its spool holds one page per lot (lots
        // queued together go as one job, one document).
        let created = try #require(figures["created"] as? Int)
        #expect(try printer.receivedPages().count == created)
    }

    @Test(arguments: [
        (["--load"], "--load needs --uri URI"),
        (["--uri", "ipp://localhost:631/ipp/print"], "--uri is an option of the --load figure; add --load"),
        (["--scan-rate", "5"], "--scan-rate is an option of the --load figure; add --load"),
        (["--load", "--uri", "ipp://localhost:631/ipp/print", "--get-rate", "0"], "--get-rate 0 is not above zero"),
        (["--duration", "0"], "--duration 0 is not above zero"),
    ])
    func badOptionsAreOneLineAndNothingRuns(arguments: [String], message: String) throws {
        let cli = try CLITests()
        let run = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "api", "--dir", cli.folder] + arguments, deadline: 30)
        #expect(run.status != 0)
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("lotbox: ") && run.err.contains(message), "\(run.err)")
        #expect(run.err.split(separator: "\n").count == 1, "\(run.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).isEmpty)
    }
}
