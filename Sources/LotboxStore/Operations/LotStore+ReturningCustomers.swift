import GRDB

extension LotStore {
    /// Counts the earlier sightings of a customer's token within `keepDays`, then records this
    /// one, in one transaction; rows older than `keepDays` are deleted first. The token is a
    /// keyed HMAC made by the caller: the store never sees a licence number.
    public func rememberCustomer(_ token: String, station: String?, keepDays: Int) throws -> Int {
        try write { db in
            try Self.forgetCustomers(db, keepingDays: keepDays)
            let earlier = try Int.fetchOne(db, sql: "SELECT count(*) FROM returning_customer WHERE token = ?", arguments: [token]) ?? 0
            try db.execute(sql: "INSERT INTO returning_customer (token, station) VALUES (?, ?)", arguments: [token, station])
            return earlier
        }
    }

    /// Deletes sightings older than `keepingDays` (all of them with 0): run at start so a shop
    /// that turns the option off keeps nothing.
    public func forgetCustomers(keepingDays: Int) throws {
        try write { db in try Self.forgetCustomers(db, keepingDays: keepingDays) }
    }

    /// Sightings kept, for `lotbox status` and the tests.
    public func returningCustomerCount() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM returning_customer") ?? 0 }
    }

    static func forgetCustomers(_ db: Database, keepingDays: Int) throws {
        try db.execute(sql: """
            DELETE FROM returning_customer WHERE ?1 <= 0 OR seen_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?1 || ' days')
            """, arguments: [keepingDays])
    }
}
