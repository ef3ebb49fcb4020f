import ArgumentParser
import Foundation
import Logging
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

/// `lotbox station`: the dock and kiosk stations `lotbox serve` runs.
struct StationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "station", abstract: "Stations: their open transfer or sale, a live view, and acting as one.",
                                                    subcommands: [Status.self, Watch.self, Open.self, Scan.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each station's open transfer or sale.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Machine-readable JSON.") var json = false
        func run() throws {
            let (settings, store) = try options.load(readOnly: true)
            let saved = Dictionary(uniqueKeysWithValues: try store.stationStates().map { ($0.station, $0) })
            var rows: [[String: Any]] = []
            for station in settings.stations {
                let state = saved[station.name]
                var row: [String: Any] = ["station": station.name, "kind": station.kind.rawValue,
                                          "employee": state?.employee ?? station.employee ?? NSNull(),
                                          "pending_qty": state?.pendingQuantity ?? NSNull()]
                if let id = state?.transferID, let transfer = try? store.transfer(id) {
                    row["transfer"] = ["id": transfer.id, "from": transfer.sourceLicenseName, "packages": transfer.openItems.count,
                                       "counted": transfer.openItems.filter { $0.counted > 0 }.count]
                }
                if let id = state?.saleID, let sale = try? store.sale(id), sale.isOpen {
                    row["sale"] = ["id": sale.id, "lines": sale.lines.count, "subtotal": Fixed4(units: sale.subtotal).decimalText,
                                   "age_check": sale.ageCheck ?? NSNull()]
                }
                rows.append(row)
            }
            if json { return Output.json(rows) }
            Output.table(["STATION", "KIND", "OPEN", "DETAIL"], rows.map { row in
                let transfer = row["transfer"] as? [String: Any]
                let sale = row["sale"] as? [String: Any]
                let open = (transfer?["id"] ?? sale?["id"]).map { "\($0)" } ?? "-"
                let detail = transfer.map { "\($0["counted"] ?? 0) of \($0["packages"] ?? 0) packages counted, from \($0["from"] ?? "")" }
                    ?? sale.map { "\($0["lines"] ?? 0) line(s), subtotal \(StationCommand.retail($0["subtotal"]))" } ?? ""
                return [row["station"] as? String ?? "", row["kind"] as? String ?? "", open, detail]
            })
        }
    }

    /// Retail money to the cent, as the receipt prints it: "$105.00", never "$105.0000".
    static func retail(_ decimal: Any?) -> String {
        guard let text = decimal as? String, let amount = try? Fixed4(parsing: text, allowNegative: true) else { return "$0.00" }
        return Money(amount: amount).description
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each scan's outcome as it happens (a bell on a refusal); Ctrl+C stops.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Only this station.") var station: String?
        @Option(help: "Also show this many earlier decisions.") var last: Int = 0
        @Option(help: "Stop after this many decisions (for scripts).") var count: Int?
        @Flag(name: .customLong("no-bell"), help: "No terminal bell on a refusal.") var noBell = false
        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count \(count) must be at least 1") }
            guard last >= 0 else { throw ValidationError("--last \(last) must be zero or more") }
        }
        func run() throws {
            let store = try options.openStore(readOnly: true)
            let zone = options.timeZone(store)
            var cursor = max(0, try store.lastStationEventID() - Int64(max(0, last)))
            var shown = 0
            while count.map({ shown < $0 }) ?? true {
                let events = try store.stationEvents(after: cursor, station: station, limit: 200)
                for event in events {
                    cursor = event.id ?? cursor
                    if count.map({ shown >= $0 }) ?? false { break }
                    shown += 1
                    if options.json {
                        Output.json(["id": event.id ?? 0, "station": event.station, "outcome": event.outcome.rawValue, "action": event.action,
                                     "message": event.message, "scan": event.scanLogID ?? NSNull(), "at": event.createdAt ?? ""])
                    } else {
                        let mark = event.outcome == .refused ? "REFUSED" : event.outcome == .accepted ? "ok" : "."
                        let bell = event.outcome == .refused && !noBell ? "\u{07}" : ""
                        print("\(bell)\(event.createdAt.flatMap { zone.localTime(of: $0, seconds: true) }?.dropFirst(11) ?? "")  \(event.station)  \(mark)  \(event.message)")
                    }
                    fflush(nil)
                }
                if events.isEmpty { usleep(100_000) }
            }
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a transfer at a dock (as scanning its manifest does).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The dock station.") var station: String
        @Argument(help: "The transfer id.") var transfer: String
        func run() throws {
            let (settings, store) = try options.load()
            let config = try options.station(station, in: settings)
            guard config.kind == .dock else { throw ValidationError("station '\(station)' is a \(config.kind.rawValue), not a dock") }
            let event = try DockStation(config: config, store: store).open(transfer)
            guard event.outcome != .refused else { throw ValidationError(event.message) }
            print(event.message)
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Feed a code to a station as if scanned (for set-up and scripts); prints its decision.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The station.") var station: String
        @Argument(help: "What was scanned (a tag, a lot id, a UPC, LOTBOX:PAY...).") var code: String
        func run() throws {
            let (settings, store) = try options.load()
            let config = try options.station(station, in: settings)
            let router = StationRouter(configs: [config], store: store, logger: Logger(label: "lotbox.station"))
            let recorder = ScanRecorder(store: store, station: station, ageCheck: config.ageChecker(in: options.timeZone(settings, store)))
            let scan = try recorder.record(ScanInput(device: "cli", path: "-", frame: ScanFrame(bytes: Array(code.utf8))))
            var decision: StationEvent?
            _ = try router.withStation(station) { decision = $0.handle(scan) }
            guard let decision else { throw ValidationError("station '\(station)' is not configured") }
            guard decision.outcome != .refused else {
                Output.stderr("lotbox: refused: \(decision.message)")
                throw ExitCode(ExitStatus.scanRefused.rawValue)
            }
            print(decision.message)
        }
    }
}
