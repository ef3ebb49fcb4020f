import Foundation
import Logging
import LotboxStore

/// One printer's worker on a thread of its own: it prints what is due, then sleeps until woken
/// (a new job) or a second passes (a retry may be due). Stopping lets the job in hand finish:
/// no half-submitted job on shutdown.
final class PrinterThread: @unchecked Sendable {
    private let worker: LabelPrinterWorker
    private let logger: Logger
    private let condition = NSCondition()
    private var woken = false
    private var stopping = false
    private var finished = false
    private var thread: Thread?

    init(worker: LabelPrinterWorker, logger: Logger) {
        self.worker = worker
        self.logger = logger
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

    private func run() {
        worker.warmUp()
        var reported: [String] = []
        while true {
            condition.lock()
            let stop = stopping
            condition.unlock()
            if stop { break }
            do {
                let printed = try worker.drain()
                if printed > 0 { logger.info("printed \(printed) label(s)", metadata: ["printer": "\(worker.config.name)"]) }
            } catch {
                logger.error("printing failed: \(error)", metadata: ["printer": "\(worker.config.name)"])
            }
            if worker.holdReasons != reported {
                reported = worker.holdReasons
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
