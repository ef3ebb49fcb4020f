/// Version 12: a lot's rename goes up. A trigger writes an outbox row when a lot's name changes,
/// made and dropped with the other outbox triggers (v10: they exist only while an upstream is
/// set); this migration makes it on a store that has an upstream now. The row holds the lot's id
/// only: the worker sends the name the lot has when it pushes. Frozen once shipped.
enum SchemaV12OutboxLotRename {
    static let identifier = "v12-outbox-lot-rename"

    static let trigger = """
        CREATE TRIGGER IF NOT EXISTS inventory_outbox_rename AFTER UPDATE OF name ON inventory
        WHEN NEW.name IS NOT OLD.name AND EXISTS (SELECT 1 FROM outbox_setting) BEGIN
          INSERT INTO outbox (kind, object_id, action, license_id) VALUES ('lot', NEW.id, 'rename', NEW.license_id);
        END
        """

    static let create = [trigger]
    static let drop = ["DROP TRIGGER IF EXISTS inventory_outbox_rename"]
}
