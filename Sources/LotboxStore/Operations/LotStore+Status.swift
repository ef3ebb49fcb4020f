import GRDB
import LotboxCore

/// What `lotbox status` reports.
public struct StoreStatus: Sendable {
    public var path: String
    public var schema: [String]
    public var counts: [(table: String, count: Int)]
    public var ulidMark: String?
    public var cursor: Int64
    public var clock: ClockStatus
}

extension LotStore {
    public func status() throws -> StoreStatus {
        let clock = checkClock()
        return try read { db in
            let tables = ["license", "product", "variety", "section", "inventory", "b2b_incoming", "b2b_outgoing", "b2c_sale", "lab_result"]
            let counts = try tables.map { table in
                (table, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE id NOT LIKE '018NY6XC00%'") ?? 0)
            }
            return StoreStatus(
                path: path,
                schema: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                counts: counts,
                ulidMark: try String.fetchOne(db, sql: "SELECT value FROM lotbox_meta WHERE key = 'ulid_mark'"),
                cursor: try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_event") ?? 0,
                clock: clock
            )
        }
    }
}
