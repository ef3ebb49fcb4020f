import LotboxAPI
import LotboxScanning

/// The API's way to this `serve`'s scanners: the configured ones and any the udev folder
/// brought in, each with the state its reader last reported to the state file (read in memory,
/// never from the disk).
struct ServeScannerDesk: ScannerDesk {
    let configs: [ScannerConfig]
    let defaultStation: String?
    let states: ScannerStateFile

    func scanners() -> [ScannerStatus] {
        let reported = states.current()
        var found = configs.map { config -> ScannerStatus in
            let entry = reported.first { $0.name == config.name && $0.path == config.path }
            return ScannerStatus(name: config.name, path: config.path, kind: config.kind.rawValue, grab: config.grab,
                                 station: config.station ?? defaultStation, state: entry?.state.name ?? "starting", reason: entry?.state.reason)
        }
        // Found in the udev folder with no configuration: read with the defaults, at the default station.
        for entry in reported where !configs.contains(where: { $0.name == entry.name && $0.path == entry.path }) {
            found.append(ScannerStatus(name: entry.name, path: entry.path, kind: ScannerConfig.kind(of: entry.path).rawValue, grab: true,
                                       station: defaultStation, state: entry.state.name, reason: entry.state.reason))
        }
        return found
    }
}
