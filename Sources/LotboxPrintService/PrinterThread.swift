import Foundation
import Logging
import LotboxStore

/// One printer's worker on a thread of its own: it prints what is due, then sleeps until woken
/// (a new job) or a second passes (a retry may be due). Stopping lets the job in hand finish:
/// no half-submitted job on shutdown.
final class PrinterThread: @unchecked Sendable {
    private let worker: LabelPrinterWorker
    private let logger: Logger
    private let holds: PrinterHolds
    private let condition = NSCondition()
    private var woken = false
    private var stopping = false
    private var finished = false
    private var thread: Thread?

    init(worker: LabelPrinterWorker, logger: Logger, holds: PrinterHolds = PrinterHolds()) {
        self.worker = worker
        self.logger = logger
        self.holds = holds
        holds.set(worker.config.name, [])
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "lotbox-printer-\(worker.config.name)"
        self.thread = thread
        thread.start()
    }

    func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Asks the thread to stop and waits until it has.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// One line for each thing a pass did. "printed" only for labels whose job the printer (or
    /// CUPS) completed: a label handed to a queue may wait there, and a held one never printed.
    private func report(_ pass: LabelPrinterWorker.Pass) {
        let metadata: Logger.Metadata = ["printer": "\(worker.config.name)"]
        if pass.printed > 0 { logger.info("printed \(pass.printed) label(s)", metadata: metadata) }
        if pass.handedToQueue > 0, let queue = worker.config.queue {
            logger.info("sent \(pass.handedToQueue) label(s) to CUPS queue '\(queue)'; printed when it completes them", metadata: metadata)
        }
        if pass.stale > 0 {
            logger.warning("held \(pass.stale) label(s) queued longer ago than stale_after_minutes; they wait for a person: `lotbox queue release ID`",
                           metadata: metadata)
        }
        if pass.held > 0 {
            logger.warning("held \(pass.held) label(s) that cannot be printed as they are; `lotbox queue list --state held` says why", metadata: metadata)
        }
    }

    private func run() {
        worker.warmUp()
        var reported: (printer: [String], media: [String: String], warning: String?, published: [String]) = ([], [:], nil, [])
        while true {
            condition.lock()
            let stop = stopping
            condition.unlock()
            if stop { break }
            do {
                try worker.drain()
                report(worker.lastPass)
            } catch {
                report(worker.lastPass)
                logger.error("printing failed: \(error)", metadata: ["printer": "\(worker.config.name)"])
            }
            let metadata: Logger.Metadata = ["printer": "\(worker.config.name)"]
            if worker.holdReasons != reported.printer {
                reported.printer = worker.holdReasons
                if reported.printer.isEmpty {
                    logger.info("printer ready again", metadata: metadata)
                } else {
                    logger.warning("printer cannot print (\(reported.printer.joined(separator: ", "))); its labels wait", metadata: metadata)
                }
            }
            if worker.mediaHolds != reported.media {
                for (template, reason) in worker.mediaHolds.sorted(by: { $0.key < $1.key }) where reported.media[template] != reason {
                    logger.warning("holding \(template) labels: \(reason); they print when it is loaded, or when a person releases them (`lotbox queue release ID`)",
                                   metadata: metadata)
                }
                for template in reported.media.keys.sorted() where worker.mediaHolds[template] == nil {
                    logger.info("no \(template) labels held for media any more", metadata: metadata)
                }
                reported.media = worker.mediaHolds
            }
            if worker.mediaWarning != reported.warning {
                reported.warning = worker.mediaWarning
                if let warning = reported.warning { logger.warning("printer \(warning)", metadata: metadata) }
            }
            // What screens are told on /events: the printer's own reasons, then each media hold.
            let published = reported.printer + reported.media.sorted(by: { $0.key < $1.key }).map { "media-mismatch: \($0.value)" }
            if published != reported.published {
                reported.published = published
                holds.set(worker.config.name, published)
            }
            condition.lock()
            if !woken && !stopping { _ = condition.wait(until: Date().addingTimeInterval(1)) }
            woken = false
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
