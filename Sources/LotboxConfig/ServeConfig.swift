import Foundation
import LotboxPrintService
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

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
    /// The REST API (`[api]`); nil when the file has none: `serve` then answers no HTTP.
    public var api: APIConfig?
    /// The upstream the outbox drains to (`[upstream]`); nil when the file has none: no outbox rows.
    public var upstream: UpstreamConfig?
    /// Where `lotbox backup` keeps its verified copies (`[backup]`; its defaults when the file has none).
    public var backup: BackupConfig

    public init(store: String, templates: String, printers: [PrinterConfig], printOnCreate: Set<String>, printImported: Bool,
                scanners: [ScannerConfig] = [], scannerDirectory: String? = nil, defaultStation: String? = nil,
                stations: [StationConfig] = [], timeZone: ShopTimeZone? = nil, api: APIConfig? = nil,
                upstream: UpstreamConfig? = nil, backup: BackupConfig = .standard) {
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
        self.api = api
        self.upstream = upstream
        self.backup = backup
    }

    /// The file as written. To add a key, add a property: its name in snake_case is the key
    /// (`timeZone` reads `time_zone`), known from then on. No coding-keys enum: it would be a
    /// second list, where a forgotten case turns a setting into an unknown key (a test fails if
    /// one appears in LotboxConfig). A key in the file that no property reads is an error.
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
        var api: API?
        var upstream: Upstream?
        var backup: Backup?

        struct Backup: Decodable {
            var folder: String?
            var keep: Int?
        }

        struct API: Decodable {
            var listen: String?
            var key: String?
            var tlsCertificate: String?
            var tlsKey: String?
            var metricsTokenFile: String?
            /// The staff screens' folder (templates, lotbox.js, lotbox.css).
            var pages: String?
            /// "honour" (the default) or "ignore": whether creates keep the id a client chose.
            var clientIds: String?
            var clients: [Client]?
            var staff: Staff?

            /// `[api.staff]`: staff sign-in at the screens.
            struct Staff: Decodable {
                var idleSeconds: Int?
                var sessionHours: Int?
                var lockAfter: Int?
                var lockSeconds: Int?
                var lockMaxSeconds: Int?
            }

            struct Client: Decodable {
                var service: String
                var keys: [String]
            }
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
            var medicalPurchaseLimit: String?
            var equivalency: [String: String]?
            var taxes: [Tax]?
            var saleType: String?
            var priceIncludesTax: Bool?
            var receiptPrinter: String?
            var receiptTemplate: String?
            var rememberCustomersDays: Int?
            var replayWithin: Int?

            struct Tax: Decodable {
                var type: String
                var name: String?
                var rate: String
                var per: String?
                var rounding: String?
                var base: String?
                var productTypes: [String]?
                var medicalExempt: Bool?
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
            var darkness: Int?
            var setDarkness: Int?
            var speed: Int?
            var offsetXMm: Double?
            var offsetYMm: Double?
            var headWidthDots: Int?
            var zplCompression: String?
            var batchLabels: Int?
            var staleAfterMinutes: Int?
        }
    }

    /// Reads and checks a configuration file, stopping at its first problem (for commands that
    /// only need a working configuration; `lotbox config check` and `serve` list them all).
    public static func load(_ path: String) throws(ConfigError) -> ServeConfig {
        do {
            return try loadAll(path)
        } catch {
            throw error.errors.first ?? ConfigError(file: path, reason: "cannot be used")
        }
    }

    /// Reads and checks a configuration file; every problem is one line naming the file and the key.
    /// An unknown key is a problem: a typo must not leave a safety setting at its default.
    public static func loadAll(_ path: String) throws(ConfigProblems) -> ServeConfig {
        var problems = ConfigProblems(file: path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw problems.adding("cannot be read")
        }
        let tree: ConfigValue
        do {
            tree = try ConfigValue.parse(text)
        } catch {
            throw problems.adding("is not valid TOML: \(error.description)")
        }
        let ledger = KeyLedger()
        let file: File
        do {
            file = try StrictDecoder.decode(File.self, from: tree, ledger: ledger)
        } catch let error as ConfigValueError {
            throw problems.adding(Self.explain(error, ledger: ledger, tree: tree))
        } catch let error as DecodingError {
            // A property's own Decodable (an enum read from a string) refused its value.
            throw problems.adding(Self.explain(error))
        } catch {
            throw problems.adding("cannot be read as lotbox's configuration: \(error)")
        }
        for unknown in ledger.unknownKeys(in: tree) { problems.add(unknown.description) }
        var timeZone: ShopTimeZone?
        if let name = file.timeZone {
            do {
                timeZone = try ShopTimeZone(name)
            } catch {
                problems.add("time_zone: \(error)")
            }
        }
        var printers: [PrinterConfig] = []
        var onCreate = Set<String>()
        for (index, printer) in (file.printers ?? []).enumerated() {
            let parsed: PrinterConfig
            do {
                parsed = try Self.printer(printer, index: index, file: path, cupsServer: file.cupsServer)
            } catch {
                for each in error.errors { problems.add(each.reason) }
                continue
            }
            guard !printers.contains(where: { $0.name == printer.name }) else {
                problems.add("printers[\(index)] '\(printer.name)' is named twice")
                continue
            }
            printers.append(parsed)
            if printer.printOnCreate ?? true { onCreate.insert(printer.name) }
        }
        var scanners: [ScannerConfig] = []
        for (index, scanner) in (file.scanners ?? []).enumerated() {
            do {
                let parsed = try Self.scanner(scanner, index: index, file: path)
                guard !scanners.contains(where: { $0.path == parsed.path }) else {
                    problems.add("scanner path \(parsed.path) is configured twice")
                    continue
                }
                scanners.append(parsed)
            } catch {
                problems.add(error.reason)
            }
        }
        var stations: [StationConfig] = []
        for (index, station) in (file.stations ?? []).enumerated() {
            do {
                let parsed = try Self.station(station, index: index, file: path, printers: printers)
                guard !stations.contains(where: { $0.name == parsed.name }) else {
                    problems.add("stations[\(index)] '\(parsed.name)' is named twice")
                    continue
                }
                stations.append(parsed)
            } catch {
                problems.add(error.reason)
            }
        }
        let names = Set((file.stations ?? []).map(\.name))
        if !names.isEmpty {
            for (index, scanner) in (file.scanners ?? []).enumerated() {
                if let station = scanner.station, !names.contains(station) {
                    problems.add("scanners[\(index)] '\(scanner.name ?? scanner.path)' station '\(station)' is not one of the [[stations]] (\(names.sorted().joined(separator: ", ")))")
                }
            }
            if let station = file.defaultStation, !names.contains(station) {
                problems.add("default_station '\(station)' is not one of the [[stations]] (\(names.sorted().joined(separator: ", ")))")
            }
        }
        var api: APIConfig?
        if let section = file.api {
            do { api = try Self.api(section, file: path) } catch { problems.add(error.reason) }
        }
        var upstream: UpstreamConfig?
        if let section = file.upstream {
            do { upstream = try Self.upstream(section, file: path) } catch { problems.add(error.reason) }
        }
        var backup = BackupConfig.standard
        if let section = file.backup {
            do { backup = try Self.backup(section, file: path) } catch { problems.add(error.reason) }
        }
        guard problems.errors.isEmpty else { throw problems }
        return ServeConfig(store: file.store ?? "/var/lib/lotbox/lotbox.sqlite",
                           templates: file.templates ?? "/usr/share/lotbox/templates",
                           printers: printers, printOnCreate: onCreate, printImported: file.printImported ?? false,
                           scanners: scanners, scannerDirectory: file.scannerDirectory ?? "/dev/lotbox",
                           defaultStation: file.defaultStation, stations: stations, timeZone: timeZone, api: api,
                           upstream: upstream, backup: backup)
    }

    /// A value a property's own type refused, as one line naming its key.
    static func explain(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
        @unknown default: return "cannot be read: \(error)"
        }
        let path = StrictDecoder.describe(context.codingPath)
        let reason = context.debugDescription.split(separator: "\n").joined(separator: " ")
        return path.isEmpty ? reason : "\(path): \(reason)"
    }

    /// A value of the wrong type or a missing key, with the unknown key next to it that was
    /// probably meant (`licence` for a missing `license`).
    static func explain(_ error: ConfigValueError, ledger: KeyLedger, tree: ConfigValue) -> String {
        let line = "\(error.path) \(error.reason)"
        guard error.reason == "is missing" else { return line }
        let missing = error.path.split(separator: ".").last.map(String.init) ?? error.path
        let table = error.path.count > missing.count ? String(error.path.dropLast(missing.count + 1)) : ""
        let suspects = ledger.unknownKeys(in: tree).filter { unknown in
            let parent = unknown.path.count > unknown.key.count ? String(unknown.path.dropLast(unknown.key.count + 1)) : ""
            return parent == table && EditDistance.between(unknown.key, missing) <= 2
        }
        return suspects.first.map { "\(line) (\($0.path) is not a known key; is it meant to be \(missing)?)" } ?? line
    }

    /// The label queue's part of the configuration, printing dates in `timeZone` (the shop's, as
    /// ShopTimeZoneChoice settles it from the store and this file).
    public func labelQueue(timeZone: ShopTimeZone) -> LabelQueueSettings {
        LabelQueueSettings(templates: templates, printers: printers, printOnCreate: printOnCreate, printImported: printImported,
                           timeZone: timeZone)
    }
}

/// Everything wrong with a configuration file, one line each.
public struct ConfigProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public private(set) var errors: [ConfigError] = []

    public init(file: String, errors: [ConfigError] = []) {
        self.file = file
        self.errors = errors
    }

    mutating func add(_ reason: String) { errors.append(ConfigError(file: file, reason: reason)) }

    func adding(_ reason: String) -> ConfigProblems {
        var copy = self
        copy.add(reason)
        return copy
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A configuration file lotbox cannot run with.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "config \(file) \(reason)" }
}
