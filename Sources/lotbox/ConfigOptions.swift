import ArgumentParser
import Foundation
import Logging
import LotboxConfig
import LotboxCore
import LotboxStations
import LotboxStore

/// For commands that act as a station: the config file names the stations and the store.
struct ConfigOptions: ParsableArguments {
    @Option(help: "Configuration file (its stations and store).")
    var config: String = ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "/etc/lotbox/lotbox.toml"

    @Option(name: .long, help: "Who is acting, for the ledger and audit log (default: the station's employee).")
    var actor: String?

    func load() throws -> (ServeConfig, LotStore) {
        LoggingSystem.bootstrapOnce()
        let settings = try ServeConfig.load(config)
        try StoreFiles.actAsOwner(of: settings.store)
        let store = try LotStore(path: settings.store, logger: Logger(label: "lotbox.store"))
        ShopZone.of(store, config: settings.timeZone)
        return (settings, store)
    }

    /// The shop's time zone, from the store and this config (warned about, once, if not set).
    func timeZone(_ settings: ServeConfig, _ store: LotStore) -> ShopTimeZone { ShopZone.of(store, config: settings.timeZone) }

    /// A configured station, or a one-line error listing the ones there are.
    func station(_ name: String, in settings: ServeConfig) throws -> StationConfig {
        guard var station = settings.stations.first(where: { $0.name == name }) else {
            let names = settings.stations.map(\.name)
            throw ValidationError("station '\(name)' is not in \(config); expected one of: \(names.isEmpty ? "(none configured)" : names.joined(separator: ", "))")
        }
        if let actor { station.employee = actor }
        return station
    }
}
