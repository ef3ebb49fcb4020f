import ArgumentParser
import Foundation
import Logging
import LotboxConfig
import LotboxCore
import LotboxStations
import LotboxStore

/// For commands that act as a station: the config file names the stations, and the store is
/// found by the same rule as every other command's (`--db`, else `LOTBOX_DB`, else the config's).
struct ConfigOptions: ParsableArguments {
    @Option(help: "Configuration file (its stations, and the store without --db or $LOTBOX_DB); default $LOTBOX_CONFIG, else /etc/lotbox/lotbox.toml.")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The lot store (SQLite file); default $LOTBOX_DB, else the config's `store`.", valueName: "PATH"))
    var db: String?

    @Option(name: .long, help: "Who is acting, for the ledger and audit log (default: the station's employee).")
    var actor: String?

    var configPath: String { StoreRule.configPath(config) }

    /// The config and the store (by the one rule); `readOnly` for commands that only read.
    func load(readOnly: Bool = false) throws -> (ServeConfig, LotStore) {
        let settings = try ServeConfig.load(configPath)
        let store = try StoreRule.open(try StoreRule.path(db: db, config: configPath), readOnly: readOnly)
        ShopZone.of(store, config: settings.timeZone)
        return (settings, store)
    }

    /// The shop's time zone, from the store and this config (warned about, once, if not set).
    func timeZone(_ settings: ServeConfig, _ store: LotStore) -> ShopTimeZone { ShopZone.of(store, config: settings.timeZone) }

    /// A configured station, or a one-line error listing the ones there are.
    func station(_ name: String, in settings: ServeConfig) throws -> StationConfig {
        guard var station = settings.stations.first(where: { $0.name == name }) else {
            let names = settings.stations.map(\.name)
            throw ValidationError("station '\(name)' is not in \(configPath); expected one of: \(names.isEmpty ? "(none configured)" : names.joined(separator: ", "))")
        }
        if let actor { station.employee = actor }
        return station
    }
}
