/// Version 6: the REST API's sessions and the boxes already used. A session is kept as the
/// SHA-256 of its sid, so a copy of the store (a backup) holds no bearer that works; it survives
/// a restart for its 6 hours. A box's nonce is remembered until its timestamp leaves the
/// 5-minute window, so a box replayed after a restart is still refused. Frozen once shipped.
enum SchemaV6APISessions {
    static let identifier = "v6-api-sessions"
    static let statements: [String] = [
        """
        CREATE TABLE api_session (
          sid_hash TEXT PRIMARY KEY NOT NULL CHECK (length(sid_hash) = 64),
          service TEXT NOT NULL,
          client_key TEXT NOT NULL,
          contact_id TEXT NOT NULL REFERENCES contact(id),
          company_id TEXT NOT NULL REFERENCES company(id),
          license_id TEXT NOT NULL REFERENCES license(id),
          created_at TEXT NOT NULL,
          expires_at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX api_session_expiry ON api_session(expires_at)",
        """
        CREATE TABLE api_nonce (
          nonce TEXT PRIMARY KEY NOT NULL,
          forget_after INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX api_nonce_expiry ON api_nonce(forget_after)",
    ]
}
