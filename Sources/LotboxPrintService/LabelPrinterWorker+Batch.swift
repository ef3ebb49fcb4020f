import Foundation
import LotboxCore
import LotboxLabels
import LotboxPrinting
import LotboxStore

/// A batch is one job on CUPS queues and IPP printers: the labels due at a printer go as one
/// document, each rendered as it is sent, under a job name carrying the batch's id. The store
/// lists the labels the job carries and the pages each fills; completion marks them all, and a
/// job that stopped part-way is settled label by label where the printer counts the pages it
/// finished, else every label is sent again marked a possible duplicate.
extension LabelPrinterWorker {
    /// Sends a run of due jobs (one template) as one job. Returns how many labels the printer
    /// took (a CUPS queue) or printed (a printer reached directly), or nil when it could not take
    /// them now (they wait for a retry, or for recover() to ask the printer).
    func printBatch(_ jobs: [PrintJob], timeout: Double) throws -> Int? {
        let format: String
        let printer: IPPPrinter
        do {
            format = try documentFormat()
            printer = try connection()
        } catch {
            self.printer = nil
            needsRecovery = true
            try store.markPrintJobsFailed(jobs.map(\.id), reason: "\(error)", retryAt: LabelPrinterWorker.retryTime(attempt: jobs[0].attempts))
            return nil
        }
        if format == "image/png", let most = copiesPerJob(on: printer), jobs[0].copies > most {
            // A PNG is one page, its copies the job's IPP copies: more than the printer takes go
            // as several jobs, each within its range, rather than a job it would refuse.
            try store.splitPrintJob(jobs[0].id, most: most, actor: "lotbox")
            return 0
        }
        let template: LabelTemplate
        do {
            template = try loadedTemplate(jobs[0].template)
        } catch {
            // A template that does not load will not load on a retry either: a person must look.
            for job in jobs { try store.markPrintJobFailed(job.id, reason: "\(error)", retryAt: nil) }
            lastPass.held += jobs.count
            return 0
        }
        let run = BatchDocument.holdsMany(format) ? jobs : [jobs[0]]
        let isZPL = format == PrinterConfig.zplFormat
        // CUPS 2.4 has no ZPL type: a raw queue takes it as vnd.cups-raw, passed through untouched.
        let sentFormat = isZPL && config.queue != nil ? "application/vnd.cups-raw" : format
        let batch = try store.startPrintBatch(printer: config.name, format: sentFormat, labels: run.map { ($0.id, $0.copies) })
        // Its synced commit carried the previous batch's outcome to the disk.
        unsyncedOutcome = nil
        let document = BatchDocument(format: format, template: template, settings: config.zpl)
        var cupsJob: Int?
        var carried = 0
        do {
            for job in run {
                let bytes: [UInt8]
                do {
                    bytes = try document.add(try layOut(job).label, copies: job.copies)
                } catch {
                    // The label itself is wrong: no retry will fix it; it leaves the batch, held.
                    try store.dropFromPrintBatch(batch.id, job: job.id, reason: "\(error)")
                    lastPass.held += 1
                    continue
                }
                carried += 1
                guard !bytes.isEmpty else { continue }
                if cupsJob == nil {
                    // A PNG is one page: its copies are the job's (IPP copies).
                    cupsJob = try printer.startJob(format: sentFormat, jobName: batch.jobName, copies: format == "image/png" ? job.copies : 1)
                }
                try printer.write(bytes)
            }
            guard carried > 0 else {
                try store.settlePrintBatch(batch.id, outcome: .nothingPrinted, state: "abandoned", reason: "no label in it could be rendered",
                                           retryAt: { _ in nil })
                return 0
            }
            let tail: [UInt8]
            do {
                tail = try document.finish()
            } catch {
                throw PrintError(printer: config.name, reason: "could not finish the \(format) document: \(error)", jobID: cupsJob)
            }
            if cupsJob == nil { cupsJob = try printer.startJob(format: sentFormat, jobName: batch.jobName) }
            if !tail.isEmpty { try printer.write(tail) }
            try printer.finishJob()
        } catch let error as PrintError {
            try lostWhileSending(batch, because: error)
            return nil
        } catch {
            // The store failed mid-batch: whatever the printer has is looked up again.
            needsRecovery = true
            throw error
        }
        guard let cupsJob else { return nil }
        // Its labels' submitted_at is when the printer's reply came, not when this write runs.
        try store.markPrintBatchSubmitted(batch.id, cupsJobID: cupsJob,
                                          acceptedAt: Timestamp.rfc3339(milliseconds: ULIDGenerator.systemMilliseconds()))
        // A CUPS queue queues: hand it the next batch now and learn how this one ended later
        // (followSubmitted asks on every pass).
        if config.queue != nil {
            lastPass.handedToQueue += carried
            return carried
        }
        // A printer reached directly takes one job at a time, so it is followed to its end here.
        var followed = batch
        followed.state = "submitted"
        followed.cupsJobId = cupsJob
        guard let status = follow(cupsJob, on: printer, timeout: timeout) else { return nil }
        if status.state == "completed" {
            // On a busy box a disk sync costs milliseconds and the next label waits for each:
            // when one is due, this outcome is committed without one, and the next batch's start
            // (synced before a byte of it leaves) carries it to the disk; if no start follows,
            // the pass syncs it as it ends. Lost to a power cut, it leaves the batch submitted
            // with its job, to be asked of the printer again.
            let nextIsDue = (try? store.nextPrintJobs(printer: config.name, limit: 1).isEmpty == false) ?? false
            lastPass.printed += try store.completePrintBatch(batch.id, synced: !nextIsDue)
            if nextIsDue { unsyncedOutcome = batch.id }
            return carried
        }
        try settle(followed, jobID: cupsJob, status: status)
        return nil
    }

    /// Polls a job until it ends or `timeout` passes (nil: still going, or the printer went away;
    /// followSubmitted or recover() take it from there).
    private func follow(_ cupsJob: Int, on printer: IPPPrinter, timeout: Double) -> JobStatus? {
        let sentAt = Date()
        let deadline = sentAt.addingTimeInterval(timeout)
        var poll: UInt32 = 1_000
        while true {
            let status: JobStatus
            do {
                status = try printer.job(cupsJob)
            } catch {
                self.printer = nil
                needsRecovery = true
                return nil
            }
            if status.isFinal { return status }
            guard Date() < deadline else { return nil }
            // A label printer that renders nothing itself finishes in milliseconds, and the next
            // label waits for it: look every 2 ms at first, every 5 ms up to 0.1 s, then back off
            // to 50 ms for a printer that is really printing (or out of labels).
            usleep(poll)
            let waited = Date().timeIntervalSince(sentAt)
            poll = waited < 0.02 ? 2_000 : waited < 0.1 ? 5_000 : min(poll * 2, 50_000)
        }
    }

    /// The connection broke (or the printer refused) while the document was going: a job the
    /// printer made is for recover() to look up (a half-sent one is canceled and sent again);
    /// without one, nothing reached the printer and the labels wait for a retry.
    private func lostWhileSending(_ batch: PrintBatch, because error: PrintError) throws {
        printer = nil
        needsRecovery = true
        if let created = error.jobID {
            try store.markPrintBatchSubmitted(batch.id, cupsJobID: created, whole: false)
        } else {
            try store.settlePrintBatch(batch.id, outcome: .nothingPrinted, state: "abandoned", reason: error.description,
                                       retryAt: LabelPrinterWorker.retryTime)
        }
    }

    /// A batch's job ended without completing (or lotbox had not finished sending its document:
    /// a printer may end a half-sent job as completed, having printed what reached it): its
    /// labels are settled from what the printer says it printed, and those not printed wait for
    /// a retry.
    func settle(_ batch: PrintBatch, jobID: Int, status: JobStatus) throws {
        let outcome = printedOutcome(status, format: batch.format)
        var reason = "printer ended job \(jobID) as \(status.state)"
        if !status.reasons.isEmpty { reason += " (\(status.reasons.joined(separator: ", ")))" }
        if batch.state == "sending" { reason += " before lotbox had sent all of it" }
        if case .pagesPrinted(let pages) = outcome {
            reason += " after \(pages) of \(batch.pages) labels; the rest sent again"
        } else {
            reason += "; sent again, possibly twice"
        }
        // A job cut short by lotbox is no fault of the printer's: its labels go again at once.
        try store.settlePrintBatch(batch.id, outcome: outcome, reason: reason,
                                   retryAt: batch.state == "sending" ? { _ in nil } : LabelPrinterWorker.retryTime)
    }

    /// Settles an open batch from what the printer says of its job; a job still going is left
    /// to be asked again. A job left half-sent (by a crash, or a connection lost while sending)
    /// has not printed and blocks the printer: it is canceled and its labels sent again.
    func resolve(_ batch: PrintBatch, jobID: Int, status: JobStatus, on printer: IPPPrinter) throws {
        if status.state.hasPrefix("pending"), status.reasons.contains(where: { $0 == "job-incoming" || $0 == "job-data-insufficient" }) {
            try printer.cancel(jobID)
            try store.settlePrintBatch(batch.id, outcome: .nothingPrinted, state: "abandoned",
                                       reason: "job \(jobID) was left half-sent; canceled and sent again", retryAt: { _ in nil })
        } else if status.state == "completed" && batch.state == "submitted" {
            lastPass.printed += try store.completePrintBatch(batch.id)
        } else if status.isFinal {
            try settle(batch, jobID: jobID, status: status)
        }
    }

    /// What a stopped job printed, as far as it can be known. Only a printer reached directly
    /// counts the pages it finished: a CUPS queue's job-impressions-completed counts what its
    /// filters handled (pages that may never have reached the paper), and raw ZPL through CUPS
    /// (or LPrint) is one impression however many labels it holds. A count of 0 is not trusted
    /// either: printers that do not count report 0.
    func printedOutcome(_ status: JobStatus, format: String) -> PrintBatchOutcome {
        guard config.queue == nil, format != PrinterConfig.zplFormat, format != "application/vnd.cups-raw",
              let pages = status.impressionsCompleted, pages > 0 else { return .unknown }
        return .pagesPrinted(pages)
    }

    /// Batches the printer has (a CUPS queue's, one whose wait timed out, or one whose sending
    /// broke off): asked about by id.
    func followBatches() throws {
        let open = try store.openPrintBatches(printer: config.name).filter { $0.cupsJobId != nil }
        guard !open.isEmpty, let printer = try? connection() else { return }
        for batch in open {
            guard let cupsJob = batch.cupsJobId else { continue }
            do {
                try resolve(batch, jobID: cupsJob, status: try printer.job(cupsJob), on: printer)
            } catch is PrintError {
                self.printer = nil
                needsRecovery = true
                return
            }
        }
    }

    /// After a restart: each batch being sent or printed is looked up on the printer by its job
    /// name. One the printer has is followed (never sent twice); one left half-sent is canceled
    /// and sent again; one the printer does not know (it forgot its jobs, or never got it) is
    /// sent again marked a possible duplicate. False when the printer stopped answering.
    func recoverBatches(_ batches: [PrintBatch], on printer: IPPPrinter) throws -> Bool {
        for var batch in batches {
            do {
                guard let found = try printer.job(named: batch.jobName) else {
                    try store.settlePrintBatch(batch.id, outcome: .unknown, state: "abandoned",
                                               reason: "printer does not know job \(batch.jobName); sent again, possibly twice", retryAt: { _ in nil })
                    continue
                }
                if batch.cupsJobId == nil {
                    // Recorded as sending: whether the document went whole, only the printer's job can tell.
                    try store.markPrintBatchSubmitted(batch.id, cupsJobID: found.id, whole: false)
                    batch.cupsJobId = found.id
                }
                try resolve(batch, jobID: found.id, status: found.status, on: printer)
            } catch is PrintError {
                self.printer = nil
                return false
            }
        }
        return true
    }
}
