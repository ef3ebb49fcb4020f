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
/// time_zone = "America/Los_Angeles"   # the shop's; the store's own setting wins if they differ
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
    /// The shop's time zone (`time_zone`), checked against the system's tzdata when read. The
    /// store's setting wins when both are set (ShopTimeZoneChoice says why); nil when not given.
    public var timeZone: ShopTimeZone?

    public init(store: String, templates: String, printers: [PrinterConfig], printOnCreate: Set<String>, printImported: Bool,
                scanners: [ScannerConfig] = [], scannerDirectory: String? = nil, defaultStation: String? = nil,
                stations: [StationConfig] = [], timeZone: ShopTimeZone? = nil) {
        self.store = store
        self.templates = templates
        self.printers = printers
        self.printOnCreate = printOnCreate
        self.printImported = printImported
        self.scanners = scanners
        self.scannerDirectory = scannerDirectory
        self.defaultStation = defaultStation
        self.stations = stations
        self.timeZone = timeZone
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
        var timeZone: String?

        enum CodingKeys: String, CodingKey {
            case store, templates, printers, scanners, stations
            case timeZone = "time_zone"
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
        var timeZone: ShopTimeZone?
        if let name = file.timeZone {
            do {
                timeZone = try ShopTimeZone(name)
            } catch {
                throw ConfigError(file: path, reason: "time_zone: \(error)")
            }
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
                           defaultStation: file.defaultStation, stations: stations, timeZone: timeZone)
    }

    /// The label queue's part of the configuration, printing dates in `timeZone` (the shop's, as
    /// ShopTimeZoneChoice settles it from the store and this file).
    public func labelQueue(timeZone: ShopTimeZone) -> LabelQueueSettings {
        LabelQueueSettings(templates: templates, printers: printers, printOnCreate: printOnCreate, printImported: printImported,
                           timeZone: timeZone)
    }
}

/// A configuration file lotbox cannot run with.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "config \(file) \(reason)" }
}
