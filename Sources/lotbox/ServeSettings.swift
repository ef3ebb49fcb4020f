import Foundation
import LotboxAPI
import LotboxConfig
import LotboxCore
import LotboxPrintService
import LotboxScanning
import LotboxStations
import LotboxStore

/// The settings screen's summary of the configuration `serve` runs with. Each value is chosen
/// here, key by key; a secret (the API's key, client keys, the TLS key, the metrics token, the
/// upstream's keys) goes in only as set or not set, and a URI's user and password are cut off.
enum ServeSettings {
    static func summary(_ config: ServeConfig, file: String) -> SettingsSummary {
        typealias Row = SettingsSummary.Row
        var sections: [SettingsSummary.Section] = []
        sections.append(.init("Box", [
            Row("store", config.store), Row("templates", config.templates), Row("time_zone", config.timeZone?.name ?? "not set (the store's)"),
            Row("print_imported", yes(config.printImported)), Row("scanner_directory", config.scannerDirectory ?? "none"),
            Row("default_station", config.defaultStation ?? "none"),
            Row("backup folder", config.backup.folder), Row("backup keep", "\(config.backup.keep) copies"),
        ]))
        for printer in config.printers {
            var rows = [Row("where", printer.uri.map(withoutCredentials) ?? "CUPS queue \(printer.queue ?? "?")" + (printer.server.map { " on \($0)" } ?? "")),
                        Row("template", printer.template), Row("dpi", String(printer.dpi)), Row("copies", String(printer.copies)),
                        Row("format", printer.format ?? "the printer's choice"), Row("print_on_create", yes(config.printOnCreate.contains(printer.name))),
                        Row("batch_labels", String(printer.batchLabels))]
            if let stale = printer.staleAfterMinutes { rows.append(Row("stale_after_minutes", String(stale))) }
            sections.append(.init("Printer \(printer.name)", rows))
        }
        for scanner in config.scanners {
            sections.append(.init("Scanner \(scanner.name)", [
                Row("path", scanner.path), Row("kind", scanner.kind.rawValue), Row("station", scanner.station ?? config.defaultStation ?? "none"),
                Row("grab", yes(scanner.grab)), Row("layout", scanner.layout + (scanner.variant.map { " (\($0))" } ?? "")),
                Row("terminator", scanner.terminator.rawValue),
            ]))
        }
        for station in config.stations {
            var rows = [Row("kind", station.kind.rawValue), Row("license", station.license), Row("section", station.section ?? "none"),
                        Row("employee", station.employee ?? "the one signed in")]
            if station.kind == .kiosk {
                rows += [Row("age_check", station.ageCheck ? "yes, \(station.minimumAge) and over" : "no"),
                         Row("sale_type", station.saleType.rawValue), Row("price_includes_tax", yes(station.pricesIncludeTax)),
                         Row("purchase_limit", station.purchaseLimit.map { grams($0.grams) + ($0.medicalGrams.map { "; medical " + grams($0) } ?? "") } ?? "none"),
                         Row("taxes", station.taxes.isEmpty ? "none" : station.taxes.map { "\($0.name) \($0.rate)" }.joined(separator: ", ")),
                         Row("receipt_printer", station.receipt.map { "\($0.printer) (\($0.template))" } ?? "none")]
            }
            sections.append(.init("Station \(station.name)", rows))
        }
        if let api = config.api {
            sections.append(.init("API and screens", [
                Row("listen", "\(api.host):\(api.port)"), Row("key", secretIsSet: !api.keyFile.isEmpty),
                Row("tls_certificate", api.tlsCertificate ?? "none (plain HTTP)"), Row("tls_key", secretIsSet: api.tlsKey != nil),
                Row("metrics_token_file", secretIsSet: api.metricsTokenFile != nil),
                Row("clients", api.clients.isEmpty ? "none" : api.clients.keys.sorted().joined(separator: ", ")),
                Row("client keys", secretIsSet: api.clients.values.contains { !$0.isEmpty }),
                Row("client_ids", api.honoursClientIDs ? "honour" : "ignore"),
                Row("staff idle_seconds", String(api.staffIdleSeconds)), Row("staff session_hours", String(api.staffSessionSeconds / 3600)),
                Row("staff lock_after", "\(api.staffLockout.failuresBeforeLock) wrong PINs"),
                Row("staff lock_seconds", "\(api.staffLockout.firstDelay) s, doubling up to \(api.staffLockout.maximumDelay) s"),
                Row("staff PINs", "kept hashed in the store (lotbox employee)"),
            ]))
        }
        if let upstream = config.upstream {
            sections.append(.init("Upstream", [
                Row("origin", withoutCredentials(upstream.origin)), Row("service_id", upstream.serviceID),
                Row("client_key_file", secretIsSet: !upstream.clientKeyFile.isEmpty), Row("server_public_key", secretIsSet: !upstream.serverPublicKey.isEmpty),
                Row("ca_file", upstream.caFile ?? "the system's"), Row("kinds", upstream.kinds.sorted().map(\.rawValue).joined(separator: ", ")),
                Row("licenses", upstream.licenses.map(\.local).joined(separator: ", ")), Row("timeout_seconds", String(upstream.timeoutSeconds)),
                Row("client_ids", upstream.upstreamChoosesIDs ? "ignored" : "honoured"),
            ]))
        }
        return SettingsSummary(file: file, sections: sections)
    }

    static func yes(_ flag: Bool) -> String { flag ? "yes" : "no" }

    static func grams(_ units: Int64) -> String { Fixed4(units: units).description + " g" }

    /// A URI without its `user:password@`, which may be a printer's or an upstream's credentials.
    static func withoutCredentials(_ uri: String) -> String {
        guard var parts = URLComponents(string: uri), parts.user != nil || parts.password != nil else { return uri }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "(a URI with credentials)"
    }
}
