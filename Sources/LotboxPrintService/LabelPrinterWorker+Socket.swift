import Foundation
import LotboxCore
import LotboxPrinting
import LotboxStore

/// A ZPL printer on its raw port: no job ids and no queue on the printer's side, so a job is
/// done when its bytes are taken and the connection ends cleanly, and a job whose connection
/// broke part-way may have printed: it is sent again marked a possible duplicate.
extension LabelPrinterWorker {
    /// How often the printer's `~HS` is asked while it prints: each ask is a connection, and
    /// a printer that does not answer costs `statusWait`.
    public static let statusInterval: TimeInterval = 2
    static let statusWait: Double = 0.5

    func drainSocket() throws -> Int {
        guard let uri = config.uri else { return 0 }
        let printer = try SocketPrinter(uri: uri, timeout: 5)
        if needsRecovery {
            // Jobs lotbox was sending when it stopped: the printer keeps no record to ask.
            for job in try store.submittedPrintJobs(printer: config.name) {
                try store.requeuePossibleDuplicate(job.id, reason: "lotbox stopped while sending it to \(uri); sent again, possibly twice")
            }
            needsRecovery = false
        }
        try releaseLoadedMedia()
        var completed = 0
        while true {
            let jobs = try store.nextPrintJobs(printer: config.name, limit: config.batchLabels)
            guard let first = jobs.first else { break }
            guard try socketReady(printer, job: first) else { break }
            // A ZPL stream may mix templates: any whose labels are not loaded holds, the rest go.
            if try Set(jobs.map(\.template)).contains(where: { try holdForMedia(template: $0) }) { continue }
            guard let sent = try stream(jobs, to: printer) else { break }
            completed += sent
        }
        return completed
    }

    // The most labels sent in one connection is the printer's batch size (batch_labels, 200 by
    // default), as for a CUPS queue's job: each run is two synced commits (sending, completed),
    // ~4 ms each here, and a connection that breaks sends at most that many again.

    /// Sends a run of jobs in one connection, each label rendered as it goes. Returns how many
    /// were printed, or nil when the connection failed: the labels that had started to go are
    /// sent again marked possible duplicates (which of them printed, the printer cannot say),
    /// the rest simply wait for the retry.
    private func stream(_ jobs: [PrintJob], to printer: SocketPrinter) throws -> Int? {
        try store.markPrintJobsSending(jobs.map(\.id))
        var sent: [PrintJob] = []
        var failure: PrintError?
        var connection: SocketPrintStream?
        for (index, job) in jobs.enumerated() {
            let document: [UInt8]
            do {
                document = try render(job, format: PrinterConfig.zplFormat)
            } catch {
                // The label itself is wrong: no retry will fix it; a person must look.
                try store.markPrintJobFailed(job.id, reason: "\(error)", retryAt: nil)
                lastPass.held += 1
                continue
            }
            do throws(PrintError) {
                let open: SocketPrintStream
                if let connection { open = connection } else { open = try printer.open() }
                connection = open
                try open.write(document)
                sent.append(job)
            } catch {
                failure = error
                if error.partlySent { sent.append(job) }
                try requeue(sent, unsent: Array(jobs[(index + 1)...]) + (error.partlySent ? [] : [job]), because: error)
                return nil
            }
        }
        do throws(PrintError) {
            try connection?.finish()
        } catch {
            failure = error
        }
        if let failure {
            try requeue(sent, unsent: [], because: failure)
            return nil
        }
        try store.markPrintJobsCompleted(sent.map(\.id))
        return sent.count
    }

    /// After a broken connection: what went may have printed; what did not waits for a retry.
    private func requeue(_ sent: [PrintJob], unsent: [PrintJob], because error: PrintError) throws {
        for job in sent {
            try store.requeuePossibleDuplicate(job.id, reason: "\(error); sent again, possibly twice")
        }
        for job in sent + unsent {
            try store.markPrintJobFailed(job.id, reason: error.description, retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
        }
        socketChecked = nil
    }

    /// Asks `~HS` (at most every `statusInterval` while things go well, every pass while the
    /// printer reports a fault): false while the printer says it cannot print, the job staying
    /// queued untouched; a printer that cannot be reached fails the job for a retry.
    private func socketReady(_ printer: SocketPrinter, job: PrintJob) throws -> Bool {
        if holdReasons.isEmpty, let checked = socketChecked, Date().timeIntervalSince(checked) < LabelPrinterWorker.statusInterval {
            return true
        }
        let answer: ZebraHostStatus?
        do {
            answer = try printer.hostStatus(answerWithin: LabelPrinterWorker.statusWait)
        } catch {
            holdReasons = []
            socketChecked = nil
            try store.markPrintJobFailed(job.id, reason: error.description, retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
            return false
        }
        socketChecked = Date()
        holdReasons = answer.map { $0.stopsPrinting ? $0.reasons : [] } ?? []
        // A Zebra that stays silent to ~HS says nothing of its labels either: not checked.
        loadedMedia = answer?.printerStatus
        checkMediaWarning()
        return holdReasons.isEmpty
    }
}
