import Foundation
import LotboxCore
import LotboxLabelData
import LotboxLabels
import LotboxPrinting
import LotboxStore

/// Prints one printer's queued jobs: the labels due go as one job (a batch), each rendered as it
/// is sent, under a job name that carries the batch's id; the job is followed to its end and each
/// label's outcome recorded. Blocking: it runs on a thread of its own per printer, so a hung
/// printer holds up nobody else.
public final class LabelPrinterWorker: @unchecked Sendable {
    public let config: PrinterConfig
    let store: LotStore
    private let templates: String
    /// The shop's zone: the dates a label or receipt prints.
    private let timeZone: ShopTimeZone
    var printer: IPPPrinter?
    private var engine: TextEngine
    private var loaded: [String: LabelTemplate] = [:]

    public init(config: PrinterConfig, store: LotStore, templates: String, timeZone: ShopTimeZone) {
        self.config = config
        self.store = store
        self.templates = templates
        self.timeZone = timeZone
        self.engine = TextEngine(dpi: config.dpi, ownFontMap: true)
    }

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

    /// Prints what is queued for this printer: the due labels go as batches, each one job (see
    /// LabelPrinterWorker+Batch). A printer reached directly takes one job at a time
    /// (ippeveprinter refuses a second with "currently printing another job"), so the next batch
    /// waits until the printer has finished the one it has; a CUPS queue queues them. Returns how
    /// many labels were printed (or, for a CUPS queue, handed to it).
    @discardableResult
    public func drain(timeout: Double = 30) throws -> Int {
        lastPass = Pass()
        defer { syncOutcome() }
        try holdStaleJobs()
        if config.isSocket {
            let sent = try drainSocket()
            lastPass.printed += sent
            return sent
        }
        // After a start or a lost connection, find out what happened to jobs in flight first.
        if needsRecovery {
            try recover()
            needsRecovery = printer == nil
        }
        try followSubmitted()
        try releaseLoadedMedia()
        var completed = 0
        while true {
            if config.queue == nil, try !store.openPrintBatches(printer: config.name).isEmpty { break }
            let due = try store.nextPrintJobs(printer: config.name, limit: config.batchLabels)
            guard let first = due.first else { break }
            // A printer (or CUPS queue) that says it cannot print keeps its labels here, queued.
            guard ippReady() else { break }
            if try holdForMedia(template: first.template) { continue }
            // One document has one template's media.
            let run = Array(due.prefix { $0.template == first.template })
            guard let sent = try printBatch(run, timeout: timeout) else { break }
            completed += sent
        }
        try followSubmitted()
        return completed
    }

    /// Puts an outcome no later batch carried on the disk. A failure here leaves it to the
    /// store's next synced commit; recover() asks the printer about it after a power cut.
    private func syncOutcome() {
        guard unsyncedOutcome != nil else { return }
        unsyncedOutcome = nil
        try? store.syncIfNeeded()
    }

    /// Jobs sent earlier and not seen to end (the wait for one timed out, or a CUPS queue still
    /// has them): asked about by id. Batches, and single jobs sent before batches existed.
    func followSubmitted() throws {
        try followBatches()
        let pending = try store.submittedPrintJobs(printer: config.name).filter { $0.cupsJobId != nil && $0.batchId == nil }
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

    /// The name a job goes to the printer under: how lotbox finds its jobs again after a crash.
    static func jobName(_ id: String) -> String { "lotbox-\(id)" }

    /// After a restart: jobs recorded as sent are looked up on the printer by name. One the
    /// printer has is followed (never sent twice); one it does not know, because it forgot its
    /// jobs or never got it, is sent again and marked a possible duplicate. Batches first, then
    /// single jobs sent before batches existed (named after the print job).
    func recover() throws {
        let pending = try store.submittedPrintJobs(printer: config.name).filter { $0.batchId == nil }
        let batches = try store.openPrintBatches(printer: config.name)
        guard !pending.isEmpty || !batches.isEmpty else { return }
        let printer: IPPPrinter
        do { printer = try connection() } catch { return }
        guard try recoverBatches(batches, on: printer) else { return }
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

    /// The job's label laid out with its template (loaded once), or why it cannot be.
    func layOut(_ job: PrintJob) throws -> (label: LaidOutLabel, template: LabelTemplate) {
        let template = try loadedTemplate(job.template)
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
        return (try LabelLayout.layOut(template, data: data, dpi: config.dpi, engine: engine).get(), template)
    }

    func loadedTemplate(_ name: String) throws -> LabelTemplate {
        let template = try loaded[name] ?? TemplateLoader.load(name, from: templates)
        loaded[name] = template
        return template
    }

    /// The job's label as ZPL, with this printer's settings (a socket printer's stream).
    func render(_ job: PrintJob, format: String) throws -> [UInt8] {
        let (label, template) = try layOut(job)
        return try BatchDocument(format: format, template: template, settings: config.zpl).add(label, copies: job.copies)
    }

    /// What one pass of `drain` did, for the daemon's log: a label is "printed" only when the
    /// printer (or CUPS) says its job completed; one handed to a CUPS queue may sit there held
    /// (a stopped queue, a printer out of labels), and one held for a person never printed.
    public struct Pass: Sendable, Equatable {
        public var printed = 0
        public var handedToQueue = 0
        public var held = 0
        /// Held for a person because they were queued too long ago (stale_after_minutes).
        public var stale = 0
        /// Held until their stock is loaded (PrinterThread logs each template's hold once).
        public var mediaHeld = 0
    }
    public internal(set) var lastPass = Pass()

    private var chosenFormat: String?
    private var copiesRange: ClosedRange<Int>?
    /// A batch whose outcome was committed without a disk sync, for the next batch's start to
    /// carry (see printBatch); synced when the pass ends without one.
    var unsyncedOutcome: String?
    /// True until the jobs in flight at start (or when the printer was lost) have been looked up.
    var needsRecovery = true
    /// A socket printer's last `~HS` look: when, and what stopped it (empty: nothing).
    var socketChecked: Date?
    /// When an IPP printer or CUPS queue was last asked how it is.
    var ippChecked: Date?
    /// When the queue was last looked at for stale labels.
    var staleChecked: Date?
    /// The printer's last word on its loaded media (IPP media-ready, a Zebra's `~HS` label
    /// length); nil until it has said anything.
    var loadedMedia: PrinterStatus?
    /// Templates whose labels are held here for their media, with why ("4x6 in loaded; lot-2x1
    /// needs 2x1 in"): PrinterThread logs and publishes each change, as with `holdReasons`.
    public internal(set) var mediaHolds: [String: String] = [:]
    /// Why the loaded media cannot be checked against this printer's template (it reports none);
    /// nil when it can. Logged once per change, never a hold.
    public internal(set) var mediaWarning: String?
    /// Why the printer cannot print now (media-empty-error, cover-open-error...), from its own
    /// report; empty when it can or does not say. PrinterThread logs each change.
    public internal(set) var holdReasons: [String] = []

    /// The configured format, else the best the printer says it takes: PWG raster for label
    /// printers, PNG, then PDF for office printers.
    func documentFormat() throws -> String {
        if let format = config.format ?? chosenFormat { return format }
        let supported = try connection().status().documentFormats
        let format = ["image/pwg-raster", "image/png", "application/pdf"].first { supported.contains($0) } ?? "image/pwg-raster"
        chosenFormat = format
        return format
    }

    /// The most copies one job may ask the printer for (its `copies-supported`), asked once;
    /// nil while the printer does not say or cannot be asked (the copies then go as they are).
    func copiesPerJob(on printer: IPPPrinter) -> Int? {
        if let copiesRange { return copiesRange.upperBound }
        copiesRange = (try? printer.status())?.copiesSupported
        return copiesRange?.upperBound
    }

    func connection() throws(PrintError) -> IPPPrinter {
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
