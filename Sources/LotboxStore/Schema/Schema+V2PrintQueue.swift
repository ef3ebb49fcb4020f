/// Version 2: the label queue. Print jobs are rows in the store, so a job is queued in the same
/// transaction that advances the queue's change-feed cursor: no lot is skipped or printed twice
/// because of a crash between the two. Frozen once shipped.
enum SchemaV2PrintQueue {
    static let now = SchemaV1Tables.now

    static let statements: [String] = [
        """
        CREATE TABLE print_job (
          id TEXT PRIMARY KEY NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('lot-label','sale-receipt','command-sheet')),
          object_id TEXT,
          template TEXT NOT NULL,
          printer TEXT NOT NULL,
          copies INTEGER NOT NULL DEFAULT 1 CHECK (copies BETWEEN 1 AND 1000),
          state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued','submitted','completed','failed','held','canceled')),
          reason TEXT,
          cups_job_id INTEGER,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at TEXT,
          possible_duplicate INTEGER NOT NULL DEFAULT 0,
          submitted_at TEXT,
          completed_at TEXT,
          created_at TEXT NOT NULL DEFAULT \(now),
          updated_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX print_job_waiting ON print_job(printer, state, next_attempt_at)",
        "CREATE INDEX print_job_object ON print_job(object_id)",
        // Where each reader of the change feed has got to.
        """
        CREATE TABLE feed_cursor (
          consumer TEXT PRIMARY KEY NOT NULL,
          cursor INTEGER NOT NULL CHECK (cursor >= 0),
          updated_at TEXT NOT NULL DEFAULT \(now))
        """,
    ]
}
