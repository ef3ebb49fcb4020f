import Foundation
import Logging
import LotboxScanning
import LotboxStore

/// Hands each recorded scan to its station on the reader's own thread: a station's store writes
/// block, and stay off the shared concurrency pool like the reads. What keeps two scans at one
/// station from acting on the same state is each scan's own IMMEDIATE transaction (see
/// `Station.handle`), across processes too; the lock per station only spares this process's
/// scanners from queueing on SQLite's busy wait.
public final class StationRouter: Sendable {
    let stations: [String: any Station]
    private let locks: [String: NSLock]
    let logger: Logger
    /// Called with every decision, after it is saved (for logs and tests).
    let decided: @Sendable (StationEvent) -> Void

    public init(configs: [StationConfig], store: LotStore, logger: Logger,
                decided: @escaping @Sendable (StationEvent) -> Void = { _ in }) {
        var stations: [String: any Station] = [:]
        for config in configs {
            switch config.kind {
            case .dock: stations[config.name] = DockStation(config: config, store: store)
            case .kiosk: stations[config.name] = KioskStation(config: config, store: store)
            }
        }
        self.stations = stations
        self.locks = stations.mapValues { _ in NSLock() }
        self.logger = logger
        self.decided = decided
    }

    /// The station a scan goes to, if it names one this router has.
    public func deliver(_ scan: RecordedScan) {
        guard let name = scan.station, let station = stations[name], let lock = locks[name] else {
            if let name = scan.station { logger.warning("scan \(scan.id) names station '\(name)', which is not configured") }
            return
        }
        let event = lock.withLock { station.handle(scan) }
        let metadata: Logger.Metadata = ["station": "\(name)", "scan": "\(scan.id)"]
        switch event.outcome {
        case .refused: logger.warning("refused: \(event.message)", metadata: metadata)
        default: logger.info("\(event.message)", metadata: metadata)
        }
        decided(event)
    }

    /// At a start, before any scanner is read: acts on or expires each station's scans that were
    /// recorded but not acted on (see `Station.settleUnactedScans`).
    public func settleUnactedScans() {
        for (name, station) in stations.sorted(by: { $0.key < $1.key }) {
            guard let lock = locks[name] else { continue }
            for event in lock.withLock({ station.settleUnactedScans() }) {
                let metadata: Logger.Metadata = ["station": "\(name)", "scan": "\(event.scanLogID.map(String.init) ?? "-")"]
                switch event.outcome {
                case .refused: logger.warning("\(event.action): \(event.message)", metadata: metadata)
                default: logger.notice("\(event.message)", metadata: metadata)
                }
                decided(event)
            }
        }
    }

    /// Runs `body` with a station under its lock.
    public func withStation<T>(_ name: String, _ body: (any Station) throws -> T) throws -> T? {
        guard let station = stations[name], let lock = locks[name] else { return nil }
        return try lock.withLock { try body(station) }
    }
}
