/// Version 10: a batch is one job. The labels due at a printer go to it as one document (a
/// multi-page PWG raster or PDF, or one ZPL stream), so a CUPS queue, which schedules one job at
/// a time, drains at the printer's speed instead of a label a second. Each label stays a print
/// job row of its own: `print_batch` is the printer's job, `print_batch_label` lists the labels
/// it carries in the order they are in the document, with the pages each one fills (a label's
/// copies are pages of their own), so a job the printer stopped part-way is settled label by
/// label from the pages it says it finished. `print_job.batch_id` is the batch a label rides in
/// now, or rode in last. Frozen once shipped.
enum SchemaV10PrintBatches {
    static let identifier = "v10-print-batches"
    static let now = SchemaV1Tables.now

    static let statements: [String] = [
        """
        CREATE TABLE print_batch (
          id TEXT PRIMARY KEY NOT NULL,
          printer TEXT NOT NULL,
          format TEXT NOT NULL,
          -- sending: recorded before the first byte; submitted: the printer has the document under
          -- cups_job_id; completed; stopped: the printer ended it otherwise and each label was
          -- settled; abandoned: it never reached the printer whole and was sent again.
          state TEXT NOT NULL DEFAULT 'sending'
            CHECK (state IN ('sending','submitted','completed','stopped','abandoned')),
          cups_job_id INTEGER,
          pages INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0),
          -- What the printer said it finished of a job that stopped (job-impressions-completed).
          impressions_completed INTEGER,
          reason TEXT,
          created_at TEXT NOT NULL DEFAULT \(now),
          updated_at TEXT NOT NULL DEFAULT \(now),
          completed_at TEXT)
        """,
        "CREATE INDEX print_batch_open ON print_batch(printer, state)",
        """
        CREATE TABLE print_batch_label (
          batch_id TEXT NOT NULL REFERENCES print_batch(id),
          position INTEGER NOT NULL CHECK (position >= 0),
          print_job_id TEXT NOT NULL REFERENCES print_job(id),
          first_page INTEGER NOT NULL CHECK (first_page >= 0),
          pages INTEGER NOT NULL CHECK (pages >= 1),
          PRIMARY KEY (batch_id, position)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX print_batch_label_job ON print_batch_label(print_job_id)",
        "ALTER TABLE print_job ADD COLUMN batch_id TEXT REFERENCES print_batch(id)",
    ]
}
