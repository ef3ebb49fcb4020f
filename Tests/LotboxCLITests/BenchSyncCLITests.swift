import Foundation
import LotboxTestSupport
import Testing

/// `lotbox bench sync` at smoke-test size: the real binary drains a backlog to an upstream API on loopback and
/// times durable creations with the outbox on and off. Figures are machine-dependent: only their presence and
/// sense are checked (everything drained, every lot on the upstream), never times.
@Suite(.timeLimit(.minutes(5))) struct BenchSyncCLITests {
    @Test func theBacklogDrainsCompletelyAndBothRatesAreMeasured() throws {
        let cli = try CLITests()
        let run = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "sync", "--events", "500", "--lots", "40", "--dir", cli.folder],
                                                   deadline: 240)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.split(separator: "\n").count == 1, "one JSON line: \(run.out)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)")
        #expect(figures["bench"] as? String == "sync")
        // The product and 500 lots: all drained, none held, every lot on the upstream.
        #expect(figures["backlog_events"] as? Int == 501, "\(figures)")
        #expect(figures["left_waiting"] as? Int == 0 && figures["held"] as? Int == 0, "\(figures)")
        #expect(figures["upstream_lots"] as? Int == 500, "\(figures)")
        for key in ["drained_events_per_s", "durable_lots_per_s_outbox_on", "durable_lots_per_s_outbox_off"] {
            #expect(((figures[key] as? NSNumber)?.doubleValue ?? 0) > 0, "\(key): \(figures)")
        }
        #expect(figures["durable_lots_each"] as? Int == 40, "\(figures)")
        // The scratch stores are gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.folder).filter { $0.hasPrefix("bench-sync-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aCountBelowOneIsRefusedInOneLine() throws {
        let run = try LotboxTestSupport.runProgram(CLITests.binary, ["bench", "sync", "--events", "0"], deadline: 60)
        #expect(run.status == 64, "\(run.status)")
        #expect(run.err.contains("--events 0 is not above zero"), "\(run.err)")
    }
}
