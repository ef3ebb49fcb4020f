/// Version 4: stations. A dock's counted packages, a kiosk's open sale and each station's
/// state are rows, so a reboot in the middle of a receipt or a sale loses nothing. Frozen once
/// shipped.
enum SchemaV4Stations {
    static let now = SchemaV1Tables.now

    static let statements: [String] = [
        """
        CREATE TABLE station_state (
          station TEXT PRIMARY KEY NOT NULL CHECK (length(station) > 0),
          kind TEXT NOT NULL CHECK (kind IN ('dock','kiosk')),
          b2b_incoming_id TEXT REFERENCES b2b_incoming(id),
          b2c_sale_id TEXT REFERENCES b2c_sale(id),
          pending_qty TEXT,
          employee TEXT,
          updated_at TEXT NOT NULL DEFAULT \(now))
        """,
        // Each package (or unit) counted at a dock, once: `code` is what identified it.
        """
        CREATE TABLE b2b_incoming_scan (
          id INTEGER PRIMARY KEY,
          b2b_incoming_id TEXT NOT NULL REFERENCES b2b_incoming(id),
          b2b_incoming_item_id TEXT NOT NULL REFERENCES b2b_incoming_item(id),
          code TEXT NOT NULL,
          qty INTEGER NOT NULL CHECK (qty > 0),
          scan_log_id INTEGER REFERENCES scan_log(id),
          station TEXT,
          actor TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now),
          UNIQUE (b2b_incoming_id, code))
        """,
        "CREATE INDEX b2b_incoming_scan_item ON b2b_incoming_scan(b2b_incoming_item_id)",
        // OpenTHC B2C price adjustments: a committed sale's taxes, by well-known type.
        """
        CREATE TABLE b2c_sale_adjust (
          id TEXT PRIMARY KEY NOT NULL,
          b2c_sale_id TEXT NOT NULL REFERENCES b2c_sale(id),
          type TEXT NOT NULL,
          name TEXT NOT NULL,
          rate INTEGER,
          amount INTEGER NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX b2c_sale_adjust_sale ON b2c_sale_adjust(b2c_sale_id)",
        // What each station decided about each scan, for operators and a later display.
        """
        CREATE TABLE station_event (
          id INTEGER PRIMARY KEY,
          station TEXT NOT NULL,
          scan_log_id INTEGER,
          outcome TEXT NOT NULL CHECK (outcome IN ('accepted','refused','info')),
          action TEXT NOT NULL,
          message TEXT NOT NULL,
          object_type TEXT,
          object_id TEXT,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX station_event_station ON station_event(station, id)",
        "CREATE INDEX station_event_object ON station_event(object_id)",
    ]
}
