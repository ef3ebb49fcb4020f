import GRDB
import LotboxCore

/// Version 5: lab results that follow a lot, and the maximum quantity on every path. A manifest
/// item can carry the sender's lab result, which the lot received from it inherits; terpenes and
/// safety panels get metric rows under lotbox's fixed ids (``LabCatalog``); an adjustment that
/// would carry a lot past the maximum is refused for every writer. Frozen once shipped.
enum SchemaV5LabLineage {
    static let statements: [String] = [
        "ALTER TABLE b2b_incoming_item ADD COLUMN lab_result_id TEXT REFERENCES lab_result(id)",
        // The documented maximum (numeric(16,4)) holds for every writer's adjustment too, so
        // every export imports again. Version 1's check, plus that.
        "DROP TRIGGER inventory_adjust_check",
        """
        CREATE TRIGGER inventory_adjust_check BEFORE INSERT ON inventory_adjust BEGIN
          SELECT RAISE(ABORT, 'inventory_adjust.inventory_id does not name a lot')
            WHERE NOT EXISTS (SELECT 1 FROM inventory WHERE id = NEW.inventory_id);
          SELECT RAISE(ABORT, 'inventory_adjust: the lot is void and locked')
            WHERE (SELECT stat FROM inventory WHERE id = NEW.inventory_id) = 423;
          SELECT RAISE(ABORT, 'inventory_adjust: the lot does not hold that much')
            WHERE (SELECT qty FROM inventory WHERE id = NEW.inventory_id) + NEW.delta < 0;
          SELECT RAISE(ABORT, 'inventory_adjust: the lot would hold more than 999999999999.9999')
            WHERE (SELECT qty FROM inventory WHERE id = NEW.inventory_id) > 9999999999999999 - NEW.delta;
        END
        """,
    ]

    static func insert(_ db: Database) throws {
        for statement in statements { try db.execute(sql: statement) }
        for metric in LabCatalog.terpenes + LabCatalog.panels {
            try db.execute(sql: "INSERT OR IGNORE INTO lab_metric (id, name, type, uom) VALUES (?, ?, ?, ?)",
                           arguments: [metric.id, metric.name, metric.type, metric.uom])
        }
    }
}
