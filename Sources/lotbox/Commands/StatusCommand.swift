import ArgumentParser
import Foundation
import LotboxStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the store, its counts, the ULID mark and the clock.")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let status = try options.openStore(readOnly: true).status()
        if options.json {
            Output.json([
                "path": status.path, "schema": status.schema, "ulid_mark": status.ulidMark.map { $0 as Any } ?? NSNull(),
                "cursor": status.cursor, "clock": status.clock.description, "clock_ok": status.clock.isOK,
                "counts": Dictionary(uniqueKeysWithValues: status.counts.map { ($0.table, $0.count) }),
            ])
        } else {
            print("store: \(status.path)")
            print("schema: \(status.schema.joined(separator: ", "))")
            print("clock: \(status.clock.isOK ? "ok" : "WRONG: \(status.clock)")")
            print("ulid mark: \(status.ulidMark ?? "none issued yet")")
            print("change feed cursor: \(status.cursor)")
            for (table, count) in status.counts { print("\(table): \(count)") }
        }
    }
}

