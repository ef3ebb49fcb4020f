import Foundation
import LotboxPrintService
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore
import TOMLKit

/// The appliance's configuration file (/etc/lotbox/lotbox.toml): the store, the templates, and
/// the printers with the labels they print.
///
/// ```toml
/// store = "/var/lib/lotbox/lotbox.sqlite"
/// templates = "/usr/share/lotbox/templates"
///
/// [[printers]]
/// name = "dock"
/// uri = "ipp://localhost:8631/ipp/print"   # or queue = "Zebra_ZD421" for a CUPS queue
/// template = "lot-4x2"
/// dpi = 203
/// print_on_create = true
/// ```
public struct ServeConfig: Sendable, Equatable {
    public var store: String
    public var templates: String
    public var printers: [PrinterConfig]
    /// Printers that print a label for every new lot.
    public var printOnCreate: Set<String>
    /// Print labels for lots brought in by an import too.
    public var printImported: Bool
    public var scanners: [ScannerConfig]
    /// Where udev puts scanners' symlinks; a scanner that appears there unconfigured is read too.
    public var scannerDirectory: String?
    /// The station an unconfigured scanner (or one naming none) joins.
    public var defaultStation: String?
    public var stations: [StationConfig]

    public init(store: String, templates: String, printers: [PrinterConfig], printOnCreate: Set<String>, printImported: Bool,
                scanners: [ScannerConfig] = [], scannerDirectory: String? = nil, defaultStation: String? = nil,
                stations: [StationConfig] = []) {
        self.store = store
        self.templates = templates
        self.printers = printers
        self.printOnCreate = printOnCreate
        self.printImported = printImported
        self.scanners = scanners
        self.scannerDirectory = scannerDirectory
        self.defaultStation = defaultStation
        self.stations = stations
    }

    struct File: Decodable {
        var store: String?
        var templates: String?
        var printImported: Bool?
        var cupsServer: String?
        var printers: [Printer]?
        var scanners: [Scanner]?
        var scannerDirectory: String?
        var defaultStation: String?
        var stations: [Station]?

        enum CodingKeys: String, CodingKey {
            case store, templates, printers, scanners, stations
            case printImported = "print_imported"
            case cupsServer = "cups_server"
            case scannerDirectory = "scanner_directory"
            case defaultStation = "default_station"
        }

        struct Station: Decodable {
            var name: String
            var kind: String
            var license: String
            var section: String?
            var employee: String?
            var ageCheck: Bool?
            var minimumAge: Int?
            var purchaseLimit: String?
            var equivalency: [String: String]?
            var taxes: [Tax]?
            var receiptPrinter: String?
            var receiptTemplate: String?

            enum CodingKeys: String, CodingKey {
                case name, kind, license, section, employee, equivalency, taxes
                case ageCheck = "age_check"
                case minimumAge = "minimum_age"
                case purchaseLimit = "purchase_limit"
                case receiptPrinter = "receipt_printer"
                case receiptTemplate = "receipt_template"
            }

            struct Tax: Decodable {
                var type: String
                var name: String?
                var rate: String
            }
        }

        struct Scanner: Decodable {
            var name: String?
            var path: String
            var kind: String?
            var layout: String?
            var variant: String?
            var terminator: String?
            var quietMs: Int?
            var grab: Bool?
            var baud: Int?
            var station: String?

            enum CodingKeys: String, CodingKey {
                case name, path, kind, layout, variant, terminator, grab, baud, station
                case quietMs = "quiet_ms"
            }
        }

        struct Printer: Decodable {
            var name: String
            var uri: String?
            var queue: String?
            var template: String?
            var dpi: Int?
            var copies: Int?
            var format: String?
            var printOnCreate: Bool?

            enum CodingKeys: String, CodingKey {
                case name, uri, queue, template, dpi, copies, format
                case printOnCreate = "print_on_create"
            }
        }
    }

    /// Reads and checks a configuration file; every problem is one line naming the file and the key.
    public static func load(_ path: String) throws(ConfigError) -> ServeConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, reason: "cannot be read")
        }
        let file: File
        do {
            file = try TOMLDecoder().decode(File.self, from: text)
        } catch {
            throw ConfigError(file: path, reason: "is not valid TOML for lotbox: \("\(error)".split(separator: "\n").joined(separator: " "))")
        }
        var printers: [PrinterConfig] = []
        var onCreate = Set<String>()
        for (index, printer) in (file.printers ?? []).enumerated() {
            let where_ = "printers[\(index)] '\(printer.name)'"
            guard (printer.uri == nil) != (printer.queue == nil) else {
                throw ConfigError(file: path, reason: "\(where_) needs exactly one of uri (an IPP printer) or queue (a CUPS queue)")
            }
            let dpi = printer.dpi ?? 203
            guard [203, 300, 600].contains(dpi) else { throw ConfigError(file: path, reason: "\(where_) dpi \(dpi) is not 203, 300 or 600") }
            let copies = printer.copies ?? 1
            guard (1...100).contains(copies) else { throw ConfigError(file: path, reason: "\(where_) copies \(copies) is not between 1 and 100") }
            if let format = printer.format, !["image/pwg-raster", "image/png", "application/pdf"].contains(format) {
                throw ConfigError(file: path, reason: "\(where_) format '\(format)' is not image/pwg-raster, image/png or application/pdf")
            }
            guard !printers.contains(where: { $0.name == printer.name }) else {
                throw ConfigError(file: path, reason: "\(where_) is named twice")
            }
            printers.append(PrinterConfig(name: printer.name, uri: printer.uri, queue: printer.queue,
                                          server: printer.queue == nil ? nil : file.cupsServer,
                                          template: printer.template ?? "lot-4x2", dpi: dpi, copies: copies, format: printer.format))
            if printer.printOnCreate ?? true { onCreate.insert(printer.name) }
        }
        let scanners = try (file.scanners ?? []).enumerated().map { index, scanner throws(ConfigError) in
            try Self.scanner(scanner, index: index, file: path)
        }
        var seen = Set<String>()
        for scanner in scanners where !seen.insert(scanner.path).inserted {
            throw ConfigError(file: path, reason: "scanner path \(scanner.path) is configured twice")
        }
        var stations: [StationConfig] = []
        for (index, station) in (file.stations ?? []).enumerated() {
            let parsed = try Self.station(station, index: index, file: path, printers: printers)
            guard !stations.contains(where: { $0.name == parsed.name }) else {
                throw ConfigError(file: path, reason: "stations[\(index)] '\(parsed.name)' is named twice")
            }
            stations.append(parsed)
        }
        if !stations.isEmpty {
            let names = Set(stations.map(\.name))
            for (index, scanner) in scanners.enumerated() {
                if let station = scanner.station, !names.contains(station) {
                    throw ConfigError(file: path, reason: "scanners[\(index)] '\(scanner.name)' station '\(station)' is not one of the [[stations]] (\(names.sorted().joined(separator: ", ")))")
                }
            }
            if let station = file.defaultStation, !names.contains(station) {
                throw ConfigError(file: path, reason: "default_station '\(station)' is not one of the [[stations]] (\(names.sorted().joined(separator: ", ")))")
            }
        }
        return ServeConfig(store: file.store ?? "/var/lib/lotbox/lotbox.sqlite",
                           templates: file.templates ?? "/usr/share/lotbox/templates",
                           printers: printers, printOnCreate: onCreate, printImported: file.printImported ?? false,
                           scanners: scanners, scannerDirectory: file.scannerDirectory ?? "/dev/lotbox",
                           defaultStation: file.defaultStation, stations: stations)
    }

    static func station(_ station: File.Station, index: Int, file: String, printers: [PrinterConfig]) throws(ConfigError) -> StationConfig {
        let where_ = "stations[\(index)] '\(station.name)'"
        guard let kind = StationConfig.Kind(rawValue: station.kind) else {
            throw ConfigError(file: file, reason: "\(where_) kind '\(station.kind)' is not dock or kiosk")
        }
        let minimumAge = station.minimumAge ?? 21
        guard (1...120).contains(minimumAge) else {
            throw ConfigError(file: file, reason: "\(where_) minimum_age \(minimumAge) is not between 1 and 120")
        }
        var limit: PurchaseLimit?
        if let text = station.purchaseLimit {
            guard let quantity = try? Quantity(parsing: text), quantity.dimension == .mass, quantity.amount.units > 0 else {
                throw ConfigError(file: file, reason: "\(where_) purchase_limit '\(text)' is not a weight, e.g. \"28.5 g\" or \"1 oz\"")
            }
            var equivalency: [String: Int64] = [:]
            for (type, factor) in station.equivalency ?? [:] {
                guard let productType = ProductType.find(type) else {
                    throw ConfigError(file: file, reason: "\(where_) equivalency names product type '\(type)', which is unknown (see `lotbox product types`)")
                }
                guard let value = try? Fixed4(parsing: factor), value.units >= 0 else {
                    throw ConfigError(file: file, reason: "\(where_) equivalency '\(type)' factor '\(factor)' is not a number, e.g. \"3.5\"")
                }
                equivalency[productType.id] = value.units
            }
            limit = PurchaseLimit(grams: quantity.amount.units, equivalency: equivalency)
        }
        var taxes: [TaxRate] = []
        for (taxIndex, tax) in (station.taxes ?? []).enumerated() {
            guard let known = WellKnown.priceAdjustments.first(where: { $0.key == tax.type.lowercased() || $0.id == tax.type.uppercased() }) else {
                throw ConfigError(file: file, reason: "\(where_) taxes[\(taxIndex)] type '\(tax.type)' is not one of \(WellKnown.priceAdjustments.map(\.key).joined(separator: ", "))")
            }
            let percent = tax.rate.hasSuffix("%")
            guard let value = try? Fixed4(parsing: percent ? String(tax.rate.dropLast()) : tax.rate), value.units >= 0 else {
                throw ConfigError(file: file, reason: "\(where_) taxes[\(taxIndex)] rate '\(tax.rate)' is not a rate, e.g. \"15%\" or \"0.15\"")
            }
            taxes.append(TaxRate(type: known.id, name: tax.name ?? known.name, rate: percent ? value.units / 100 : value.units))
        }
        var receipt: LabelRoute?
        if let printer = station.receiptPrinter {
            guard printers.contains(where: { $0.name == printer }) else {
                throw ConfigError(file: file, reason: "\(where_) receipt_printer '\(printer)' is not one of the [[printers]]")
            }
            receipt = LabelRoute(printer: printer, template: station.receiptTemplate ?? "receipt")
        }
        return StationConfig(name: station.name, kind: kind, license: station.license, section: station.section, employee: station.employee,
                             ageCheck: station.ageCheck ?? false, minimumAge: minimumAge, purchaseLimit: limit, taxes: taxes, receipt: receipt)
    }

    static func scanner(_ scanner: File.Scanner, index: Int, file: String) throws(ConfigError) -> ScannerConfig {
        let name = scanner.name ?? (scanner.path as NSString).lastPathComponent
        let where_ = "scanners[\(index)] '\(name)'"
        let kind: ScannerConfig.Kind
        if let text = scanner.kind {
            guard let known = ScannerConfig.Kind(rawValue: text) else {
                throw ConfigError(file: file, reason: "\(where_) kind '\(text)' is not evdev, serial or stream")
            }
            kind = known
        } else {
            kind = ScannerConfig.kind(of: scanner.path)
        }
        let terminatorText = scanner.terminator ?? "enter"
        guard let terminator = ScannerConfig.Terminator(rawValue: terminatorText) else {
            throw ConfigError(file: file, reason: "\(where_) terminator '\(terminatorText)' is not enter, tab or none")
        }
        let quiet = scanner.quietMs ?? 80
        guard (10...2000).contains(quiet) else {
            throw ConfigError(file: file, reason: "\(where_) quiet_ms \(quiet) is not between 10 and 2000")
        }
        let layout = scanner.layout ?? "us"
        if kind == .evdev {
            do {
                _ = try KeyboardLayout(layout: layout, variant: scanner.variant)
            } catch {
                throw ConfigError(file: file, reason: "\(where_) \(error)")
            }
        }
        return ScannerConfig(name: name, path: scanner.path, kind: kind, layout: layout, variant: scanner.variant,
                             terminator: terminator, quietTime: .milliseconds(quiet), grab: scanner.grab ?? true,
                             baud: scanner.baud ?? 9600, station: scanner.station)
    }

    /// The label queue's part of the configuration.
    public var labelQueue: LabelQueueSettings {
        LabelQueueSettings(templates: templates, printers: printers, printOnCreate: printOnCreate, printImported: printImported)
    }
}

/// A configuration file lotbox cannot run with.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "config \(file) \(reason)" }
}
