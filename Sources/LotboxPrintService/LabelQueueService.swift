import Foundation
import Logging
import LotboxStore
import ServiceLifecycle

/// Why the queue looks at the feed: a file event (any process; maybe only a read), a commit of
/// this process's own writes (the API, pages, stations), or the slow fallback.
enum Wake: Sendable { case changed, committed, tick }

/// Print-on-create: watches the store, turns every new lot in the change feed into label jobs
/// (cursor and jobs in one transaction), and wakes each printer's thread to print them.
public struct LabelQueueService: Service {
    let config: LabelQueueSettings
    let store: LotStore
    let logger: Logger
    /// Why each printer holds its labels now, for the API's /events.
    public let holds: PrinterHolds

    public init(config: LabelQueueSettings, store: LotStore, logger: Logger, holds: PrinterHolds = PrinterHolds()) {
        self.config = config
        self.store = store
        self.logger = logger
        self.holds = holds
    }

    public func run() async throws {
        let printers = config.printers.map { printer in
            PrinterThread(worker: LabelPrinterWorker(config: printer, store: store, templates: config.templates, timeZone: config.timeZone), logger: logger, holds: holds)
        }
        printers.forEach { $0.start() }
        // A file event may be a commit or only a reader touching the WAL index: `.changed` is
        // checked with the commit probe; `.committed` and `.tick` (the slow fallback) always look.
        let (changes, continuation) = AsyncStream.makeStream(of: Wake.self, bufferingPolicy: .bufferingNewest(2))
        let probe = try? store.commitProbe()
        // This process's own commits are told directly: their file events come before the
        // commit is visible (see CommitSignal), and would often be probed too early.
        let listener = store.commits.listen { continuation.yield(.committed) }
        defer { store.commits.stopListening(listener) }
        // The feed is read and the jobs written here, never on the shared pool: a write waits for its fsync.
        let lane = StoreLane(label: "lotbox.labels.store")
        var watcher: StoreWatcher?
        do {
            watcher = try StoreWatcher(path: store.path) { continuation.yield(.changed) }
        } catch {
            logger.warning("cannot watch the store (\(error)); looking for new lots every second instead")
        }
        // A slow fallback in case a write slipped past inotify (another mount, a copied file);
        // without inotify, the only way.
        let interval: Duration = watcher == nil ? min(.seconds(1), config.fallbackInterval) : config.fallbackInterval
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.tick)
            }
        }
        logger.info("serving \(config.printers.count) printer(s) from \(store.path)")
        continuation.yield(.tick)
        for await wake in changes.cancelOnGracefulShutdown() {
            let (config, store, logger) = (config, store, logger)
            let queued = (try? await lane.run { () -> Int in
                if wake == .changed, let probe, !probe.sawCommit() { return 0 }
                do {
                    // A commit that added nothing to the feed (a printer recording a job) needs no write.
                    guard try store.hasUnreadChanges() else { return 0 }
                    let queued = try store.queueNewLots(routes: config.routes, includeImported: config.printImported).count
                    if queued > 0 { logger.info("queued \(queued) label job(s)") }
                    return queued
                } catch {
                    logger.error("cannot read the change feed: \(error)")
                    return 0
                }
            }) ?? 0
            // Printers look when there is news, and on every tick (a retry may be due).
            if queued > 0 || wake == .tick { printers.forEach { $0.wake() } }
        }
        ticker.cancel()
        watcher?.stop()
        // Each printer finishes the job in hand; joined off the concurrency pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let joiner = Thread {
                printers.forEach { $0.stop() }
                done.resume()
            }
            joiner.start()
        }
        logger.info("stopped")
    }
}
