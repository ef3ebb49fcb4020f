import ArgumentParser
import Foundation
import LotboxConfig
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore

struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "printer", abstract: "Configured printers.",
                                                    subcommands: [Status.self, Test.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask each configured printer how it is (state, reasons, formats).")
        @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"
        @Flag var json = false

        func run() throws {
            let settings = try ServeConfig.load(config)
            var rows: [[String: Any]] = []
            // Labels held for a person (stale after an outage, or refused as they are), per printer.
            let held = ((try? LotStore(path: settings.store, readOnly: true))
                .flatMap { try? $0.printJobs(states: ["held"], limit: 100_000) } ?? []).reduce(into: [String: Int]()) { $0[$1.printer, default: 0] += 1 }
            for printer in settings.printers {
                var row: [String: Any] = ["name": printer.name, "where": printer.uri ?? printer.queue ?? "",
                                          "held_labels": held[printer.name] ?? 0]
                do {
                    let status = try printer.currentStatus(timeout: 5)
                    row["state"] = status.state
                    row["reasons"] = status.reasons
                    row["formats"] = status.documentFormats
                    row["accepting"] = status.isAcceptingJobs
                    // What `serve` holds the printer's labels for, until it clears by itself.
                    row["hold_reasons"] = status.holdReasons
                    if let length = status.labelLengthDots { row["label_length_dots"] = length }
                    row["media_ready"] = status.mediaReady
                    if !status.mediaSizesReady.isEmpty {
                        // media-col-ready, in mm: a roll has no length.
                        row["media_sizes_ready_mm"] = status.mediaSizesReady.map { size in
                            size.length.map { "\(Double(size.width) / 100)x\(Double($0) / 100)" } ?? "\(Double(size.width) / 100) roll"
                        }
                    }
                    // Each template routed to the printer against its loaded media (MediaFit): a
                    // mismatch is what `serve` holds those labels for; unknown is a warning.
                    let routed = Set([printer.template] + settings.stations.compactMap(\.receipt).filter { $0.printer == printer.name }.map(\.template))
                    var mismatches: [String] = [], warnings: [String] = []
                    for name in routed.sorted() {
                        guard let template = try? TemplateLoader.load(name, from: settings.templates) else { continue }
                        switch MediaFit.of(template, on: status, dpi: printer.dpi) {
                        case .mismatch(let reason): mismatches.append(reason)
                        case .unknown(let why): warnings.append(why)
                        case .fits: break
                        }
                    }
                    row["media_mismatch"] = mismatches
                    row["media_warnings"] = warnings
                } catch {
                    row["state"] = "unreachable"
                    row["error"] = error.description
                }
                rows.append(row)
            }
            if json { return Output.json(rows) }
            Output.table(["PRINTER", "STATE", "REASONS", "WHERE"], rows.map { row in
                let mismatches = (row["media_mismatch"] as? [String]) ?? []
                let waiting = !((row["hold_reasons"] as? [String]) ?? []).isEmpty || !mismatches.isEmpty
                let heldLabels = row["held_labels"] as? Int ?? 0
                let state = (row["state"] as? String ?? "") + (waiting ? " (labels wait)" : "")
                    + (heldLabels > 0 ? ", \(heldLabels) held for a person (lotbox queue list --state held)" : "")
                return [row["name"] as? String ?? "", state,
                 ((row["reasons"] as? [String]).map { $0 + mismatches + ((row["media_warnings"] as? [String]) ?? []) }?.joined(separator: ", "))
                    ?? (row["error"] as? String ?? ""), row["where"] as? String ?? ""]
            })
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a calibration sheet on a configured printer: edges, centre marks, mm rulers, a darkness ladder, and codes at each X-dimension.",
            discussion: """
                The first label shows where the media's edges and centre fall (set offset_x_mm/offset_y_mm from it) and \
                patches for darkness. Each further label carries a QR code and a Code 128 at one X-dimension and says \
                whether the preflight of the printer's template takes it. The media is what the printer reports \
                loaded, else the template's. With --output the sheet is written to a file instead (.pdf, .pwg or .zpl), \
                laid out on the template's media (the printer is not asked).
                """)
        @Argument(help: "The printer's name in the configuration.") var name: String
        @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"
        @Option(help: "Write the sheet to this file (.pdf, .pwg or .zpl) instead of printing it.") var output: String?

        func run() throws {
            let settings = try ServeConfig.load(config)
            guard let printer = settings.printers.first(where: { $0.name == name }) else {
                let known = settings.printers.map(\.name)
                throw CommandFailure(.usage, "no printer '\(name)' in \(config); expected one of: \(known.isEmpty ? "(none configured)" : known.joined(separator: ", "))")
            }
            if let output {
                let formats = ["pdf": "application/pdf", "pwg": "image/pwg-raster", "zpl": PrinterConfig.zplFormat]
                let suffix = URL(fileURLWithPath: output).pathExtension.lowercased()
                guard let format = formats[suffix] else {
                    throw CommandFailure(.usage, "--output \(output): expected a file ending in .pdf, .pwg or .zpl")
                }
                let template = try TemplateLoader.load(printer.template, from: settings.templates)
                let pages = try CalibrationSheet.pages(title: printer.name, media: template.media, dpi: printer.dpi, judgedBy: template)
                let document = try printer.encode(pages.map(\.label), media: template.media, format: format, tracking: template.mediaTracking)
                try Output.writeFile(document, to: output)
                report(pages, header: "wrote \(pages.count) labels to \(output) (\(template.media.name) from template \(template.name), \(printer.dpi) dpi)")
                return
            }
            let printed = try printer.printTest(templates: settings.templates)
            report(printed.pages, header: "printer \(printer.name): \(printed.pages.count) labels as \(printed.format) on \(printed.media.name) (from \(printed.mediaSource)), \(printed.outcome)")
        }

        func report(_ pages: [CalibrationSheet.Page], header: String) {
            print(header)
            for (index, page) in pages.enumerated() { print("  label \(index + 1): \(page.summary)") }
        }
    }
}
