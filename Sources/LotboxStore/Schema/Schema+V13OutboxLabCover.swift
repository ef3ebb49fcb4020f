/// Version 13: a lab result that covers another lot after it went up goes up again. A trigger
/// writes an outbox row for every lot a result is given (`lotbox lab cover`, a received package,
/// an import, a direct SQL writer), made and dropped with the other outbox triggers (v10: they
/// exist only while an upstream is set); this migration makes it on a store that has an upstream
/// now. The worker sends the result with the lots it covers when it pushes, so the rows of a new
/// result's own lots settle as replays. Frozen once shipped.
enum SchemaV13OutboxLabCover {
    static let identifier = "v13-outbox-lab-cover"

    static let trigger = """
        CREATE TRIGGER IF NOT EXISTS lab_result_inventory_outbox AFTER INSERT ON lab_result_inventory
        WHEN EXISTS (SELECT 1 FROM outbox_setting) BEGIN
          INSERT INTO outbox (kind, object_id, action, ref, license_id)
            SELECT 'lab_result', NEW.lab_result_id, 'cover', NEW.inventory_id, license_id FROM lab_result WHERE id = NEW.lab_result_id;
        END
        """

    static let create = [trigger]
    static let drop = ["DROP TRIGGER IF EXISTS lab_result_inventory_outbox"]
}
