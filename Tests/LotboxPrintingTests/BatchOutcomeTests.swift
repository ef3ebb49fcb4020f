import Foundation
import LotboxCore
@testable import LotboxPrintService
import LotboxStore
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How a batch's job at a printer reached directly is recorded: as submitted while the printer
/// works (a restart then follows it rather than sending it again), then completed; a job the
/// printer took whole and then aborted waits out a backoff. Each label's submitted_at is when
/// the printer accepted the document. Real ippeveprinters, each running a
/// script of the test's for every job.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BatchOutcomeTests {
    /// A printer whose every job runs `body` (a shell script) before it ends.
    static func printer(running body: String) throws -> VirtualLabelPrinter {
        let script = try TemporaryFolder.make() + "/job.sh"
        try "#!/bin/sh\n\(body)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        return try VirtualLabelPrinter(command: script, media: [VirtualLabelPrinter.twoByOne])
    }

    /// A printer whose every job runs `body`, and a store of `lots` lots, each with a label
    /// queued for it on every template in `templates`.
    static func queued(_ lots: Int, printerRunning body: String, templates: [String] = ["lot-2x1"]) throws -> (VirtualLabelPrinter, LotStore) {
        let virtual = try printer(running: body)
        let (store, _) = try SocketPrinterTests.storeWithLots(lots)
        try store.queueNewLots(routes: templates.map { LabelRoute(printer: "dock", template: $0) })
        return (virtual, store)
    }

    static func worker(_ virtual: VirtualLabelPrinter, _ store: LotStore, batchLabels: Int = PrinterConfig.defaultBatchLabels) -> LabelPrinterWorker {
        LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1", batchLabels: batchLabels), store: store,
                           templates: BatchPrintTests.templates, timeZone: .utc)
    }

    static func date(_ text: String?) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try #require(text.flatMap(formatter.date(from:)), "a timestamp, got \(text ?? "nil")")
    }

    @Test func aJobStillPrintingIsRecordedAsSubmittedWhileThePrinterWorks() throws {
        let (virtual, store) = try BatchOutcomeTests.queued(3, printerRunning: "sleep 3")
        let worker = BatchOutcomeTests.worker(virtual, store)
        let drained = DispatchSemaphore(value: 0)
        let printing = Thread {
            _ = try? worker.drain()
            drained.signal()
        }
        printing.start()
        // While the printer's job runs, the store already says which job has the labels.
        var seen: PrintBatch?
        var finished = false
        let deadline = Date().addingTimeInterval(25)
        while seen == nil && !finished && Date() < deadline {
            if let open = try store.openPrintBatches(printer: "dock").first, open.state == "submitted" {
                seen = open
            } else {
                finished = drained.wait(timeout: .now() + .milliseconds(20)) == .success
            }
        }
        let submitted = try #require(seen, "the batch recorded as submitted while the printer's 3 s job ran")
        #expect(submitted.cupsJobId != nil)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "submitted" && $0.cupsJobId == submitted.cupsJobId })
        #expect(finished || drained.wait(timeout: .now() + 30) == .success)
        let jobs = try store.printJobs()
        #expect(jobs.count == 3 && jobs.nonEmptyAllSatisfy { $0.state == "completed" && $0.batchId == submitted.id })
        #expect(try store.printBatch(submitted.id)?.state == "completed")
        // Accepted when the document went, three seconds of printing before it was done.
        for job in jobs {
            let accepted = try BatchOutcomeTests.date(job.submittedAt), completed = try BatchOutcomeTests.date(job.completedAt)
            #expect(completed.timeIntervalSince(accepted) >= 2.5, "\(job)")
        }
    }

    @Test func aJobThePrinterFinishesAtOnceIsRecordedWithWhenItWasAccepted() throws {
        let (virtual, store) = try BatchOutcomeTests.queued(4, printerRunning: "exit 0")
        let before = Date()
        #expect(try BatchOutcomeTests.worker(virtual, store).drain() == 4)
        let jobs = try store.printJobs()
        let batch = try #require(jobs.first?.batchId)
        #expect(try store.printBatch(batch)?.state == "completed" && store.printBatch(batch)?.cupsJobId == jobs[0].cupsJobId)
        #expect(jobs.count == 4 && jobs.nonEmptyAllSatisfy { $0.state == "completed" && $0.cupsJobId != nil && $0.batchId == batch })
        for job in jobs {
            let accepted = try BatchOutcomeTests.date(job.submittedAt), completed = try BatchOutcomeTests.date(job.completedAt)
            #expect(accepted >= before.addingTimeInterval(-0.001) && accepted <= completed, "\(job)")
        }
    }

    @Test func aJobThePrinterTookWholeAndAbortedWaitsOutABackoff() throws {
        // No page count: the printer cannot say how far it got.
        let (virtual, store) = try BatchOutcomeTests.queued(2, printerRunning: "exit 1")
        let before = Date()
        #expect(try BatchOutcomeTests.worker(virtual, store).drain() == 0)
        let jobs = try store.printJobs()
        let batchID = try #require(jobs.first?.batchId)
        let batch = try #require(try store.printBatch(batchID))
        #expect(batch.state == "stopped")
        // lotbox sent all of it: the printer's failure, so the retry backs off like any other.
        let reason = try #require(batch.reason)
        #expect(reason.contains("as aborted") && !reason.contains("before lotbox had sent all of it"), "\(reason)")
        #expect(jobs.count == 2 && jobs.nonEmptyAllSatisfy { $0.state == "queued" && $0.possibleDuplicate })
        for job in jobs {
            #expect(try BatchOutcomeTests.date(job.nextAttemptAt) >= before.addingTimeInterval(0.9), "\(job)")
        }
    }

    @Test func aPassLeavesNoOutcomeWaitingForTheDisk() throws {
        // Each lot has a second label whose template does not exist: it is due when the label
        // before it completes (so that outcome is committed without a sync), and then it never
        // starts a batch of its own that would carry the outcome to the disk.
        let (virtual, store) = try BatchOutcomeTests.queued(3, printerRunning: "exit 0", templates: ["lot-2x1", "no-such-template"])
        let worker = BatchOutcomeTests.worker(virtual, store, batchLabels: 1)
        #expect(try worker.drain() == 3)
        #expect(worker.unsyncedOutcome == nil, "the pass ended with batch \(worker.unsyncedOutcome ?? "-") committed but not synced")
        let jobs = try store.printJobs()
        #expect(jobs.count == 6)
        #expect(jobs.filter { $0.template == "lot-2x1" }.count == 3 && jobs.filter { $0.template == "lot-2x1" }.nonEmptyAllSatisfy { $0.state == "completed" })
        #expect(jobs.filter { $0.template == "no-such-template" }.count == 3
                && jobs.filter { $0.template == "no-such-template" }.nonEmptyAllSatisfy { $0.state == "held" })
    }
}
