import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// A batch is one job at the printer: the store lists the labels it carries with the pages each
/// fills, and settles each label from what the printer says it printed.
@Suite(.timeLimit(.minutes(5))) struct PrintBatchTests {
    /// Five lots queued for "dock", the second and fourth with 2 copies.
    func queued(_ fixture: StoreFixture) throws -> [PrintJob] {
        var jobs: [PrintJob] = []
        for index in 0..<5 {
            let lot = try fixture.lot("\(index + 1) g")
            jobs.append(try fixture.store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "lot-2x1", copies: index % 2 == 1 ? 2 : 1),
                                                       actor: "t"))
        }
        return jobs
    }

    @Test func aBatchListsItsLabelsAndPagesInOrder() throws {
        let fixture = try StoreFixture()
        let jobs = try queued(fixture)
        let batch = try fixture.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: jobs.map { ($0.id, $0.copies) })
        #expect(batch.state == "sending" && batch.pages == 7 && batch.jobName == "lotbox-\(batch.id)")
        let labels = try fixture.store.printBatchLabels(batch.id)
        #expect(labels.map(\.printJobId) == jobs.map(\.id))
        #expect(labels.map(\.firstPage) == [0, 1, 3, 4, 6])
        #expect(labels.map(\.pages) == [1, 2, 1, 2, 1])
        #expect(try fixture.store.printJobs().nonEmptyAllSatisfy { $0.state == "submitted" && $0.batchId == batch.id && $0.attempts == 1 })
        // A label that cannot be rendered leaves the batch, held; the pages after it move up.
        try fixture.store.dropFromPrintBatch(batch.id, job: jobs[1].id, reason: "needs field 'license.code'")
        let after = try fixture.store.printBatchLabels(batch.id)
        #expect(after.map(\.printJobId) == [jobs[0].id, jobs[2].id, jobs[3].id, jobs[4].id])
        #expect(after.map(\.firstPage) == [0, 1, 2, 4])
        let held = try #require(try fixture.store.printJobs().first { $0.id == jobs[1].id })
        #expect(held.state == "held" && held.reason == "needs field 'license.code'" && held.batchId == nil)
        try fixture.store.markPrintBatchSubmitted(batch.id, cupsJobID: 41)
        try fixture.store.completePrintBatch(batch.id)
        let done = try fixture.store.printJobs().filter { $0.id != jobs[1].id }
        #expect(done.count == 4 && done.nonEmptyAllSatisfy { $0.state == "completed" && $0.cupsJobId == 41 && $0.completedAt != nil })
        #expect(try fixture.store.openPrintBatches(printer: "dock").isEmpty)
        // `queue list` finds each label's place in its job.
        let places = try fixture.store.printBatchPlaces(of: try fixture.store.printJobs())
        #expect(places[jobs[3].id]?.position == 2 && places[jobs[3].id]?.labels == 4 && places[jobs[3].id]?.batch.cupsJobId == 41)
        #expect(places[jobs[1].id] == nil)
    }

    /// A batch's outcome committed without waiting for the disk (the next batch's synced start
    /// carries it) is a commit another connection reads at once, so a process that dies loses
    /// none of it; it makes no sync of its own, and the next sync-if-needed makes one.
    /// Each label keeps the time of acceptance it was given.
    @Test func anOutcomeRecordedWithoutWaitingForTheDiskReadsTheSame() throws {
        let fixture = try StoreFixture()
        let jobs = try queued(fixture)
        let batch = try fixture.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: jobs.map { ($0.id, $0.copies) })
        try fixture.store.markPrintBatchSubmitted(batch.id, cupsJobID: 7, acceptedAt: "2026-12-02T11:00:00.123Z")
        let other = try LotStore(path: fixture.path)
        #expect(try other.printBatch(batch.id)?.state == "submitted" && other.printBatch(batch.id)?.cupsJobId == 7)
        #expect(try other.printJobs().nonEmptyAllSatisfy { $0.state == "submitted" && $0.cupsJobId == 7 && $0.submittedAt == "2026-12-02T11:00:00.123Z" })
        let syncs = fixture.store.commitSyncCount
        #expect(try fixture.store.completePrintBatch(batch.id, synced: false) == 5)
        #expect(fixture.store.commitSyncCount == syncs)
        #expect(try other.printBatch(batch.id)?.state == "completed")
        #expect(try other.printJobs().nonEmptyAllSatisfy { $0.state == "completed" && $0.submittedAt == "2026-12-02T11:00:00.123Z" })
        // The pass's closing sync puts it on the disk; once that is done there is nothing to sync.
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == syncs + 1)
        try fixture.store.syncIfNeeded()
        #expect(fixture.store.commitSyncCount == syncs + 1)
    }

    /// The printer finished 4 of 7 pages: labels wholly on them are printed, the one with a copy
    /// printed is sent again marked possible duplicate, the rest are simply sent again.
    @Test func aJobStoppedPartWayIsSettledFromThePagesPrinted() throws {
        let fixture = try StoreFixture()
        let jobs = try queued(fixture)
        let batch = try fixture.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: jobs.map { ($0.id, $0.copies) })
        try fixture.store.markPrintBatchSubmitted(batch.id, cupsJobID: 7)
        let again = try fixture.store.settlePrintBatch(batch.id, outcome: .pagesPrinted(5), reason: "printer ended job 7 as aborted",
                                                       retryAt: { attempts in "2099-01-01T00:00:0\(attempts).000Z" })
        #expect(again == 2)
        let settled = try fixture.store.printJobs()
        #expect(settled.map(\.state) == ["completed", "completed", "completed", "queued", "queued"])
        #expect(settled.map(\.possibleDuplicate) == [false, false, false, true, false])
        #expect(settled[3].nextAttemptAt == "2099-01-01T00:00:01.000Z" && settled[3].reason == "printer ended job 7 as aborted")
        #expect(settled[4].cupsJobId == nil)
        let stopped = try #require(try fixture.store.printBatch(batch.id))
        #expect(stopped.state == "stopped" && stopped.impressionsCompleted == 5)
        // Sent again in a batch of their own: the label remembers the job it rides in now.
        let retry = try fixture.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: [(jobs[3].id, 2), (jobs[4].id, 1)])
        #expect(try fixture.store.printJobs().filter { $0.batchId == retry.id }.map(\.id) == [jobs[3].id, jobs[4].id])
        #expect(try fixture.store.printJobs().filter { $0.attempts == 2 }.count == 2)
    }

    @Test func aJobThePrinterCannotAccountForIsSentAgainWhole() throws {
        let fixture = try StoreFixture()
        let jobs = try queued(fixture)
        let unknown = try fixture.store.startPrintBatch(printer: "dock", format: "application/vnd.cups-raw", labels: jobs.map { ($0.id, $0.copies) })
        #expect(try fixture.store.settlePrintBatch(unknown.id, outcome: .unknown, reason: "raw ZPL is one impression", retryAt: { _ in nil }) == 5)
        #expect(try fixture.store.printJobs().nonEmptyAllSatisfy { $0.state == "queued" && $0.possibleDuplicate && $0.nextAttemptAt == nil })
        // One that never reached the printer whole: sent again, not marked.
        let fixture2 = try StoreFixture()
        let others = try queued(fixture2)
        let never = try fixture2.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: others.map { ($0.id, $0.copies) })
        try fixture2.store.settlePrintBatch(never.id, outcome: .nothingPrinted, state: "abandoned", reason: "connection refused", retryAt: { _ in nil })
        #expect(try fixture2.store.printJobs().nonEmptyAllSatisfy { $0.state == "queued" && !$0.possibleDuplicate })
        #expect(try fixture2.store.openPrintBatches(printer: "dock").isEmpty)
        // A batch needs a label.
        #expect(throws: StoreError.self) { try fixture2.store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: []) }
    }

    /// Reprints of many lots are queued together or not at all.
    @Test func reprintsOfManyAreAllOrNothing() throws {
        let fixture = try StoreFixture()
        let first = try fixture.lot("1 g")
        let second = try fixture.lot("2 g")
        let jobs = try fixture.store.queueReprints([first.id, second.id], route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        #expect(jobs.map(\.objectId) == [first.id, second.id])
        #expect(throws: StoreError.self) {
            try fixture.store.queueReprints([first.id, "NO-SUCH-LOT"], route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        }
        #expect(try fixture.store.printJobs().count == 2)
    }
}
