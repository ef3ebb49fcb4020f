import ArgumentParser
import Foundation
import LotboxBench
import Logging

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure a capability; prints one JSON line of figures.",
        subcommands: [Store.self, ULIDs.self])

    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "store", abstract: "Lot creation and lookups on a large store.")
        @Option(help: "Plain lots created in batches.") var lots: Int = 1_000_000
        @Option(help: "Lots with a METRC tag created in batches (looked up by tag).") var tagged: Int = 100_000
        @Option(help: "Durable single-lot creations.") var durable: Int = 3_000
        @Option(help: "Lookups of each kind.") var lookups: Int = 20_000
        @Option(help: "Folder for the scratch store (default: the temporary folder).") var dir: String?

        func run() throws {
            guard lots > 0, tagged > 0, durable > 0, lookups > 0 else {
                throw ValidationError("--lots, --tagged, --durable and --lookups must be above zero")
            }
            LoggingSystem.bootstrapOnce()
            print(try StoreBenchmark(lots: lots, tagged: tagged, durable: durable, lookups: lookups,
                                     folder: dir ?? FileManager.default.temporaryDirectory.path).run())
        }
    }

    struct ULIDs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ulid", abstract: "ULIDs issued per second.")
        @Option(help: "IDs to issue.") var count: Int = 5_000_000

        func run() throws {
            guard count > 0 else { throw ValidationError("--count must be above zero") }
            print(try ULIDBenchmark(count: count).run())
        }
    }
}
