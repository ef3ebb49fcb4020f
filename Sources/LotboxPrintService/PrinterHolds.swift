import Foundation

/// What each printer's thread last reported holding its labels for (empty: nothing), read by
/// other threads: the API's /events stream tells screens as it changes. Locked: each printer
/// thread writes its own entry, readers take a copy.
public final class PrinterHolds: @unchecked Sendable {
    private let lock = NSLock()
    private var reasons: [String: [String]] = [:]

    public init() {}

    /// Each configured printer's reasons (empty when it prints), as last reported.
    public func snapshot() -> [String: [String]] {
        lock.withLock { reasons }
    }

    func set(_ printer: String, _ now: [String]) {
        lock.withLock { reasons[printer] = now }
    }
}
