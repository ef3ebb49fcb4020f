/// Version 14: a durable create no longer pays for an index entry of its outbox row. v8's partial
/// index `outbox_open` (`WHERE state IN ('pending','held')`) took every new row, a WAL page of
/// its own in each commit: about half the outbox's cost on durable creates (`bench sync`, 11%
/// against 5.7% without it). The waiting rows are found instead from a low-water mark,
/// `outbox_setting.first_open`: every row below it is sent or skipped. The worker raises it as it
/// settles rows (from what the rows say, in the same transaction); this trigger lowers it when a
/// row below it is set waiting again (a direct SQL writer; `upstream retry` sets a held row, which
/// is never below it) or deleted. New rows are always above it. Frozen once shipped.
enum SchemaV14OutboxLowWater {
    static let identifier = "v14-outbox-low-water"

    static let statements = [
        "ALTER TABLE outbox_setting ADD COLUMN first_open INTEGER NOT NULL DEFAULT 0",
        "DROP INDEX outbox_open",
        """
        CREATE TRIGGER outbox_reopen AFTER UPDATE OF state ON outbox
        WHEN NEW.state IN ('pending','held') AND NEW.id < (SELECT first_open FROM outbox_setting WHERE id = 1) BEGIN
          UPDATE outbox_setting SET first_open = NEW.id WHERE id = 1;
        END
        """,
        // A row deleted from the top (a direct SQL writer) would let SQLite give its id to a new
        // row again, below the mark: the mark comes down with it.
        """
        CREATE TRIGGER outbox_deleted AFTER DELETE ON outbox
        WHEN OLD.id < (SELECT first_open FROM outbox_setting WHERE id = 1) BEGIN
          UPDATE outbox_setting SET first_open = OLD.id WHERE id = 1;
        END
        """,
    ]
}
