import Foundation
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

    public init(store: String, templates: String, printers: [PrinterConfig], printOnCreate: Set<String>, printImported: Bool) {
        self.store = store
        self.templates = templates
        self.printers = printers
        self.printOnCreate = printOnCreate
        self.printImported = printImported
    }

    struct File: Decodable {
        var store: String?
        var templates: String?
        var printImported: Bool?
        var cupsServer: String?
        var printers: [Printer]?

        enum CodingKeys: String, CodingKey {
            case store, templates, printers
            case printImported = "print_imported"
            case cupsServer = "cups_server"
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
        return ServeConfig(store: file.store ?? "/var/lib/lotbox/lotbox.sqlite",
                           templates: file.templates ?? "/usr/share/lotbox/templates",
                           printers: printers, printOnCreate: onCreate, printImported: file.printImported ?? false)
    }

    /// Where new lots' labels go.
    public var routes: [(name: String, template: String, copies: Int)] {
        printers.filter { printOnCreate.contains($0.name) }.map { ($0.name, $0.template, $0.copies) }
    }
}

/// A configuration file lotbox cannot run with.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "config \(file) \(reason)" }
}
