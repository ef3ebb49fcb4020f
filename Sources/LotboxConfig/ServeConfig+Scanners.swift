import Foundation
import LotboxScanning

extension ServeConfig {
    /// One `[[scanners]]` table, checked: kind (or guessed from the path), terminator, quiet gap, layout.
    static func scanner(_ scanner: File.Scanner, index: Int, file: String) throws(ConfigError) -> ScannerConfig {
        let name = scanner.name ?? (scanner.path as NSString).lastPathComponent
        let where_ = "scanners[\(index)] '\(name)'"
        let kind: ScannerConfig.Kind
        if let text = scanner.kind {
            guard let known = ScannerConfig.Kind(rawValue: text) else {
                throw ConfigError(file: file, reason: "\(where_) kind '\(text)' is not evdev, serial or stream")
            }
            kind = known
        } else {
            kind = ScannerConfig.kind(of: scanner.path)
        }
        let terminatorText = scanner.terminator ?? "enter"
        guard let terminator = ScannerConfig.Terminator(rawValue: terminatorText) else {
            throw ConfigError(file: file, reason: "\(where_) terminator '\(terminatorText)' is not enter, tab or none")
        }
        let quiet = scanner.quietMs ?? 80
        guard (10...2000).contains(quiet) else {
            throw ConfigError(file: file, reason: "\(where_) quiet_ms \(quiet) is not between 10 and 2000")
        }
        let layout = scanner.layout ?? "us"
        if kind == .evdev {
            do {
                _ = try KeyboardLayout(layout: layout, variant: scanner.variant)
            } catch {
                throw ConfigError(file: file, reason: "\(where_) \(error)")
            }
        }
        return ScannerConfig(name: name, path: scanner.path, kind: kind, layout: layout, variant: scanner.variant,
                             terminator: terminator, quietTime: .milliseconds(quiet), grab: scanner.grab ?? true,
                             baud: scanner.baud ?? 9600, station: scanner.station)
    }
}
