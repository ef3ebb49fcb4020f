/// Version 6: vehicles (OpenTHC Vehicle), which a license's transfers travel in. Each belongs to
/// one license, and its name is unique within that license, ignoring case. Created and changed
/// vehicles go to the change feed as every OpenTHC object does. Frozen once shipped.
enum SchemaV6Vehicle {
    static let identifier = "v6-vehicle"

    static let statements: [String] = [
        """
        CREATE TABLE vehicle (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT NOT NULL REFERENCES license(id),
          name TEXT NOT NULL CHECK (length(name) > 0),
          make TEXT, model TEXT, color TEXT, vin TEXT, plate TEXT,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          stat INTEGER NOT NULL DEFAULT 200)
        """,
        "CREATE UNIQUE INDEX vehicle_license_name ON vehicle(license_id, name COLLATE NOCASE)",
        """
        CREATE TRIGGER vehicle_feed_insert AFTER INSERT ON vehicle BEGIN
          INSERT INTO change_event (object_type, object_id, action) VALUES ('vehicle', NEW.id, 'create');
        END
        """,
        """
        CREATE TRIGGER vehicle_feed_update AFTER UPDATE ON vehicle BEGIN
          INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('vehicle', NEW.id, 'update', NULL);
        END
        """,
    ]
}
