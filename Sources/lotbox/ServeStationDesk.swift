import Logging
import LotboxAPI
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

/// The API's way to the stations of this `serve`: a scan posted to `/scan` is recorded by the
/// station's ScanRecorder (the scan log, the licence rule) and handed to the same router the
/// USB scanners use, under the same per-station lock.
struct ServeStationDesk: StationDesk {
    let stations: [StationSummary]
    let router: StationRouter
    let recorders: [String: ScanRecorder]
    let logger: Logger

    init(configs: [StationConfig], store: LotStore, router: StationRouter, timeZone: ShopTimeZone, logger: Logger) throws {
        let licenses = try store.licenses()
        stations = configs.compactMap { config in
            let license = licenses.first { $0.id == config.license || $0.code == config.license || $0.name.lowercased() == config.license.lowercased() }
            return license.map { StationSummary(name: config.name, kind: config.kind.rawValue, licenseID: $0.id) }
        }
        recorders = Dictionary(uniqueKeysWithValues: configs.map {
            ($0.name, ScanRecorder(store: store, station: $0.name, ageCheck: $0.ageChecker(in: timeZone)))
        })
        self.router = router
        self.logger = logger
    }

    func scan(station: String, code: String, device: String) throws -> ScanDecision {
        guard let recorder = recorders[station] else { throw APIError.notFound("no station '\(station)'") }
        let scan = try recorder.record(ScanInput(device: device, path: "api", frame: ScanFrame(bytes: Array(code.utf8))))
        ServeCommand.log(scan, logger: logger)
        var decision: StationEvent?
        _ = try router.withStation(station) { decision = $0.handle(scan) }
        return ScanDecision(scanID: scan.id, summary: scan.logMessage, event: decision)
    }
}
