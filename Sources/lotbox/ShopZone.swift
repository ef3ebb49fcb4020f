import Foundation
import LotboxCore
import LotboxStore
import Synchronization

/// The shop's time zone for a command, settled once per process from the store (and the config,
/// for commands that read one), with its warnings on stderr: one line each, once.
enum ShopZone {
    private static let settled = Mutex<(zone: ShopTimeZone, pending: [String])?>(nil)

    /// The zone `store` (and `config`) give. Unless `quietly`, the warnings are printed now (a
    /// store without a zone says so from every command until one is set); a quiet caller prints
    /// them with `announce()` once its input is known to be good, so a bad input stays one line.
    @discardableResult
    static func of(_ store: LotStore?, config: ShopTimeZone? = nil, quietly: Bool = false) -> ShopTimeZone {
        let zone = settled.withLock { settled -> ShopTimeZone in
            if let settled { return settled.zone }
            let choice = ShopTimeZoneChoice.resolve(store: store.flatMap { try? $0.timeZoneName() }, config: config)
            settled = (choice.zone, choice.warnings)
            return choice.zone
        }
        if !quietly { announce() }
        return zone
    }

    /// Prints the warnings not yet printed.
    static func announce() {
        let pending = settled.withLock { settled -> [String] in
            defer { settled?.pending = [] }
            return settled?.pending ?? []
        }
        for warning in pending { Output.stderr("lotbox: \(warning)") }
    }
}
