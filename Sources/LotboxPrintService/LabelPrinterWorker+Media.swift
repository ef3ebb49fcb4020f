import Foundation
import LotboxLabels
import LotboxPrinting
import LotboxStore

/// A printer that reports other stock loaded than a template's (MediaFit) holds that template's
/// labels with the reason ("4x6 in loaded; lot-2x1 needs 2x1 in") until the right media is loaded
/// (they are let go by themselves) or a person releases them (they print on the loaded stock and
/// are not held again). A printer or CUPS queue that reports nothing loaded is not second-guessed:
/// `mediaWarning` says so once, and its labels print.
extension LabelPrinterWorker {
    /// Holds the due jobs of `template` if the loaded media does not fit it. True when any were held.
    func holdForMedia(template name: String) throws -> Bool {
        guard let status = loadedMedia, let template = try? loadedTemplate(name),
              case .mismatch(let reason) = MediaFit.of(template, on: status, dpi: config.dpi) else { return false }
        let held = try store.holdPrintJobsForMedia(printer: config.name, template: name, reason: reason + LotStore.mediaHoldMark)
        lastPass.mediaHeld += held
        if held > 0 { mediaHolds[name] = reason }
        return held > 0
    }

    /// Lets go of labels held for media that is loaded now. Asks the printer every pass while any
    /// wait (a roll is changed in a minute, and the printer says so at once). Also keeps
    /// `mediaHolds` to what the store holds: a person's release of the last one clears it.
    func releaseLoadedMedia() throws {
        let held = try store.mediaHeldTemplates(printer: config.name)
        guard !held.isEmpty else {
            mediaHolds = [:]
            return
        }
        refreshStatus()
        var still: [String: String] = [:]
        for (name, reason) in held {
            guard let status = loadedMedia, let template = try? loadedTemplate(name) else {
                still[name] = reason
                continue
            }
            switch MediaFit.of(template, on: status, dpi: config.dpi) {
            case .fits:
                try store.releaseMediaHeld(printer: config.name, template: name)
            case .mismatch(let now) where now != reason:
                // Other stock that does not fit either: the reason says what is loaded now.
                try store.restateMediaHold(printer: config.name, template: name, reason: now + LotStore.mediaHoldMark)
                still[name] = now
            default:
                still[name] = reason
            }
        }
        mediaHolds = still
    }

    /// What the printer's own template makes of the loaded media when the printer does not say
    /// what it has: a warning for the log, not a hold. Nil when it fits, or holds (a mismatch is
    /// reported with the labels it holds).
    func checkMediaWarning() {
        guard let status = loadedMedia else {
            mediaWarning = config.isSocket ? "does not answer ~HS: its label length cannot be checked against \(config.template)" : nil
            return
        }
        guard let template = try? loadedTemplate(config.template),
              case .unknown(let why) = MediaFit.of(template, on: status, dpi: config.dpi) else {
            mediaWarning = nil
            return
        }
        mediaWarning = why
    }

    /// Asks the printer how it is now, whatever the last look.
    private func refreshStatus() {
        if config.isSocket {
            guard let uri = config.uri, let printer = try? SocketPrinter(uri: uri, timeout: 5),
                  let answer = try? printer.hostStatus(answerWithin: LabelPrinterWorker.statusWait) else { return }
            socketChecked = Date()
            loadedMedia = answer.printerStatus
            holdReasons = answer.stopsPrinting ? answer.reasons : []
        } else {
            ippChecked = nil
            _ = ippReady()
        }
    }
}
