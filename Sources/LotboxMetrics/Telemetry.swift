import Foundation
import Metrics
import Synchronization

/// The box's metrics, named in one place (docs/metrics.md lists them): each choke point makes
/// one call here. Through swift-metrics, so nothing is counted until `lotbox serve` bootstraps
/// the Prometheus backend (the CLI's commands never do). Every name has the same labels at every
/// call, in the same order: Prometheus refuses a family mixing label sets.
public enum Telemetry {
    // MARK: - Labels (the store's print queue)

    /// Label jobs queued for a printer (new lots, reprints, receipts).
    public static func labelsQueued(printer: String, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: "lotbox_labels_queued_total", dimensions: [("printer", printer)]).increment(by: count)
    }

    /// A label the printer finished, `seconds` after it was queued.
    public static func labelPrinted(printer: String, seconds: Double) {
        Counter(label: "lotbox_labels_printed_total", dimensions: [("printer", printer)]).increment()
        Timer(label: printSeconds, dimensions: [("printer", printer)]).recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    /// An attempt that failed and will be retried (the printer did not answer, or ended the job).
    public static func labelFailed(printer: String) {
        Counter(label: "lotbox_labels_failed_total", dimensions: [("printer", printer)]).increment()
    }

    /// A job held until a person looks: `reason` is one of a few words (`label-refused`,
    /// `held-by-person`, `half-sent`), never the free text.
    public static func labelHeld(printer: String, reason: String) {
        Counter(label: "lotbox_labels_held_total", dimensions: [("printer", printer), ("reason", reason)]).increment()
    }

    public static let printSeconds = "lotbox_label_print_seconds"

    // MARK: - Scans and stations

    /// A scan written to the scan log: its code's kind and `recognized` or `rejected`.
    public static func scanRecorded(kind: String, outcome: String) {
        Counter(label: "lotbox_scans_total", dimensions: [("kind", kind), ("outcome", outcome)]).increment()
    }

    /// A station's decision on a scan.
    public static func stationDecided(station: String, outcome: String, action: String) {
        Counter(label: "lotbox_station_decisions_total", dimensions: [("station", station), ("outcome", outcome), ("action", action)])
            .increment()
    }

    // MARK: - The API

    /// One request, by its route's template (`/inventory/{id}`, never the path asked: ids would
    /// make a series each), its method and status, and how long it took.
    public static func apiRequest(route: String, method: String, status: Int, seconds: Double) {
        let key = APIRequestKey(route: route, method: method, status: status)
        let handles = apiHandles.withLock { handles in
            if let made = handles[key] { return made }
            let made = (Counter(label: "lotbox_api_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))]),
                        Timer(label: apiSeconds, dimensions: [("route", route), ("method", method)]))
            handles[key] = made
            return made
        }
        handles.0.increment()
        handles.1.recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    /// Forgets the API's handles: called once swift-metrics is bootstrapped, since a handle made
    /// before that counts nowhere.
    public static func forgetHandles() {
        apiHandles.withLock { $0.removeAll() }
    }

    /// The API's counter and timer per route, method and status, made once: making them for each
    /// request looked each up in the registry under its lock. Routes, methods and statuses are
    /// few, so this stays small.
    private static let apiHandles = Mutex<[APIRequestKey: (Counter, Timer)]>([:])

    private struct APIRequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    public static let apiSeconds = "lotbox_api_request_seconds"

    // MARK: - Sampled when scraped

    /// Sets a gauge to what was just measured (sizes, times, states).
    public static func gauge(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        Gauge(label: name, dimensions: labels).record(value)
    }
}
