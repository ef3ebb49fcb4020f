import Foundation
import LotboxStore

/// The printers' screen for a manager (`/printers`): each configured printer as it is now (asked
/// when the page is drawn, as `printer status` asks), whether it holds its labels and why (the
/// print worker's own view, which `/events` sends as `event: printer` when it changes), and how
/// many labels wait for it. The page draws this part again on each such event: no polling.
enum PrintersPage {
    struct Screen: Sendable {
        let printers: [PrinterSummary]
        let states: [String: PrinterState]
        let holds: [String: [String]]
        let waiting: [(printer: String, state: String, count: Int)]
    }

    /// Managers and admins (and a program's session), as the print queue.
    static func allow(_ caller: Caller) throws {
        try caller.requireManager("the printers' screen")
    }

    /// Asks every printer how it is: a network round trip each (at most 5 s), on the store's threads.
    static func screen(_ services: APIServices) async throws -> Screen {
        guard let desk = services.labels else { return Screen(printers: [], states: [:], holds: [:], waiting: []) }
        return try await services.threads.run {
            try Screen(printers: desk.printers, states: desk.printerStates(), holds: desk.printerHolds(), waiting: services.store.printQueueDepth())
        }
    }

    static func values(_ screen: Screen) -> [String: Any] {
        let rows = screen.printers.map { printer -> [String: Any] in
            let state = screen.states[printer.name]
            let held = screen.holds[printer.name] ?? []
            let waiting = screen.waiting.filter { $0.printer == printer.name }
            let count = { (name: String) in waiting.first { $0.state == name }?.count ?? 0 }
            let reasons = (state?.reasons ?? []).filter { $0 != "none" }
            return ["name": printer.name, "template": printer.template, "dpi": printer.dpi,
                    "state": state?.state ?? "unknown", "reasons": reasons.map(reasonWord), "has_reasons": !reasons.isEmpty,
                    "held": !held.isEmpty, "hold_reasons": held.map(reasonWord).joined(separator: ", "), "hold_codes": held.joined(separator: " "),
                    "queued": count("queued") + count("submitted"), "held_jobs": count("held"),
                    "ok": held.isEmpty && !["stopped", "unreachable"].contains(state?.state ?? "")]
        }
        return ["printers": rows, "none": rows.isEmpty]
    }

    /// An IPP or CUPS reason as a person reads it, with the code kept for who looks it up.
    static func reasonWord(_ code: String) -> String {
        let base = code.replacingOccurrences(of: "-error", with: "").replacingOccurrences(of: "-warning", with: "")
            .replacingOccurrences(of: "-report", with: "")
        let words: [String: String] = [
            "media-empty": "out of labels", "media-needed": "out of labels", "media-jam": "labels jammed", "cover-open": "cover open",
            "door-open": "door open", "paused": "paused", "offline": "offline", "connecting-to-device": "connecting",
            "timed-out": "not answering", "shutdown": "switched off", "media-low": "labels running low", "marker-supply-low": "ribbon low",
            "not-accepting-jobs": "not accepting jobs", "stopped": "stopped", "toner-empty": "ribbon out", "marker-supply-empty": "ribbon out",
        ]
        guard let word = words[base], word != code else { return code }
        return "\(word) (\(code))"
    }
}
