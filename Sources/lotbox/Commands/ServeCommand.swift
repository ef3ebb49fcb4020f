import ArgumentParser
import Foundation
import Logging
import LotboxAPI
import LotboxConfig
import LotboxCore
import LotboxPrintService
import LotboxScanning
import LotboxStations
import LotboxStore
import LotboxSync
import ServiceLifecycle

/// `lotbox serve`: the appliance's daemon. Prints a label for every new lot, whoever made it.
struct ServeCommand: AsyncParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the daemon: print a label for every new lot, read the scanners, run the stations.")
    @Option(help: "Configuration file.") var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"

    func run() async throws { try await runAsync() }

    func runAsync() async throws {
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardOutput(label: label))
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "lotbox")
        // Any error in the configuration, or in what it names, is a refusal to start: one line
        // each, and an exit status systemd does not restart on. A missing store is one of them:
        // only `lotbox init` makes a store.
        let (checked, opened, errors) = ConfigCommand.validate(config, createStore: false)
        guard errors.isEmpty, let settings = checked, let store = opened else {
            for error in errors { FileHandle.standardError.write(Data("lotbox: \(error)\n".utf8)) }
            throw ExitCode(ConfigCommand.badConfiguration)
        }
        // One daemon per store, held until this process ends.
        let lock = try ServeLock.take(forStore: settings.store)
        defer { withExtendedLifetime(lock) {} }
        // What depends on the hardware only warns: labels and scans wait in held states until it is there.
        let check = ConfigCheck(config: settings, file: config)
        for warning in await Self.offPool({ check.hardwareWarnings() }) { logger.warning("\(warning)") }
        // The store's read and (from the config) write of the zone stay off the shared pool.
        let zone = await Self.offPool { Result { try ServeCommand.timeZone(settings, store: store, logger: logger) } }
        let (timeZone, zoneWarnings) = try zone.get()
        // The outbox is on exactly while the config names an upstream (SchemaV8Outbox says why).
        try await Self.offPool { Result { try store.setUpstream(origin: settings.upstream?.origin, actor: "lotbox serve") } }.get()
        let labels = LabelQueueService(config: settings.labelQueue(timeZone: timeZone), store: store, logger: logger)
        let scanLogger = Logger(label: "lotbox.scan")
        // Each decision wakes the API's /events streams: a screen shows a reader's scan at once.
        let bell = EventBell()
        let router = StationRouter(configs: settings.stations, store: store, logger: Logger(label: "lotbox.station")) { _ in bell.ring() }
        // Scans recorded but not acted on when lotbox last stopped, before any new scan is read;
        // on a thread of its own, as the stations' writes block.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                router.settleUnactedScans()
                done.resume()
            }.start()
        }
        let ageChecks = Dictionary(uniqueKeysWithValues: settings.stations.map { ($0.name, $0.ageChecker(in: timeZone)) })
        let scanners = ScannerService(scanners: settings.scanners, directory: settings.scannerDirectory,
                                      defaultStation: settings.defaultStation, store: store, ageChecks: ageChecks, timeZone: timeZone,
                                      logger: scanLogger) { scan in
            ServeCommand.log(scan, logger: scanLogger)
            router.deliver(scan)
        }
        var services: [any Service] = [labels, scanners, TimeZoneReminder(warnings: zoneWarnings, logger: logger)]
        let printerHolds = labels.holds
        let threads = StoreThreads(threads: 4)
        if let api = settings.api {
            let desk = try ServeStationDesk(configs: settings.stations, store: store, router: router, timeZone: timeZone, logger: scanLogger)
            let labels = ServeLabelDesk(configs: settings.printers, templates: settings.templates, store: store, timeZone: timeZone,
                                        holds: printerHolds)
            let readers = ServeScannerDesk(configs: settings.scanners, defaultStation: settings.defaultStation, states: scanners.stateFile)
            services.append(try Self.apiServer(api, store: store, threads: threads, stations: desk, labels: labels,
                                               operations: try OpsWiring.operations(config: config, settings: settings, store: store), bell: bell,
                                               scanners: readers, settings: ServeSettings.summary(settings, file: config)))
        }
        if let upstream = settings.upstream {
            services.append(try await Self.offPool { Result { try OutboxWorker(config: upstream, store: store, logger: Logger(label: "lotbox.sync")) } }.get())
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await threads.shutdown()
    }
}

extension ServeCommand {
    /// The shop's zone for this run. The config's zone goes into a store that has none, so the
    /// CLI's dates agree with the labels printed here; a missing zone is logged loudly, and also
    /// written to stderr, which is where a person starting `serve` by hand looks.
    static func timeZone(_ settings: ServeConfig, store: LotStore, logger: Logger) throws -> (ShopTimeZone, [String]) {
        let choice = ShopTimeZoneChoice.resolve(store: try store.timeZoneName(), config: settings.timeZone)
        if let zone = choice.toRecord {
            try store.setTimeZone(zone, actor: "lotbox serve")
            logger.notice("the store had no time zone; recorded \(zone.name) from the config")
        }
        for warning in choice.warnings {
            logger.critical("\(warning)")
            FileHandle.standardError.write(Data("lotbox: \(warning)\n".utf8))
        }
        logger.info("dates are in \(choice.zone.name)")
        return (choice.zone, choice.warnings)
    }

    /// One line per scan in the journal; a licence shows only its kind and the age check.
    static func log(_ scan: RecordedScan, logger: Logger) {
        let metadata: Logger.Metadata = ["scanner": "\(scan.input.device)", "station": "\(scan.station ?? "-")", "scan": "\(scan.id)"]
        switch scan.result {
        case .success: logger.info("\(scan.logMessage)", metadata: metadata)
        case .failure: logger.warning("\(scan.logMessage)", metadata: metadata)
        }
    }
}

extension ServeCommand {
    /// The REST API on `[api] listen`, its store calls on threads of their own; HTTPS when the
    /// config names a certificate (already checked by `ConfigCommand.validate`).
    static func apiServer(_ api: APIConfig, store: LotStore, threads: StoreThreads, stations: any StationDesk,
                          labels: any LabelDesk, operations: APIOperations = APIOperations(), bell: EventBell = EventBell(),
                          scanners: (any ScannerDesk)? = nil, settings: SettingsSummary? = nil) throws -> APIServer {
        let key = try ServerKey.read(path: api.keyFile)
        let logger = Logger(label: "lotbox.api")
        let staff = StaffSettings(idleSeconds: api.staffIdleSeconds, sessionSeconds: api.staffSessionSeconds, lockout: api.staffLockout,
                                  secureCookies: api.tlsCertificate != nil)
        var services = APIServices(store: store, threads: threads, gate: V2024Gate(serverKey: key, clients: api.clients),
                                   stations: stations, labels: labels, staff: staff, logger: logger)
        services.operations = operations
        services.events = bell
        services.scanners = scanners
        services.settings = settings
        services.honoursClientIDs = api.honoursClientIDs
        if !api.honoursClientIDs { logger.notice("api.client_ids = \"ignore\": creates get this API's own ids, not the ones clients chose") }
        if let folder = api.pages ?? PageFiles.defaultFolder() {
            services.pages = try PageFiles.load(folder: folder)
            logger.info("the staff screens are served from \(folder)")
        } else {
            logger.warning("the staff screens' files are not installed (/usr/share/lotbox/pages); only the API is served")
        }
        var tls: APITLS?
        if let certificate = api.tlsCertificate, let tlsKey = api.tlsKey {
            tls = try APITLS.load(certificate: certificate, key: tlsKey)
        }
        if let tls {
            logger.info("the API listens on https://\(api.host):\(api.port) (certificate SHA-256 \(tls.fingerprint))")
            if let warning = tls.expiryWarning() { logger.warning("\(warning)") }
        } else {
            logger.info("the API listens on \(api.host):\(api.port)")
            if let warning = api.cleartextWarning { logger.warning("\(warning)") }
        }
        return APIServer(host: api.host, port: api.port, services: services, logger: logger, tls: tls)
    }
}

extension ServeCommand {
    /// Runs blocking work (a printer asked over the network) on a thread of its own, never on
    /// the shared concurrency pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
            Thread { done.resume(returning: work()) }.start()
        }
    }
}

/// A command whose work is async. Called by main explicitly: through an `AsyncParsableCommand`
/// existential, `run()` resolves to the inherited synchronous one, which only prints help.
protocol AsyncRunnable {
    func runAsync() async throws
}
