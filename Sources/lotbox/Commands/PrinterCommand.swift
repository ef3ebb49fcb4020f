import ArgumentParser
import Foundation
import LotboxConfig
import LotboxPrintService
import LotboxPrinting

struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "printer", abstract: "Configured printers.",
                                                    subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask each configured printer how it is (state, reasons, formats).")
        @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"
        @Flag var json = false

        func run() throws {
            let settings = try ServeConfig.load(config)
            var rows: [[String: Any]] = []
            for printer in settings.printers {
                var row: [String: Any] = ["name": printer.name, "where": printer.uri ?? printer.queue ?? ""]
                do {
                    let status = try printer.currentStatus(timeout: 5)
                    row["state"] = status.state
                    row["reasons"] = status.reasons
                    row["formats"] = status.documentFormats
                    row["accepting"] = status.isAcceptingJobs
                    if let length = status.labelLengthDots { row["label_length_dots"] = length }
                } catch {
                    row["state"] = "unreachable"
                    row["error"] = error.description
                }
                rows.append(row)
            }
            if json { return Output.json(rows) }
            Output.table(["PRINTER", "STATE", "REASONS", "WHERE"], rows.map { row in
                [row["name"] as? String ?? "", row["state"] as? String ?? "",
                 (row["reasons"] as? [String])?.joined(separator: ",") ?? (row["error"] as? String ?? ""), row["where"] as? String ?? ""]
            })
        }
    }
}
