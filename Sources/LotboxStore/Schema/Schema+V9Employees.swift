/// Version 9: staff who sign in at the screens. An employee is a contact of the license's
/// company with a role and a PIN or password kept only as libsodium's Argon2id string (never the
/// secret). Wrong secrets are counted per employee and device, so a counter typing wrong PINs
/// locks that employee at that counter only. A page session is kept, like an API session, as the
/// SHA-256 of its cookie, with the SHA-256 of its CSRF token. Frozen once shipped.
enum SchemaV9Employees {
    static let identifier = "v9-employees"
    static let statements: [String] = [
        """
        CREATE TABLE employee (
          contact_id TEXT PRIMARY KEY NOT NULL REFERENCES contact(id),
          license_id TEXT NOT NULL REFERENCES license(id),
          role TEXT NOT NULL CHECK (role IN ('budtender','receiver','manager','admin')),
          secret_hash TEXT NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
          stat INTEGER NOT NULL DEFAULT 200 CHECK (stat IN (200, 410)),
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE employee_lockout (
          contact_id TEXT NOT NULL REFERENCES employee(contact_id),
          device TEXT NOT NULL CHECK (length(device) BETWEEN 1 AND 64),
          failures INTEGER NOT NULL DEFAULT 0,
          locked_until INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (contact_id, device)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE page_session (
          sid_hash TEXT PRIMARY KEY NOT NULL CHECK (length(sid_hash) = 64),
          csrf_hash TEXT NOT NULL CHECK (length(csrf_hash) = 64),
          contact_id TEXT NOT NULL REFERENCES employee(contact_id),
          license_id TEXT NOT NULL REFERENCES license(id),
          device TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          last_seen INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX page_session_expiry ON page_session(expires_at)",
    ]
}
