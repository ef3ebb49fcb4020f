import Logging
import LotboxAPI
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

/// The API's way to the stations of this `serve`: a scan posted to `/scan` is recorded by the
/// station's ScanRecorder (the scan log, the licence rule) and handed to the same router the
/// USB scanners use, under the same per-station lock.
struct ServeStationDesk: StationDesk, KioskDesk {
    let stations: [StationSummary]
    let configs: [String: StationConfig]
    let store: LotStore
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
        self.configs = Dictionary(configs.map { ($0.name, $0) }) { first, _ in first }
        self.store = store
        self.router = router
        self.logger = logger
    }

    func kioskScreen(station: String) throws -> KioskScreen? {
        guard let config = configs[station], config.kind == .kiosk else { return nil }
        let state = try store.stationState(station)
        var preview: SalePreview?
        if let id = state?.saleID {
            let sale = try store.previewSale(id, taxes: config.taxes, pricesIncludeTax: config.pricesIncludeTax, limit: config.purchaseLimit)
            preview = sale.sale.isOpen ? sale : nil
        }
        return KioskScreen(station: station, employee: state?.employee ?? config.employee, pendingQuantity: state?.pendingQuantity,
                           ageCheckRequired: config.ageCheck, minimumAge: config.minimumAge, defaultSaleType: config.saleType.rawValue,
                           sale: preview, lastPaid: try store.lastPaidSale(station: station), receiptPrinter: config.receipt?.printer)
    }

    func dockScreen(station: String) throws -> DockScreen? {
        guard let config = configs[station], config.kind == .dock else { return nil }
        let state = try store.stationState(station)
        return DockScreen(station: station, pendingQuantity: state?.pendingQuantity,
                          transfer: try state?.transferID.map { try store.transfer($0) })
    }

    func employeeAt(station: String, contactID: String) throws {
        let name = try store.employeeSecret(contactID).employee.name
        _ = try router.withStation(station) { try $0.takeOver(employee: "contact:\(contactID)", name: name) }
    }

    func reprintReceipt(station: String, actor: String) throws -> PrintJob {
        guard let config = configs[station], config.kind == .kiosk else { throw APIError.notFound("no kiosk '\(station)'") }
        guard let route = config.receipt else {
            throw APIError.conflict("kiosk '\(station)' has no receipt printer (receipt_printer in its [[stations]] entry)")
        }
        guard let sale = try store.lastPaidSale(station: station) else {
            throw APIError.conflict("no sale has been paid at '\(station)' yet; there is no receipt to print")
        }
        return try store.queueReceipt(sale: sale.id, route: route, actor: actor)
    }

    func scan(station: String, code: String, device: String) throws -> ScanDecision {
        try scan(station: station, code: code, device: device) { $0.handle($1) }
    }

    func pay(station: String, tender: Tender, device: String) throws -> ScanDecision {
        guard configs[station]?.kind == .kiosk else { throw APIError.notFound("no kiosk '\(station)'") }
        return try scan(station: station, code: LotboxCommand.pay.code, device: device) { station, scan in
            (station as? KioskStation).map { $0.paying(tender).handle(scan) } ?? station.handle(scan)
        }
    }

    /// Records `code` as scanned and has the station act on it under its lock.
    private func scan(station: String, code: String, device: String,
                      _ act: (any Station, RecordedScan) -> StationEvent) throws -> ScanDecision {
        guard let recorder = recorders[station] else { throw APIError.notFound("no station '\(station)'") }
        let scan = try recorder.record(ScanInput(device: device, path: "api", frame: ScanFrame(bytes: Array(code.utf8))))
        ServeCommand.log(scan, logger: logger)
        var decision: StationEvent?
        _ = try router.withStation(station) { decision = act($0, scan) }
        return ScanDecision(scanID: scan.id, summary: scan.logMessage, event: decision)
    }
}
