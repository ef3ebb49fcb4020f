import Foundation
import LotboxCore
import LotboxStore
import Synchronization

/// The shop's time zone for a command, settled once per process from the store (and the config,
/// for commands that read one), with its warnings on stderr: one line each, once.
enum ShopZone {
    private static let settled = Mutex<ShopTimeZone?>(nil)

    /// The zone `store` (and `config`) give; the first call prints the warnings (a store without
    /// a zone says so from every command until one is set).
    @discardableResult
    static func of(_ store: LotStore?, config: ShopTimeZone? = nil) -> ShopTimeZone {
        if let zone = settled.withLock({ $0 }) { return zone }
        let choice = ShopTimeZoneChoice.resolve(store: store.flatMap { try? $0.timeZoneName() }, config: config)
        return settled.withLock { settled in
            if let zone = settled { return zone }
            for warning in choice.warnings { Output.stderr("lotbox: \(warning)") }
            settled = choice.zone
            return choice.zone
        }
    }

    /// After `init` or `settings` changed the store's zone: the next `of` reads it again.
    static func forget() { settled.withLock { $0 = nil } }
}
