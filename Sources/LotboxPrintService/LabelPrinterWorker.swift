import Foundation
import LotboxCore
import LotboxLabelData
import LotboxLabels
import LotboxPrinting
import LotboxStore

/// Prints one printer's queued jobs: renders each label, submits it under a job name that
/// carries the print job's id, follows it to the end and records the outcome. Blocking: it runs
/// on a thread of its own per printer, so a hung printer holds up nobody else.
public final class LabelPrinterWorker: @unchecked Sendable {
    public let config: PrinterConfig
    let store: LotStore
    private let templates: String
    /// The shop's zone: the dates a label or receipt prints.
    private let timeZone: ShopTimeZone
    private var printer: IPPPrinter?
    private var engine: TextEngine
    private var loaded: [String: LabelTemplate] = [:]

    public init(config: PrinterConfig, store: LotStore, templates: String, timeZone: ShopTimeZone) {
        self.config = config
        self.store = store
        self.templates = templates
        self.timeZone = timeZone
        self.engine = TextEngine(dpi: config.dpi, ownFontMap: true)
    }

    /// Prints every job that is due; returns how many were completed (or, for a CUPS queue,
    /// handed to it).
    @discardableResult
    /// Loads the printer's template and renders one sample label, off the clock: the first
    /// label otherwise pays for the font map, the template and the raster writer (~25 ms),
    /// and a grower waiting at the printer would see it.
    public func warmUp() {
        guard let template = try? loaded[config.template] ?? TemplateLoader.load(config.template, from: templates) else { return }
        loaded[config.template] = template
        if let label = try? LabelLayout.layOut(template, data: template.data.sample, dpi: config.dpi, engine: engine).get() {
            _ = try? (config.format == PrinterConfig.zplFormat ? LabelFormat.zpl : LabelFormat.pwg)
                .encode([label], media: template.media, settings: config.zpl, tracking: template.mediaTracking)
        }
    }

    /// Prints what is queued for this printer. A printer reached directly takes one job at a
    /// time (ippeveprinter refuses a second with "currently printing another job"), so each
    /// job is followed to its end before the next is sent.
    public func drain(timeout: Double = 30) throws -> Int {
        if config.isSocket { return try drainSocket() }
        // After a start or a lost connection, find out what happened to jobs in flight first.
        if needsRecovery {
            try recover()
            needsRecovery = printer == nil
        }
        var completed = 0
        while let job = try store.nextPrintJob(printer: config.name) {
            if try print(job, timeout: timeout) { completed += 1 } else { break }
        }
        try followSubmitted()
        return completed
    }

    /// Jobs sent earlier and not seen to end (the wait for one timed out): asked about by id.
    func followSubmitted() throws {
        let pending = try store.submittedPrintJobs(printer: config.name).filter { $0.cupsJobId != nil }
        guard !pending.isEmpty, let printer = try? connection() else { return }
        for job in pending {
            guard let cupsJob = job.cupsJobId else { continue }
            let status: JobStatus
            do {
                status = try printer.job(cupsJob)
            } catch {
                self.printer = nil
                needsRecovery = true
                return
            }
            if status.state == "completed" {
                try store.markPrintJobCompleted(job.id)
            } else if status.isFinal {
                try store.markPrintJobFailed(job.id, reason: "printer ended the job as \(status.state) (\(status.reasons.joined(separator: ", ")))",
                                             retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
            }
        }
    }

    /// Prints one job; false when the printer could not take it (the job waits for a retry).
    private func print(_ job: PrintJob, timeout: Double) throws -> Bool {
        let format: String
        do {
            format = try documentFormat()
        } catch {
            printer = nil
            needsRecovery = true
            try store.markPrintJobFailed(job.id, reason: "\(error)", retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
            return false
        }
        let document: [UInt8]
        do {
            document = try render(job, format: format)
        } catch {
            // The label itself is wrong: no retry will fix it; a person must look.
            try store.markPrintJobFailed(job.id, reason: "\(error)", retryAt: nil)
            return true
        }
        let printer: IPPPrinter
        do {
            printer = try connection()
        } catch {
            // Nothing was sent: try again later.
            try store.markPrintJobFailed(job.id, reason: error.description, retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
            return false
        }
        try store.markPrintJobSending(job.id)
        let cupsJob: Int
        do {
            let isZPL = format == PrinterConfig.zplFormat
            // CUPS 2.4 has no ZPL type: a raw queue takes it as vnd.cups-raw, passed through untouched.
            cupsJob = try printer.submit(document, format: isZPL && config.queue != nil ? "application/vnd.cups-raw" : format,
                                         jobName: LabelPrinterWorker.jobName(job.id), copies: isZPL ? 1 : job.copies)
        } catch {
            self.printer = nil
            needsRecovery = true
            if let created = error.jobID {
                // The printer made the job; whether it prints it is the printer's to say: the
                // job stays submitted and recover() asks once the printer answers again.
                try store.markPrintJobSubmitted(job.id, cupsJobID: created)
            } else {
                try store.markPrintJobFailed(job.id, reason: error.description, retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
            }
            return false
        }
        try store.markPrintJobSubmitted(job.id, cupsJobID: cupsJob)
        // A CUPS queue queues: hand it the next job now and learn how this one ended later
        // (recover() follows submitted jobs on every pass). A printer reached directly takes
        // one job at a time, so it is followed to the end here.
        if config.queue != nil { return true }
        let sentAt = Date()
        let deadline = sentAt.addingTimeInterval(timeout)
        var poll: UInt32 = 1_000
        while true {
            let status: JobStatus
            do {
                status = try printer.job(cupsJob)
            } catch {
                // The printer went away with the job: recover() sorts it out.
                self.printer = nil
                needsRecovery = true
                return false
            }
            if status.state == "completed" {
                try store.markPrintJobCompleted(job.id)
                return true
            }
            if status.isFinal {
                try store.markPrintJobFailed(job.id, reason: "printer ended the job as \(status.state) (\(status.reasons.joined(separator: ", ")))",
                                             retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
                return false
            }
            guard Date() < deadline else { return false }
            // A label printer that renders nothing itself finishes in milliseconds, and the next
            // label waits for it: look every 2 ms at first, every 5 ms up to 0.1 s, then back off
            // to 50 ms for a printer that is really printing (or out of labels).
            usleep(poll)
            let waited = Date().timeIntervalSince(sentAt)
            poll = waited < 0.02 ? 2_000 : waited < 0.1 ? 5_000 : min(poll * 2, 50_000)
        }
    }

    /// The name a job goes to the printer under: how lotbox finds its jobs again after a crash.
    static func jobName(_ id: String) -> String { "lotbox-\(id)" }

    /// After a restart: jobs recorded as sent are looked up on the printer by name. One the
    /// printer has is followed (never sent twice); one it does not know, because it forgot its
    /// jobs or never got it, is sent again and marked a possible duplicate.
    func recover() throws {
        let pending = try store.submittedPrintJobs(printer: config.name)
        guard !pending.isEmpty else { return }
        let printer: IPPPrinter
        do { printer = try connection() } catch { return }
        for job in pending {
            do {
                if let found = try printer.job(named: LabelPrinterWorker.jobName(job.id)) {
                    if job.cupsJobId == nil { try store.markPrintJobSubmitted(job.id, cupsJobID: found.id) }
                    if found.status.state.hasPrefix("pending"),
                       found.status.reasons.contains(where: { $0 == "job-incoming" || $0 == "job-data-insufficient" }) {
                        // Left half-sent by a crash: it has not printed, and it blocks the printer.
                        try printer.cancel(found.id)
                        try store.markPrintJobFailed(job.id, reason: "job \(found.id) was left half-sent; canceled and sent again", retryAt: nil)
                        _ = try store.releasePrintJob(job.id, actor: "lotbox")
                    } else if found.status.state == "completed" {
                        try store.markPrintJobCompleted(job.id)
                    } else if found.status.isFinal {
                        try store.markPrintJobFailed(job.id, reason: "printer ended job \(found.id) as \(found.status.state)",
                                                     retryAt: LabelPrinterWorker.retryTime(attempt: job.attempts))
                    }
                } else {
                    try store.requeuePossibleDuplicate(job.id, reason: "printer does not know job \(LabelPrinterWorker.jobName(job.id)); sent again, possibly twice")
                }
            } catch {
                self.printer = nil
                return
            }
        }
    }

    /// The job's label as `format` (a MIME type), with this printer's settings and offset.
    func render(_ job: PrintJob, format: String) throws -> [UInt8] {
        let template = try loaded[job.template] ?? TemplateLoader.load(job.template, from: templates)
        loaded[job.template] = template
        let data: LabelValue
        switch job.kind {
        case "sale-receipt":
            guard let saleID = job.objectId else { throw StoreError.invalid("print job \(job.id) names no sale") }
            data = try LabelValue.sale(saleID, in: store, timeZone: timeZone)
        case "command-sheet":
            data = .object([:])
        default:
            guard let lotID = job.objectId else { throw StoreError.invalid("print job \(job.id) names no lot") }
            data = try LabelValue.lot(lotID, in: store, timeZone: timeZone)
        }
        let label = try LabelLayout.layOut(template, data: data, dpi: config.dpi, engine: engine).get()
        let output: LabelFormat
        switch format {
        case "application/pdf": output = .pdf
        case "image/png": output = .png
        case PrinterConfig.zplFormat:
            // ZPL carries its copies (^PQ): the printer, not the queue, repeats the label.
            return try LabelFormat.zpl.encode([label], media: template.media, copies: job.copies, settings: config.zpl,
                                              tracking: template.mediaTracking)
        default: output = .pwg
        }
        return try output.encode([label], media: template.media, settings: config.zpl)
    }

    private var chosenFormat: String?
    /// True until the jobs in flight at start (or when the printer was lost) have been looked up.
    var needsRecovery = true
    /// A socket printer's last `~HS` look: when, and what stopped it (empty: nothing).
    var socketChecked: Date?
    /// Why the printer cannot print now (media-empty-error, cover-open-error...), from its own
    /// report; empty when it can or does not say. PrinterThread logs each change.
    public internal(set) var holdReasons: [String] = []

    /// The configured format, else the best the printer says it takes: PWG raster for label
    /// printers, PNG, then PDF for office printers.
    private func documentFormat() throws -> String {
        if let format = config.format ?? chosenFormat { return format }
        let supported = try connection().status().documentFormats
        let format = ["image/pwg-raster", "image/png", "application/pdf"].first { supported.contains($0) } ?? "image/pwg-raster"
        chosenFormat = format
        return format
    }

    private func connection() throws(PrintError) -> IPPPrinter {
        if let printer { return printer }
        let connected = try IPPPrinter(uri: config.uri, name: config.queue, server: config.server)
        printer = connected
        return connected
    }

    /// Backoff: 1 s, 2 s, 4 s ... up to a minute.
    static func retryTime(attempt: Int) -> String {
        let seconds = min(60, 1 << min(attempt, 6))
        return Timestamp.rfc3339(milliseconds: ULIDGenerator.systemMilliseconds() + UInt64(seconds) * 1000)
    }
}
