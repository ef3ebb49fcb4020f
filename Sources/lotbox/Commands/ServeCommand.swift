import ArgumentParser
import Foundation
import Logging
import LotboxConfig
import LotboxPrintService
import LotboxScanning
import LotboxStations
import LotboxStore
import ServiceLifecycle

/// `lotbox serve`: the appliance's daemon. Prints a label for every new lot, whoever made it.
struct ServeCommand: AsyncParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon: print a label for every new lot, read the scanners, run the stations.")
    @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"

    func run() async throws { try await runAsync() }

    func runAsync() async throws {
        let settings = try ServeConfig.load(config)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "lotbox")
        // Only `lotbox init` makes a store: a wrong `store` path is refused, not filled with a new one.
        let store = try LotStore(path: settings.store, logger: Logger(label: "lotbox.store"))
        let labels = LabelQueueService(config: settings.labelQueue, store: store, logger: logger)
        let scanLogger = Logger(label: "lotbox.scan")
        let router = StationRouter(configs: settings.stations, store: store, logger: Logger(label: "lotbox.station"))
        let ageChecks = Dictionary(uniqueKeysWithValues: settings.stations.map { ($0.name, $0.ageChecker) })
        let scanners = ScannerService(scanners: settings.scanners, directory: settings.scannerDirectory,
                                      defaultStation: settings.defaultStation, store: store, ageChecks: ageChecks,
                                      logger: scanLogger) { scan in
            ServeCommand.log(scan, logger: scanLogger)
            router.deliver(scan)
        }
        let group = ServiceGroup(configuration: .init(services: [labels, scanners], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension ServeCommand {
    /// One line per scan in the journal; a licence shows only its kind and the age check.
    static func log(_ scan: RecordedScan, logger: Logger) {
        let metadata: Logger.Metadata = ["scanner": "\(scan.input.device)", "station": "\(scan.station ?? "-")", "scan": "\(scan.id)"]
        switch scan.result {
        case .success(let recognition):
            let check = scan.ageCheck.map { " (age check \($0))" } ?? ""
            logger.info("scan \(recognition.code.kind) \(recognition.code.value)\(check)", metadata: metadata)
        case .failure(let rejection):
            logger.warning("scan rejected: \(rejection.reason)", metadata: metadata)
        }
    }
}

/// A command whose work is async. Called by main explicitly: through an `AsyncParsableCommand`
/// existential, `run()` resolves to the inherited synchronous one, which only prints help.
protocol AsyncRunnable {
    func runAsync() async throws
}
