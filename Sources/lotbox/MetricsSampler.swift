import Foundation
import LotboxConfig
import LotboxCore
import LotboxMetrics
import LotboxPrinting
import LotboxStore
import Synchronization

/// What `/metrics` measures at each scrape rather than counts as it happens: the store's files,
/// the ULID clock, the label queue's depth, each printer's state (asked at most every 15 s, 2 s
/// each at most: a scrape must not wait on a dead printer for long) and the last good backup.
final class MetricsSampler: Sendable {
    let store: LotStore
    let settings: ServeConfig
    /// The last printer answers and when they were asked; the reasons set to 1 last time, so a
    /// cleared reason goes back to 0 rather than staying at 1.
    private let printers = Mutex<(askedAt: Date, up: [String: Bool], reasons: [String: Set<String>])>((.distantPast, [:], [:]))

    init(store: LotStore, settings: ServeConfig) {
        self.store = store
        self.settings = settings
    }

    func sample() {
        let sizes = store.fileSizes()
        Telemetry.gauge("lotbox_store_bytes", [("file", "database")], Double(sizes.database))
        Telemetry.gauge("lotbox_store_bytes", [("file", "wal")], Double(sizes.wal))
        let now = Double(ULIDGenerator.systemMilliseconds()) / 1000
        let mark = ((try? store.ulidMarkMilliseconds()) ?? nil).map { Double($0) / 1000 } ?? 0
        Telemetry.gauge("lotbox_ulid_mark_timestamp_seconds", [], mark)
        Telemetry.gauge("lotbox_clock_behind_mark_seconds", [], max(0, mark - now))
        Telemetry.gauge("lotbox_clock_ok", [], store.checkClock().isOK ? 1 : 0)
        sampleQueue()
        samplePrinters()
        let folder = BackupFolder(settings.backup.folder)
        Telemetry.gauge("lotbox_backup_last_good_timestamp_seconds", [], folder.lastGood()?.verifiedAt?.timeIntervalSince1970 ?? 0)
        Telemetry.gauge("lotbox_backup_last_run_failed", [], folder.lastFailure() == nil ? 0 : 1)
        if settings.upstream != nil { sampleUpstream() }
    }

    /// The outbox: events waiting and held, how old the oldest waiting one is, and whether the
    /// upstream answered when the worker last tried.
    private func sampleUpstream() {
        guard let summary = try? store.outboxSummary() else { return }
        Telemetry.gauge("lotbox_sync_waiting_events", [], Double(summary.waiting))
        Telemetry.gauge("lotbox_sync_held_events", [], Double(summary.held))
        let oldest = summary.oldestWaitingAt.flatMap(Self.instant)
        Telemetry.gauge("lotbox_sync_lag_seconds", [], oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
        Telemetry.gauge("lotbox_sync_upstream_up", [], summary.reachable == true ? 1 : 0)
    }

    /// The store's RFC 3339 instants, with or without fractions of a second.
    static func instant(_ text: String) -> Date? {
        let withFractions = ISO8601DateFormatter()
        withFractions.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFractions.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    private func sampleQueue() {
        var depth: [String: [String: Int]] = [:]
        for printer in settings.printers { depth[printer.name] = [:] }
        for row in (try? store.printQueueDepth()) ?? [] { depth[row.printer, default: [:]][row.state] = row.count }
        for (printer, states) in depth {
            for state in ["queued", "submitted", "held"] {
                Telemetry.gauge("lotbox_label_queue_depth", [("printer", printer), ("state", state)], Double(states[state] ?? 0))
            }
        }
    }

    private func samplePrinters() {
        let due = printers.withLock { Date().timeIntervalSince($0.askedAt) > 15 }
        if due {
            var up: [String: Bool] = [:]
            var reasons: [String: Set<String>] = [:]
            for printer in settings.printers {
                let status = try? printer.currentStatus(timeout: 2)
                up[printer.name] = status != nil
                reasons[printer.name] = Set(status?.conditions ?? [])
            }
            let before = printers.withLock { state -> [String: Set<String>] in
                defer { state = (Date(), up, reasons) }
                return state.reasons
            }
            for (printer, old) in before {
                for reason in old.subtracting(reasons[printer] ?? []) {
                    Telemetry.gauge("lotbox_printer_state_reason", [("printer", printer), ("reason", reason)], 0)
                }
            }
        }
        let (up, reasons) = printers.withLock { ($0.up, $0.reasons) }
        for (printer, answers) in up { Telemetry.gauge("lotbox_printer_up", [("printer", printer)], answers ? 1 : 0) }
        for (printer, set) in reasons {
            for reason in set { Telemetry.gauge("lotbox_printer_state_reason", [("printer", printer), ("reason", reason)], 1) }
        }
    }
}
