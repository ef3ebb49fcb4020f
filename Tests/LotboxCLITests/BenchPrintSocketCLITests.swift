import Foundation
import LotboxTestSupport
import Testing

/// `lotbox bench print --socket` at smoke-test size: the real binary, its own listener standing
/// in for the Zebra, lots committed by other processes and a batch in one transaction. Times are
/// machine-dependent: only the figures' presence and sense are checked.
@Suite(.timeLimit(.minutes(5))) struct BenchPrintSocketCLITests {
    @Test func theSocketFiguresCoverEveryLabel() throws {
        let run = try LotboxTestSupport.runProgram(CLITests.binary, [
            "bench", "print", "--socket", "--lots", "5", "--batch", "120", "--templates", BenchAPICLITests.templates,
        ], deadline: 240)
        #expect(run.status == 0, "\(run.err)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)")
        #expect(Set(figures.keys) == ["bench", "printer", "lots", "commit_to_last_byte_p50_ms", "commit_to_last_byte_p99_ms",
                                      "batch", "batch_labels_per_s", "batch_rss_growth_mb"])
        #expect(figures["lots"] as? Int == 5 && figures["batch"] as? Int == 120)
        for key in ["commit_to_last_byte_p50_ms", "commit_to_last_byte_p99_ms", "batch_labels_per_s"] {
            #expect(((figures[key] as? NSNumber)?.doubleValue ?? 0) > 0, "\(key) in \(run.out)")
        }
        let p50 = (figures["commit_to_last_byte_p50_ms"] as? NSNumber)?.doubleValue ?? 0
        let p99 = (figures["commit_to_last_byte_p99_ms"] as? NSNumber)?.doubleValue ?? 0
        #expect(p50 <= p99)
        #expect(((figures["batch_rss_growth_mb"] as? NSNumber)?.doubleValue ?? -1) >= 0)
        // Refused in one line: --socket brings its own printer.
        let both = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "print", "--socket", "--uri", "ipp://localhost:1/ipp/print"])
        #expect(both.status == 64 && both.err.contains("--socket brings its own printer"), "\(both.err)")
        // A templates folder without the benchmark's label is named at once, not found out as a
        // label that never reached the printer.
        let missing = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "print", "--socket", "--templates", "/no/such/templates"], deadline: 60)
        #expect(missing.status != 0 && missing.out.isEmpty, "\(missing)")
        #expect(missing.err.split(separator: "\n").count == 1 && missing.err.contains("/no/such/templates")
                && missing.err.contains("lot-2x1"), "\(missing.err)")
    }
}
