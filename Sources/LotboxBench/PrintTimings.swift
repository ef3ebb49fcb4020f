import Foundation
import LotboxStore

/// Print-on-create as `bench print` measures it, for every lot of one product: from the lot's
/// commit (its created_at) to the printer accepting its label (the job's submitted_at).
struct PrintTimings: Sendable {
    var created: Int
    /// Lots whose label has not reached the printer yet.
    var unprinted: Int
    /// Nanoseconds, one per printed lot (the store keeps milliseconds).
    var latencies: [UInt64]

    static func collect(store: LotStore, product: String, timed: Bool = false) throws -> PrintTimings {
        let lots = try store.lots(LotFilter(productKey: product, limit: Int.max)).map(\.lot)
        var submitted: [String: String] = [:]
        for job in try store.printJobs(limit: Int.max) {
            guard let lot = job.objectId else { continue }
            // A job that failed waits a second or more for its retry: the figure would be the
            // printer's backoff, so the run stops and says why.
            if let reason = job.reason {
                throw BenchError.failed("every label printed at the first attempt; the job of lot \(lot) is \(job.state): \(reason)")
            }
            if let at = job.submittedAt { submitted[lot] = at }
        }
        let printed = lots.filter { submitted[$0.id] != nil }
        guard timed else { return PrintTimings(created: lots.count, unprinted: lots.count - printed.count, latencies: []) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let latencies = try printed.map { lot in
            guard let accepted = submitted[lot.id].flatMap(formatter.date(from:)), let created = formatter.date(from: lot.createdAt) else {
                throw BenchError.missing("timings of lot \(lot.id)")
            }
            return UInt64(max(0, accepted.timeIntervalSince(created)) * 1e9)
        }
        return PrintTimings(created: lots.count, unprinted: lots.count - printed.count, latencies: latencies)
    }

    /// Waits (blocking, `seconds` at most) until every lot's label has reached the printer.
    static func waitForAll(store: LotStore, product: String, seconds: Double) throws -> PrintTimings {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let now = try collect(store: store, product: product)
            if now.unprinted == 0 { return try collect(store: store, product: product, timed: true) }
            guard Date() < deadline else {
                throw BenchError.failed("every label printed within \(Int(seconds)) s after the load; \(now.unprinted) of \(now.created) were not")
            }
            usleep(200_000)
        }
    }
}
