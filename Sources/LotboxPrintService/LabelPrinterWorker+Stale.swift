import Foundation
import LotboxCore
import LotboxStore

/// After an outage (the printer, or lotbox itself, down for hours) labels queued long ago are
/// held for a person (`lotbox queue release`, the API's /queue/{id}/release) instead of printing
/// by themselves: `stale_after_minutes`. Looked at before anything is sent, so the first pass
/// after a start holds them before printing any.
extension LabelPrinterWorker {
    /// How often the queue is looked at for stale labels: minutes matter here, not seconds.
    static let staleCheckInterval: TimeInterval = 10

    func holdStaleJobs() throws {
        guard let minutes = config.staleAfterMinutes else { return }
        if let checked = staleChecked, Date().timeIntervalSince(checked) < LabelPrinterWorker.staleCheckInterval { return }
        staleChecked = Date()
        let now = ULIDGenerator.systemMilliseconds()
        let cutoff = Timestamp.rfc3339(milliseconds: now - min(now, UInt64(minutes) * 60_000))
        let held = try store.holdStalePrintJobs(printer: config.name, queuedBefore: cutoff,
                                                reason: "queued more than \(minutes) min ago (stale_after_minutes = \(minutes)); "
                                                    + "waits for a person: `lotbox queue release ID` prints it")
        lastPass.stale += held.count
    }
}
