import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxScanning
import LotboxStations
import LotboxStore

/// Everything about a configuration that can be known without the hardware, beyond the file
/// itself: what it names in the store, and the templates its printers print. `lotbox config
/// check` runs it, and `lotbox serve` runs it before starting and refuses to start on any error.
///
/// What depends on hardware (a printer answering, the media loaded, a scanner plugged in) is
/// never an error here: it is a warning at start and a held state at run time, cleared by itself.
public struct ConfigCheck: Sendable {
    public let config: ServeConfig
    public let file: String

    public init(config: ServeConfig, file: String) {
        self.config = config
        self.file = file
    }

    /// The licenses and sections the stations name, each looked up in the store.
    public func references(in store: LotStore) -> [ConfigError] {
        var errors: [ConfigError] = []
        for (index, station) in config.stations.enumerated() {
            let where_ = "stations[\(index)] '\(station.name)'"
            do {
                _ = try store.licenseID(named: station.license)
            } catch {
                errors.append(ConfigError(file: file, reason: "\(where_) license '\(station.license)': \(error) (add it with `lotbox license add`)"))
            }
            if let section = station.section {
                do {
                    _ = try store.sectionID(named: section)
                } catch {
                    errors.append(ConfigError(file: file, reason: "\(where_) section '\(section)': \(error) (add it with `lotbox section add`)"))
                }
            }
        }
        return errors
    }

    /// Each printer's template and each station's receipt template, loaded and preflighted at
    /// the printer's dpi and the template's media, on sample and worst-case data.
    public func templates() -> [ConfigError] {
        var errors: [ConfigError] = []
        var uses: [(owner: String, template: String, dpi: Int)] = config.printers.enumerated().map { index, printer in
            ("printers[\(index)] '\(printer.name)'", printer.template, printer.dpi)
        }
        for (index, station) in config.stations.enumerated() {
            guard let receipt = station.receipt, let printer = config.printers.first(where: { $0.name == receipt.printer }) else { continue }
            uses.append(("stations[\(index)] '\(station.name)' receipt", receipt.template, printer.dpi))
        }
        for use in uses {
            let template: LabelTemplate
            do {
                template = try TemplateLoader.load(use.template, from: config.templates)
            } catch {
                errors.append(ConfigError(file: file, reason: "\(use.owner) template '\(use.template)' does not load from \(config.templates): \(error)"))
                continue
            }
            // As `lotbox template check` does: the sample, and the worst data a shop will meet.
            var seen = Set<String>()
            for (name, data) in WorstCaseLabelData.cases(for: template.data, nameLength: LotStore.maximumNameLength) {
                for problem in LabelRenderer.preflight(template, data: data, dpi: use.dpi) where seen.insert(problem.description).inserted {
                    errors.append(ConfigError(file: file, reason: "\(use.owner) template '\(use.template)' at \(use.dpi) dpi on \(template.media.name): \(problem) (\(name))"))
                }
            }
        }
        errors += headWidths()
        return errors
    }

    /// A ZPL printer's head (`head_width_dots`) must hold its template's width at its dpi:
    /// otherwise every label would be held at print time.
    func headWidths() -> [ConfigError] {
        var errors: [ConfigError] = []
        for (index, printer) in config.printers.enumerated() {
            guard let head = printer.zpl.headWidth, let template = try? TemplateLoader.load(printer.template, from: config.templates) else { continue }
            let width = template.media.width.dots(at: printer.dpi)
            if width > head {
                errors.append(ConfigError(file: file, reason: "printers[\(index)] '\(printer.name)' head_width_dots \(head) is narrower than template '\(printer.template)' (\(width) dots at \(printer.dpi) dpi)"))
            }
        }
        return errors
    }

    /// What the hardware says now: printers that do not answer or hold other media, scanners
    /// not plugged in. Blocking (it asks each printer), so never call it on the shared pool.
    public func hardwareWarnings(printerTimeout: Double = 3) -> [String] {
        var warnings: [String] = []
        for printer in config.printers {
            let template = try? TemplateLoader.load(printer.template, from: config.templates)
            do {
                let status = try printer.currentStatus(timeout: printerTimeout)
                // The one rule the daemon holds labels by (MediaFit).
                switch template.map({ MediaFit.of($0, on: status, dpi: printer.dpi) }) {
                case .mismatch(let reason):
                    warnings.append("printer '\(printer.name)': \(reason); its '\(printer.template)' labels are held until it is loaded or a person releases them")
                case .unknown(let why):
                    warnings.append("printer '\(printer.name)' \(why)")
                case .fits, nil: break
                }
            } catch {
                warnings.append("printer '\(printer.name)' does not answer (\(error)): its labels wait in the queue until it does")
            }
        }
        for scanner in config.scanners where access(scanner.path, F_OK) != 0 {
            warnings.append("scanner '\(scanner.name)' is not plugged in (\(scanner.path) does not exist): it is read as soon as it appears")
        }
        return warnings
    }
}
