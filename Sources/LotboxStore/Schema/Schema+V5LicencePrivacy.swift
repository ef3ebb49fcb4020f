import Foundation
import GRDB
import LotboxCore

/// Version 5: no licence data and no tracking id in the store. Version 3 kept an unsalted
/// SHA-256 of every scan (a licence's included) in a NOT NULL column, and redacted licences
/// only when the framer saw them start with `@` and a line break, so some (an AIM prefix, a
/// keyboard wedge's Ctrl+J) were kept in clear. The scan log is rebuilt with the hash allowed
/// only beside bytes that are kept; every row the current recognizer withholds loses its bytes,
/// hash and quoted reason. The append-only trigger now lets exactly one thing change: a hash
/// cleared. Returning customers, where a shop asks for it, are a table of their own (keyed
/// HMACs, purged after the configured days). `LotStore` vacuums after this migration so the
/// old pages leave the file. Frozen once shipped.
enum SchemaV5LicencePrivacy {
    static let now = SchemaV1Tables.now

    static let withheldFunction = DatabaseFunction("lotbox_scan_withheld", argumentCount: 1, pure: true) { values in
        guard let data = Data.fromDatabaseValue(values[0]) else { return false }
        return ScanRecognizer.withholds(Array(data))
    }

    static let statements: [String] = [
        """
        CREATE TABLE scan_log_v5 (
          id INTEGER PRIMARY KEY,
          station TEXT,
          device TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('recognized','rejected')),
          kind TEXT NOT NULL,
          value TEXT,
          symbology TEXT,
          raw BLOB,
          raw_sha256 TEXT CHECK (raw_sha256 IS NULL OR (raw IS NOT NULL AND length(raw_sha256) = 64)),
          raw_length INTEGER NOT NULL CHECK (raw_length >= 0),
          reason TEXT,
          detail TEXT,
          scanned_at TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now),
          station_turn INTEGER,
          CHECK (status = 'recognized' OR reason IS NOT NULL),
          CHECK (kind <> 'aamva-licence' OR (raw IS NULL AND raw_sha256 IS NULL)))
        """,
        """
        INSERT INTO scan_log_v5 (id, station, device, status, kind, value, symbology, raw, raw_sha256, raw_length, reason, detail, scanned_at, created_at, station_turn)
        SELECT id, station, device, status, kind, value, symbology, raw, CASE WHEN raw IS NULL THEN NULL ELSE raw_sha256 END, raw_length, reason, detail, scanned_at, created_at, station_turn
          FROM scan_log
        """,
        // Bytes the recognizer now withholds go, with whatever quoted them.
        """
        UPDATE scan_log_v5 SET raw = NULL, raw_sha256 = NULL,
          reason = CASE WHEN status = 'rejected' THEN 'scan may hold personal data; not shown (redacted by v5-licence-privacy)' ELSE reason END
          WHERE raw IS NOT NULL AND lotbox_scan_withheld(raw)
        """,
        "DROP TABLE scan_log",
        "ALTER TABLE scan_log_v5 RENAME TO scan_log",
        "CREATE INDEX scan_log_station ON scan_log(station, id)",
        """
        CREATE TRIGGER scan_log_no_licence_data BEFORE INSERT ON scan_log
          WHEN NEW.kind = 'aamva-licence' AND (NEW.raw IS NOT NULL OR NEW.raw_sha256 IS NOT NULL)
          BEGIN SELECT RAISE(ABORT, 'scan_log: licence scans are stored redacted (raw and raw_sha256 must be NULL)'); END
        """,
        // Append-only, but for a hash being cleared.
        """
        CREATE TRIGGER scan_log_append_only BEFORE UPDATE ON scan_log
          WHEN NEW.raw_sha256 IS NOT NULL
            OR NEW.id IS NOT OLD.id OR NEW.station IS NOT OLD.station OR NEW.device IS NOT OLD.device
            OR NEW.status IS NOT OLD.status OR NEW.kind IS NOT OLD.kind OR NEW.value IS NOT OLD.value
            OR NEW.symbology IS NOT OLD.symbology OR NEW.raw IS NOT OLD.raw OR NEW.raw_length IS NOT OLD.raw_length
            OR NEW.reason IS NOT OLD.reason OR NEW.detail IS NOT OLD.detail OR NEW.scanned_at IS NOT OLD.scanned_at
            OR NEW.created_at IS NOT OLD.created_at OR NEW.station_turn IS NOT OLD.station_turn
          BEGIN SELECT RAISE(ABORT, 'scan_log is append-only (only a hash may be cleared)'); END
        """,
        """
        CREATE TRIGGER scan_log_no_delete BEFORE DELETE ON scan_log
          BEGIN SELECT RAISE(ABORT, 'scan_log is append-only'); END
        """,
        // Never in the change feed, the audit log or an outbox: no triggers copy these rows.
        """
        CREATE TABLE returning_customer (
          id INTEGER PRIMARY KEY,
          token TEXT NOT NULL CHECK (length(token) = 64 AND token NOT GLOB '*[^0-9a-f]*'),
          station TEXT,
          seen_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX returning_customer_token ON returning_customer(token, seen_at)",
        "CREATE INDEX returning_customer_seen ON returning_customer(seen_at)",
    ]

    static let identifier = "v5-licence-privacy"

    /// After the migration (outside its transaction): VACUUM rewrites the file without the old
    /// pages, and a truncating checkpoint empties the WAL that held copies of them.
    static func scrubFreedPages(_ pool: DatabasePool) throws {
        try pool.vacuum()
        try pool.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    static func migrate(_ db: Database) throws {
        db.add(function: withheldFunction)
        defer { db.remove(function: withheldFunction) }
        for statement in statements { try db.execute(sql: statement) }
    }
}
