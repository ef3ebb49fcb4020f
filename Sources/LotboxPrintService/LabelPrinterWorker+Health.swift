import Foundation
import LotboxPrinting

/// An IPP printer's or CUPS queue's own word on whether it can print (media-empty, cover-open,
/// paused, offline-report, connecting-to-device, timed-out, a queue stopped or not accepting):
/// while it says no, its labels stay queued in lotbox, untouched (not failed, not sent to sit in
/// a stopped queue), and `holdReasons` says why; PrinterThread logs each change once. The same
/// as a socket printer's `~HS` (LabelPrinterWorker+Socket).
extension LabelPrinterWorker {
    /// True when the printer may be sent labels now. Asked at most every `statusInterval` while
    /// things go well, every pass while it holds. A printer that does not answer is not held
    /// here: the send that follows finds that out and its labels wait for a retry, as before.
    func ippReady() -> Bool {
        if holdReasons.isEmpty, let checked = ippChecked, Date().timeIntervalSince(checked) < LabelPrinterWorker.statusInterval {
            return true
        }
        let status: PrinterStatus
        do {
            status = try connection().status()
        } catch {
            printer = nil
            holdReasons = []
            ippChecked = nil
            return true
        }
        ippChecked = Date()
        loadedMedia = status
        checkMediaWarning()
        holdReasons = status.holdReasons
        return holdReasons.isEmpty
    }
}
