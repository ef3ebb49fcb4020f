import GRDB

/// A scan in the log that no station acted on: the process that recorded it died first, or it
/// was only recorded (`lotbox scan --record`).
public struct UnsettledScan: Sendable {
    public var record: ScanRecord
    /// The station's turn when the scan was recorded (see `saveState`).
    public var turn: Int64
    /// Seconds since it was logged, by the store's clock.
    public var age: Double
}

extension LotStore {
    /// The scans for `station` no decision names yet, oldest first (those logged before scan
    /// replay existed excepted).
    public func unsettledScans(station: String) throws -> [UnsettledScan] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.*, coalesce(s.station_turn, 0) AS turn_then, (julianday('now') - julianday(s.created_at)) * 86400.0 AS age
                  FROM scan_log s
                 WHERE s.station = ?
                   AND s.id > coalesce((SELECT CAST(value AS INTEGER) FROM lotbox_meta WHERE key = 'scan_replay_after'), 0)
                   AND NOT EXISTS (SELECT 1 FROM station_event e WHERE e.scan_log_id = s.id)
                 ORDER BY s.id
                """), arguments: [station]).map { row in
                    UnsettledScan(record: Self.scanRecord(row), turn: row["turn_then"], age: row["age"])
                }
        }
    }
}
