import ArgumentParser
import Foundation
import LotboxStore
import LotboxSync

/// `lotbox upstream`: the box's key towards its upstream and the outbox that drains to it.
struct UpstreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upstream", abstract: "The upstream OpenTHC API the outbox syncs to: this box's key, the outbox's state.",
        subcommands: [Keygen.self, Status.self, List.self, Retry.self, Skip.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make this box's v2024 client key pair (mode 0600) and print its public key.",
            discussion: "Name the file as client_key_file in [upstream]; list the public key on the upstream under the box's service id. Run it as the user the daemon runs as (lotbox).")
        @Option(help: "Where to write the key pair; an existing file is never replaced.") var out: String
        func run() throws {
            do {
                let key = try ClientKey.create(at: out)
                print(key.publicText)
            } catch {
                throw CommandFailure(.cannotCreate, "\(error)")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The outbox: events waiting (the lag, in events and time), held events with their reasons, the last one sent.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let store = try options.openStore(readOnly: true)
            let summary = try store.outboxSummary()
            let held = try store.outboxHeld()
            if options.json {
                Output.json([
                    "enabled": summary.enabled, "origin": summary.origin.map { $0 as Any } ?? NSNull(),
                    "waiting": summary.waiting, "held": summary.held, "sent": summary.sent,
                    "oldest_waiting_at": summary.oldestWaitingAt.map { $0 as Any } ?? NSNull(),
                    "last_sent_at": summary.lastSentAt.map { $0 as Any } ?? NSNull(),
                    "reachable": summary.reachable.map { $0 as Any } ?? NSNull(),
                    "reach_error": summary.reachError.map { $0 as Any } ?? NSNull(),
                    "reach_changed_at": summary.reachChangedAt.map { $0 as Any } ?? NSNull(),
                    "held_events": held.map(UpstreamCommand.json),
                ])
                return
            }
            print("upstream: \(summary.origin ?? "none (no [upstream] in the config serve runs with: no events are kept)")")
            if summary.enabled {
                let since = summary.reachChangedAt.map { " since \($0)" } ?? ""
                switch summary.reachable {
                case .some(true): print("reachable: yes\(since)")
                case .some(false): print("reachable: NO\(since): \(summary.reachError ?? "")")
                case .none: print("reachable: not tried yet (is `lotbox serve` running?)")
                }
            }
            print("waiting: \(summary.waiting) events\(summary.oldestWaitingAt.map { ", the oldest from \($0)" } ?? "")")
            print("held: \(summary.held)")
            print("sent: \(summary.sent), the last at \(summary.lastSentAt ?? "never")")
            for event in held { print("held \(event.id) \(event.kind) \(event.objectId) \(event.action): \(event.reason ?? "")") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the outbox's waiting events, oldest first (--held: only those the upstream refused).")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Only held events, with the upstream's reason.") var held = false
        @Option(help: "At most this many.") var limit: Int = 100
        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit \(limit) is out of range; expected 1 to 100000") }
        }
        func run() throws {
            let store = try options.openStore(readOnly: true)
            let events = held ? Array(try store.outboxHeld().prefix(limit)) : try store.outboxWaiting(limit: limit)
            if options.json {
                Output.json(events.map(UpstreamCommand.json))
                return
            }
            Output.table(["ID", "KIND", "OBJECT", "ACTION", "STATE", "AT", "REASON"], events.map {
                ["\($0.id)", $0.kind, $0.objectId, $0.action + ($0.ref.map { " \($0)" } ?? ""), $0.state, $0.createdAt, $0.reason ?? ""]
            })
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a held event again (after fixing what the upstream refused). Audited.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The held event's id (`lotbox upstream list --held`).") var id: Int64
        func run() throws {
            let store = try options.openStore()
            try store.retryOutbox(id, actor: "cli")
            print("event \(id) goes again on the worker's next pass")
        }
    }

    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give up on a held event: the upstream will not have it; what it held flows on. Audited.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The held event's id (`lotbox upstream list --held`).") var id: Int64
        func run() throws {
            let store = try options.openStore()
            try store.skipOutbox(id, actor: "cli")
            print("event \(id) skipped")
        }
    }

    static func json(_ event: OutboxEvent) -> [String: Any] {
        ["id": event.id, "kind": event.kind, "object_id": event.objectId, "action": event.action,
         "ref": event.ref.map { $0 as Any } ?? NSNull(), "state": event.state, "reason": event.reason.map { $0 as Any } ?? NSNull(),
         "hold_scope": event.holdScope.map { $0 as Any } ?? NSNull(), "created_at": event.createdAt]
    }
}
