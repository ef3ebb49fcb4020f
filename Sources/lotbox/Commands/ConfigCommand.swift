import ArgumentParser
import Foundation
import LotboxAPI
import Logging
import LotboxConfig
import LotboxCore
import LotboxStore
import LotboxSync

/// `lotbox config check`: everything about the configuration that can be known without the
/// hardware. `lotbox serve` runs the same check before it starts.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "The configuration file.",
                                                    subcommands: [Check.self])

    /// The exit status of a configuration lotbox will not run with (EX_CONFIG in sysexits.h);
    /// the systemd unit names it in RestartPreventExitStatus, so a bad file is no restart loop.
    static let badConfiguration: Int32 = 78

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the configuration: syntax, unknown keys, what it names in the store, templates at each printer's dpi, taxes, stations.",
            discussion: "Prints one line per problem and exits \(ConfigCommand.badConfiguration) if there is any. --hardware also asks the printers and looks for the scanners (warnings only).")
        @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"
        @Flag(help: "Also ask each printer and look for each scanner; what it finds is a warning, never an error.") var hardware = false

        func run() throws {
            LoggingSystem.bootstrapOnce()
            let (settings, store, errors) = ConfigCommand.validate(config, createStore: false)
            for error in errors { print("error: \(error)") }
            // The shop's time zone: unset, broken or disagreeing with the store is a warning.
            if let settings, let store {
                let choice = ShopTimeZoneChoice.resolve(store: try? store.timeZoneName(), config: settings.timeZone)
                for warning in choice.warnings { print(warning) }
            }
            if let warning = settings?.api?.cleartextWarning { print("warning: \(warning)") }
            // A certificate near or past its end: a warning, as serve runs with it.
            if let api = settings?.api, let certificate = api.tlsCertificate, let key = api.tlsKey,
               let warning = (try? APITLS.load(certificate: certificate, key: key))?.expiryWarning() {
                print("warning: \(warning)")
            }
            if hardware, let settings {
                for warning in ConfigCheck(config: settings, file: config).hardwareWarnings() { print("warning: \(warning)") }
            }
            guard errors.isEmpty else { throw ExitCode(ConfigCommand.badConfiguration) }
            print("config \(config): ok")
        }
    }

    /// Reads the file, opens the store it names (as the store's owner when run as root) and
    /// checks what the stations name in it and the printers' templates. Every problem is one
    /// line; none means the daemon can start.
    static func validate(_ path: String, createStore: Bool) -> (ServeConfig?, LotStore?, [String]) {
        let settings: ServeConfig
        do {
            settings = try ServeConfig.loadAll(path)
        } catch {
            return (nil, nil, error.errors.map(\.description))
        }
        let check = ConfigCheck(config: settings, file: path)
        var errors = check.templates().map(\.description)
        let store: LotStore
        do {
            try StoreFiles.actAsOwner(of: settings.store)
            store = try LotStore(path: settings.store, create: createStore, logger: Logger(label: "lotbox.store"))
        } catch {
            errors.append("config \(path) store \(settings.store): \(error)")
            return (settings, nil, errors)
        }
        errors += check.references(in: store).map(\.description)
        if let api = settings.api {
            do { _ = try ServerKey.read(path: api.keyFile) } catch { errors.append("config \(path) api.key: \(error)") }
            if let token = api.metricsTokenFile {
                do { _ = try MetricsToken.read(path: token) } catch { errors.append("config \(path) api.metrics_token_file: \(error)") }
            }
            if let certificate = api.tlsCertificate, let key = api.tlsKey {
                do { _ = try APITLS.load(certificate: certificate, key: key) } catch { errors.append("config \(path) api.\(error.file.rawValue): \(error)") }
            }
        }
        if let upstream = settings.upstream { errors += UpstreamCheck.problems(upstream, store: store, file: path) }
        return (settings, store, errors)
    }
}
