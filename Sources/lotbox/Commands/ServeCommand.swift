import ArgumentParser
import Foundation
import Logging
import LotboxPrintService
import LotboxStore
import ServiceLifecycle

/// `lotbox serve`: the appliance's daemon. Prints a label for every new lot, whoever made it.
struct ServeCommand: AsyncParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon: print a label for every new lot.")
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
        let store = try LotStore(path: settings.store, create: true, logger: Logger(label: "lotbox.store"))
        let service = LabelQueueService(config: settings, store: store, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// A command whose work is async. Called by main explicitly: through an `AsyncParsableCommand`
/// existential, `run()` resolves to the inherited synchronous one, which only prints help.
protocol AsyncRunnable {
    func runAsync() async throws
}
