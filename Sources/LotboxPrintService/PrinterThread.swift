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
        var reported: [String] = []
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
            if worker.holdReasons != reported {
                reported = worker.holdReasons
                holds.set(worker.config.name, reported)
                if reported.isEmpty {
                    logger.info("printer ready again", metadata: ["printer": "\(worker.config.name)"])
                } else {
                    logger.warning("printer cannot print (\(reported.joined(separator: ", "))); its labels wait",
                                   metadata: ["printer": "\(worker.config.name)"])
                }
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
