import ArgumentParser
import Foundation
import Logging
import LotboxConfig
import LotboxCore
import LotboxStore

/// Options every store command shares: which store, who is acting, how to print.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lot store (SQLite file); default $LOTBOX_DB, else the config's `store`.", valueName: "PATH"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file whose `store` is used without --db or $LOTBOX_DB (default $LOTBOX_CONFIG, else /etc/lotbox/lotbox.toml).", valueName: "PATH"))
    var config: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Who is acting, for the ledger and audit log (default: $LOTBOX_ACTOR or $USER).")
    var actor: String = ProcessInfo.processInfo.environment["LOTBOX_ACTOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"

    /// The store this command uses, by the one rule (StoreRule).
    func storePath() throws -> String { try StoreRule.path(db: db, config: config) }

    /// Opens the store: `readOnly` for commands that only read (they work on a read-only disk),
    /// `create` only for `init` and `restore`. Unless `quietZone` (a command about to set the
    /// zone), a store without the shop's time zone is warned about here, so every command says so.
    func openStore(create: Bool = false, readOnly: Bool = false, quietZone: Bool = false) throws -> LotStore {
        let store = try StoreRule.open(try storePath(), create: create, readOnly: readOnly)
        if !quietZone { ShopZone.of(store) }
        return store
    }

    /// The shop's time zone for this command's dates (warned about, once, if not set).
    func timeZone(_ store: LotStore) -> ShopTimeZone { ShopZone.of(store) }
}

/// Which store a command uses: `--db`, else `LOTBOX_DB`, else the config's `store` (the config
/// from `--config`, else `LOTBOX_CONFIG`, else /etc/lotbox/lotbox.toml; a default config that
/// does not exist counts as one without `store`).
enum StoreRule {
    static let defaultConfig = "/etc/lotbox/lotbox.toml"
    static let defaultStore = "/var/lib/lotbox/lotbox.sqlite"

    static func path(db: String?, config: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let db { return try nonEmpty(db, "--db") }
        // An empty variable (`LOTBOX_DB= lotbox ...`) counts as unset, as shells mean it.
        if let db = environment["LOTBOX_DB"], !db.isEmpty { return db }
        let named = config ?? environment["LOTBOX_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let file = named ?? defaultConfig
        if named == nil && !FileManager.default.fileExists(atPath: file) { return defaultStore }
        return try ServeConfig.load(file).store
    }

    /// The config (by the same rule's `--config` part) for commands that act as a station.
    static func configPath(_ config: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        config ?? environment["LOTBOX_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultConfig
    }

    static func open(_ path: String, create: Bool = false, readOnly: Bool = false) throws -> LotStore {
        LoggingSystem.bootstrapOnce()
        // Run as root on the daemon's store, act as its owner before any file is opened or made.
        try StoreFiles.actAsOwner(of: path)
        return try LotStore(path: path, create: create, readOnly: readOnly, logger: Logger(label: "lotbox.store"))
    }

    private static func nonEmpty(_ path: String, _ source: String) throws -> String {
        guard !path.isEmpty else { throw ValidationError("\(source) is empty; expected the store's file, e.g. /var/lib/lotbox/lotbox.sqlite") }
        return path
    }

}

extension LoggingSystem {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = .warning
            return handler
        }
    }()

    /// Logs to stderr at warning and above, so stdout stays clean for scripts.
    static func bootstrapOnce() { _ = once }
}
