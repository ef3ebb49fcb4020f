import GRDB

extension LotStore {
    /// Change-feed events after `cursor`, oldest first. Every lot created by any writer (lotbox,
    /// or another program's plain SQL) is here, written by a trigger in the creating transaction,
    /// so a reader that remembers its cursor never misses one and never sees one twice.
    public func changes(after cursor: Int64, limit: Int = 1000) throws -> [ChangeEvent] {
        try read { db in
            try ChangeEvent.fetchAll(db, sql: "SELECT * FROM change_event WHERE id > ? ORDER BY id LIMIT ?",
                                     arguments: [cursor, limit])
        }
    }

    /// The newest event's id: where a reader that starts now begins.
    public func latestCursor() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_event") ?? 0 }
    }
}
