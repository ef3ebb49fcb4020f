import Foundation
import GRDB

extension LotStore {
    /// Writes one scan to the log and returns its id. Called before any station acts on the
    /// scan: if lotbox dies right after, the scan is still there, with its station's turn (which
    /// transfer or sale was open) for the replay at the next start.
    ///
    /// A scan for a station is committed without its own disk sync: the station's decision is
    /// the next commit, and its sync carries this row to the disk with it (the WAL is synced as a
    /// whole). A power cut between the two loses a scan nothing was decided on; a process that
    /// dies loses nothing (the row is in the WAL). One sync per scan instead of two. A scan with
    /// no station is synced at once.
    @discardableResult
    public func recordScan(_ record: ScanRecord) throws -> Int64 {
        try write(synced: record.station == nil) { db in
            try db.cachedStatement(sql: """
                INSERT INTO scan_log (station, device, status, kind, value, symbology, raw, raw_sha256, raw_length, reason, detail, scanned_at,
                                      station_turn)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                        CASE WHEN ?1 IS NULL THEN NULL ELSE coalesce((SELECT turn FROM station_state WHERE station = ?1), 0) END)
                """).execute(arguments: [
                    record.station, record.device, record.status.rawValue, record.kind, record.value, record.symbology,
                    record.raw.map { Data($0) }, record.rawSHA256, record.rawLength, record.reason,
                    record.detail.isEmpty ? nil : JSONText.object(record.detail), record.scannedAt,
                ])
            return db.lastInsertedRowID
        }
    }

    /// The latest scans, newest first, optionally for one station.
    public func recentScans(station: String? = nil, limit: Int = 50) throws -> [ScanRecord] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM scan_log WHERE (?1 IS NULL OR station = ?1) ORDER BY id DESC LIMIT ?2
                """, arguments: [station, limit])
            return rows.map(Self.scanRecord)
        }
    }

    /// Scans after `id`, oldest first: how a watcher follows the log.
    public func scans(after id: Int64, station: String? = nil, limit: Int = 500) throws -> [ScanRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM scan_log WHERE id > ?1 AND (?2 IS NULL OR station = ?2) ORDER BY id LIMIT ?3
                """, arguments: [id, station, limit]).map(Self.scanRecord)
        }
    }

    /// A scanner's latest scan (its `device` name), looked for among the newest `within` scans
    /// of its station (of the whole log when it has none), so a scanner that has been silent a
    /// long time costs a bounded read, not the whole log: nil then, as for one never used.
    public func lastScan(device: String, station: String?, within: Int64 = 100_000) throws -> ScanRecord? {
        try read { db in
            let floor = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM scan_log")) ?? 0) - within
            if let station {
                return try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT * FROM scan_log WHERE station = ? AND device = ? AND id > ? ORDER BY id DESC LIMIT 1
                    """), arguments: [station, device, floor]).map(Self.scanRecord)
            }
            return try Row.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM scan_log WHERE device = ? AND id > ? ORDER BY id DESC LIMIT 1
                """), arguments: [device, floor]).map(Self.scanRecord)
        }
    }

    public func scanCount(status: ScanRecord.Status? = nil) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM scan_log WHERE ?1 IS NULL OR status = ?1",
                             arguments: [status?.rawValue]) ?? 0
        }
    }

    static func scanRecord(_ row: Row) -> ScanRecord {
        let detailText: String? = row["detail"]
        let detail = detailText.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] } ?? [:]
        let raw: Data? = row["raw"]
        return ScanRecord(id: row["id"], station: row["station"], device: row["device"],
                          status: ScanRecord.Status(rawValue: row["status"]) ?? .rejected, kind: row["kind"],
                          value: row["value"], symbology: row["symbology"], raw: raw.map { Array($0) },
                          rawSHA256: row["raw_sha256"], rawLength: row["raw_length"], reason: row["reason"],
                          detail: detail, scannedAt: row["scanned_at"])
    }
}
