import ArgumentParser
import Foundation
import LotboxBench
import Logging

extension BenchCommand {
    /// `lotbox bench sync`: the outbox's drain rate to a loopback upstream and its cost on the hot path.
    struct Sync: AsyncParsableCommand, AsyncRunnable {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Outbox events drained a second from a backlog to a lotbox upstream on loopback; durable lot creations a second with the outbox on and off.")
        @Option(help: "Events in the backlog (lot creations; default 100,000, 2,000 with --quick).") var events: Int?
        @Option(help: "Durable single-lot creations timed, half with the outbox on, half off (default 2,000; 200 with --quick).") var lots: Int?
        @Option(help: "Folder for the scratch stores (default: the temporary folder).") var dir: String?
        @Flag(help: "A smoke test: a small backlog.") var quick = false

        func validate() throws {
            for (name, value) in [("--events", events), ("--lots", lots)] {
                if let value, value <= 0 { throw ValidationError("\(name) \(value) is not above zero; expected a whole number of at least 1") }
            }
        }

        func run() async throws { try await runAsync() }

        func runAsync() async throws {
            LoggingSystem.bootstrapOnce()
            let folder = dir ?? FileManager.default.temporaryDirectory.path
            print(try await SyncBenchmark(events: events ?? (quick ? 2_000 : 100_000), lots: lots ?? (quick ? 200 : 2_000), folder: folder).run())
        }
    }
}
