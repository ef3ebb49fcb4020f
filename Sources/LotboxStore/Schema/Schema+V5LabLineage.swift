import GRDB
import LotboxCore

/// Version 5: lab results that follow a lot. A manifest item can carry the sender's lab result,
/// which the lot received from it inherits; terpenes and safety panels get metric rows under
/// lotbox's fixed ids (``LabCatalog``). Frozen once shipped.
enum SchemaV5LabLineage {
    static let statements: [String] = [
        "ALTER TABLE b2b_incoming_item ADD COLUMN lab_result_id TEXT REFERENCES lab_result(id)",
    ]

    static func insert(_ db: Database) throws {
        for statement in statements { try db.execute(sql: statement) }
        for metric in LabCatalog.terpenes + LabCatalog.panels {
            try db.execute(sql: "INSERT OR IGNORE INTO lab_metric (id, name, type, uom) VALUES (?, ?, ?, ?)",
                           arguments: [metric.id, metric.name, metric.type, metric.uom])
        }
    }
}
