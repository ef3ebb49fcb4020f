import GRDB
import LotboxCore

extension LotStore {
    /// The shop's time zone as the store records it (`lotbox init --time-zone`, `lotbox settings
    /// time-zone`): an IANA name in `lotbox_meta`, or nil while the shop has not said it. Kept
    /// in the store so every command that reads the store, with or without a config file, agrees.
    public func timeZoneName() throws -> String? {
        try read { try String.fetchOne($0, sql: "SELECT value FROM lotbox_meta WHERE key = 'time_zone'") }
    }

    /// Records the shop's time zone, with an audit line naming the old and new zone.
    public func setTimeZone(_ zone: ShopTimeZone, actor: String) throws {
        try write { db in
            let old = try String.fetchOne(db, sql: "SELECT value FROM lotbox_meta WHERE key = 'time_zone'")
            guard old != zone.name else { return }
            try db.execute(sql: "INSERT INTO lotbox_meta (key, value) VALUES ('time_zone', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [zone.name])
            try audit(db, actor: actor, action: "set-time-zone", objectType: "store", objectID: nil,
                      detail: ["time_zone": zone.name, "was": old ?? "(none)"])
        }
    }
}
