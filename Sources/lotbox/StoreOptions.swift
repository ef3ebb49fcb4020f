import ArgumentParser
import Foundation
import Logging
import LotboxCore
import LotboxStore

/// Options every store command shares: which store, who is acting, how to print.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lot store (SQLite file).", valueName: "PATH"))
    var db: String = ProcessInfo.processInfo.environment["LOTBOX_DB"] ?? "/var/lib/lotbox/lotbox.sqlite"

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Who is acting, for the ledger and audit log (default: $LOTBOX_ACTOR or $USER).")
    var actor: String = ProcessInfo.processInfo.environment["LOTBOX_ACTOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"

    /// Opens the store; unless `quietZone` (a command about to set the zone), a store without
    /// the shop's time zone is warned about here, so every command says so.
    func openStore(create: Bool = false, quietZone: Bool = false) throws -> LotStore {
        LoggingSystem.bootstrapOnce()
        try StoreFiles.actAsOwner(of: db)
        let store = try LotStore(path: db, create: create, logger: Logger(label: "lotbox.store"))
        if !quietZone { ShopZone.of(store) }
        return store
    }

    /// The shop's time zone for this command's dates (warned about, once, if not set).
    func timeZone(_ store: LotStore) -> ShopTimeZone { ShopZone.of(store) }
}

extension LoggingSystem {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
    }()

    /// Logs to stderr at warning and above, so stdout stays clean for scripts.
    static func bootstrapOnce() { _ = once }
}
