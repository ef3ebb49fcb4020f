import Foundation
import LotboxLabels
import LotboxStore

/// While the printer works on one batch, the labels due next are laid out (and painted, for a
/// PWG printer) in the pauses between looks at its job. On a busy box the next batch then goes
/// as soon as the printer is free instead of waiting for its rendering as well. A prepared
/// label is used only within ``freshFor`` of its rendering (a lot edited meanwhile would print
/// as it was) and dropped when the pass ends; one that cannot be laid out is left for its batch,
/// which renders it again and says why.
extension LabelPrinterWorker {
    /// A due label, ready to send.
    struct PreparedLabel {
        let label: LaidOutLabel
        /// Its PWG page, painted with this printer's offsets; nil for other formats.
        let page: MonoBitmap?
        let renderedAt: Date
    }

    /// How long a prepared label may wait for its batch: a few ippeveprinter jobs under load,
    /// less than a person takes to edit a lot that was just made.
    static let freshFor = 0.5

    /// Waits `microseconds`, preparing due labels meanwhile (one at a time, so the wait runs
    /// over by at most one label's rendering).
    func prepareAhead(for microseconds: UInt32) {
        let until = Date().addingTimeInterval(Double(microseconds) / 1e6)
        while Date() < until, let job = nextToPrepare() {
            prepare(job)
        }
        let left = until.timeIntervalSinceNow
        if left > 0 { usleep(UInt32(left * 1e6)) }
    }

    /// The prepared label of `job`, taken out (it is sent once); nil if it is not fresh.
    func takePrepared(_ job: PrintJob) -> PreparedLabel? {
        guard let ready = prepared.removeValue(forKey: job.id), -ready.renderedAt.timeIntervalSinceNow <= Self.freshFor else { return nil }
        lastPass.preparedAhead += 1
        return ready
    }

    /// The next due job not prepared yet. The due jobs are looked up again when those found
    /// are done, at most every 10 ms: labels keep arriving while the printer works.
    private func nextToPrepare() -> PrintJob? {
        if preparing?.isEmpty ?? true, -lookedForDue.timeIntervalSinceNow >= 0.01 {
            lookedForDue = Date()
            preparing = ((try? store.nextPrintJobs(printer: config.name, limit: config.batchLabels)) ?? []).filter { prepared[$0.id] == nil }
        }
        guard let first = preparing?.first else { return nil }
        preparing?.removeFirst()
        return first
    }

    private func prepare(_ job: PrintJob) {
        guard let (label, _) = try? layOut(job) else { return }
        let page = (try? documentFormat()) == "image/pwg-raster" ? BatchDocument.rasterPage(label, settings: config.zpl) : nil
        prepared[job.id] = PreparedLabel(label: label, page: page, renderedAt: Date())
    }
}
