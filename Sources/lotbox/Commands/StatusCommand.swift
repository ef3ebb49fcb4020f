import ArgumentParser
import Foundation
import LotboxScanning
import LotboxStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the store, its counts, the ULID mark and the clock.")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.openStore(readOnly: true)
        let status = try store.status()
        let zone = try store.timeZoneName()
        // An older store opened read-only has no outbox yet: nothing to show then.
        let outbox = try? store.outboxSummary()
        // The daemon's scanners, when a daemon is running on this store: a scanner it cannot
        // take for itself is an error, shown as one.
        let daemon = ScannerStateFile.read(forStore: status.path).flatMap { $0.daemonRunning ? $0 : nil }
        if options.json {
            Output.json([
                "path": status.path, "schema": status.schema, "ulid_mark": status.ulidMark.map { $0 as Any } ?? NSNull(),
                "cursor": status.cursor, "clock": status.clock.description, "clock_ok": status.clock.isOK,
                "time_zone": zone.map { $0 as Any } ?? NSNull(),
                "upstream": outbox.flatMap { $0.enabled ? $0 : nil }.map { ["origin": $0.origin ?? "", "waiting": $0.waiting, "held": $0.held,
                                                                           "oldest_waiting_at": $0.oldestWaitingAt.map { $0 as Any } ?? NSNull(),
                                                                           "last_sent_at": $0.lastSentAt.map { $0 as Any } ?? NSNull()] as Any } ?? NSNull(),
                "counts": Dictionary(uniqueKeysWithValues: status.counts.map { ($0.table, $0.count) }),
                "daemon": daemon.map { ["pid": Int($0.pid), "scanners": $0.scanners.map { row -> [String: Any] in
                    ["name": row.name, "path": row.path, "state": row.state, "reason": row.reason.map { $0 as Any } ?? NSNull()]
                }] as Any } ?? NSNull(),
            ])
        } else {
            print("store: \(status.path)")
            print("schema: \(status.schema.joined(separator: ", "))")
            print("clock: \(status.clock.isOK ? "ok" : "WRONG: \(status.clock)")")
            print("time zone: \(zone ?? "NOT SET (dates are UTC; set it with `lotbox settings time-zone NAME`)")")
            print("ulid mark: \(status.ulidMark ?? "none issued yet")")
            print("change feed cursor: \(status.cursor)")
            for (table, count) in status.counts { print("\(table): \(count)") }
            if let outbox, outbox.enabled {
                print("upstream: \(outbox.origin ?? ""): \(outbox.waiting) events waiting\(outbox.oldestWaitingAt.map { " (oldest \($0))" } ?? ""), \(outbox.held) held; last sent \(outbox.lastSentAt ?? "never")")
            }
            if let daemon {
                print("daemon: running (pid \(daemon.pid))")
                for row in daemon.scanners {
                    let level = row.state == "held" ? "ERROR " : ""
                    print("scanner \(row.name): \(level)\(row.state)\(row.reason.map { ": \($0)" } ?? "")")
                }
            } else {
                print("daemon: not running")
            }
        }
    }
}

