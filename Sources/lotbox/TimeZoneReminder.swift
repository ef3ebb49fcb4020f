import Logging
import ServiceLifecycle

/// While `serve` runs without the shop's time zone, says so again every hour: a warning logged
/// once at start scrolls out of the journal long before anyone reads a wrong date on a label.
/// The process keeps the zone it started with, so the reminder stays true until a restart.
struct TimeZoneReminder: Service {
    let warnings: [String]
    let logger: Logger
    var interval: Duration = .seconds(3600)

    /// Runs until `serve` shuts down (a service that returns early would stop the whole group).
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            for warning in warnings { logger.critical("\(warning) (restart lotbox serve after setting it)") }
        }
    }
}
