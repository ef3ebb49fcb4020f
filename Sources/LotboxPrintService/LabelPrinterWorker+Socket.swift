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
    static let statusInterval: TimeInterval = 2
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
        var completed = 0
        while let job = try store.nextPrintJob(printer: config.name) {
            guard try socketReady(printer, job: job) else { break }
            let document: [UInt8]
            do {
                document = try render(job, format: PrinterConfig.zplFormat)
            } catch {
                // The label itself is wrong: no retry will fix it; a person must look.
                try store.markPrintJobFailed(job.id, reason: "\(error)", retryAt: nil)
                continue
            }
            try store.markPrintJobSending(job.id)
            do {
                try printer.send(document)
            } catch {
                if error.partlySent {
                    try store.requeuePossibleDuplicate(job.id, reason: "\(error); sent again, possibly twice")
                }
                try store.markPrintJobFailed(job.id, reason: error.description, retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
                socketChecked = nil
                break
            }
            try store.markPrintJobCompleted(job.id)
            completed += 1
        }
        return completed
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
        return holdReasons.isEmpty
    }
}
