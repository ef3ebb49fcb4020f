import Foundation
import LotboxTestSupport
import Testing

/// `lotbox bench print --raw-queue` at smoke-test size: the real binary with its own private
/// cupsd, a raw queue and a listener standing in for the Zebra; a batch in one transaction goes
/// as jobs of up to 200 labels. Times are machine-dependent: only the figures' presence and sense
/// are checked.
@Suite(.timeLimit(.minutes(5))) struct BenchPrintRawQueueCLITests {
    @Test func theRawQueueFigureCoversEveryLabel() throws {
        let run = try LotboxTestSupport.runProgram(CLITests.binary, [
            "bench", "print", "--raw-queue", "--batch", "250", "--templates", BenchAPICLITests.templates,
        ], deadline: 240)
        #expect(run.status == 0, "\(run.err)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)")
        #expect(Set(figures.keys) == ["bench", "printer", "batch", "cups_jobs", "labels_per_s"])
        #expect(figures["batch"] as? Int == 250)
        // 250 labels: a job of 200 and one of 50.
        #expect(figures["cups_jobs"] as? Int == 2, "\(run.out)")
        #expect(((figures["labels_per_s"] as? NSNumber)?.doubleValue ?? 0) > 0, "\(run.out)")
        // Refused in one line: --raw-queue brings its own cupsd.
        let both = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "print", "--raw-queue", "--queue", "Labels"])
        #expect(both.status == 64 && both.err.contains("--raw-queue brings its own cupsd"), "\(both.err)")
    }
}
