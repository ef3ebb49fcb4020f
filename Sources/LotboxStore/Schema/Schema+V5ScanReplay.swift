/// Version 5: a scan recorded but not acted on (the process died in between) is replayed or
/// expired at the next start. A station's `turn` counts changes of its open transfer or sale;
/// each scan keeps the turn it was recorded at, so a replay can tell whether what it was meant
/// for is still open. Scans logged before this version predate the promise and are left
/// alone. Frozen once shipped.
enum SchemaV5ScanReplay {
    static let statements: [String] = [
        "ALTER TABLE station_state ADD COLUMN turn INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE scan_log ADD COLUMN station_turn INTEGER",
        // Whether a scan was acted on is whether a decision names it.
        "CREATE INDEX station_event_scan ON station_event(scan_log_id)",
        """
        INSERT INTO lotbox_meta (key, value) SELECT 'scan_replay_after', CAST(coalesce(max(id), 0) AS TEXT) FROM scan_log
          WHERE true ON CONFLICT(key) DO NOTHING
        """,
    ]
}
