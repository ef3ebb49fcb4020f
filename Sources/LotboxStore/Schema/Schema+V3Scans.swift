/// Version 3: scanners. Every scan is written to the scan log before anything acts on it, so
/// a scan is never lost, even one nobody could read. Products get their retail codes (GTIN-14)
/// so a UPC scan finds them. Frozen once shipped.
enum SchemaV3Scans {
    static let now = SchemaV1Tables.now

    static let statements: [String] = [
        """
        CREATE TABLE scan_log (
          id INTEGER PRIMARY KEY,
          station TEXT,
          device TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('recognized','rejected')),
          kind TEXT NOT NULL,
          value TEXT,
          symbology TEXT,
          raw BLOB,
          raw_sha256 TEXT NOT NULL CHECK (length(raw_sha256) = 64),
          raw_length INTEGER NOT NULL CHECK (raw_length >= 0),
          reason TEXT,
          detail TEXT,
          scanned_at TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now),
          CHECK (status = 'recognized' OR reason IS NOT NULL))
        """,
        "CREATE INDEX scan_log_station ON scan_log(station, id)",
        // Personal data never reaches the log: a licence is kept as its kind and a hash only.
        """
        CREATE TRIGGER scan_log_no_licence_data BEFORE INSERT ON scan_log
          WHEN NEW.kind = 'aamva-licence' AND NEW.raw IS NOT NULL
          BEGIN SELECT RAISE(ABORT, 'scan_log: licence scans are stored redacted (raw must be NULL)'); END
        """,
        """
        CREATE TRIGGER scan_log_append_only BEFORE UPDATE ON scan_log
          BEGIN SELECT RAISE(ABORT, 'scan_log is append-only'); END
        """,
        """
        CREATE TABLE product_code (
          code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 14 AND code NOT GLOB '*[^0-9]*'),
          product_id TEXT NOT NULL REFERENCES product(id),
          created_at TEXT NOT NULL DEFAULT \(now)) WITHOUT ROWID
        """,
        "CREATE INDEX product_code_product ON product_code(product_id)",
    ]
}
