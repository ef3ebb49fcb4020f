/// Version 8: the outbox. Every compliance event becomes a row here in the transaction that
/// makes it, written by triggers (so a direct SQL writer's lots go up too), and a worker pushes
/// the rows to the upstream in order. A row names its object and what happened; what is sent
/// is read from the store when it is pushed (the ledger row of an adjust, the family of a split),
/// never copied, so a row is a few dozen bytes on the hot path.
///
/// Rows are written only while `outbox_setting` has its row (`serve` writes it when its config
/// has `[upstream]`, removes it when not): a box with no upstream pays one indexed lookup per
/// change and keeps nothing (since v10 not even that: the triggers exist only while an upstream
/// is set). The first upstream set takes what the store already holds
/// (LotStore.backfillOutbox); changes made while the upstream was later turned off never go up.
///
/// Nothing of a driver's licence is ever a row: contacts (a remembered customer) and the scan
/// log are not fed, and a sale's row is its id alone. Frozen once shipped.
enum SchemaV8Outbox {
    static let identifier = "v8-outbox"
    static let now = SchemaV1Tables.now
    static let enabled = "EXISTS (SELECT 1 FROM outbox_setting)"

    static var statements: [String] {
        let list = [
            """
            CREATE TABLE outbox_setting (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              origin TEXT NOT NULL,
              enabled_at TEXT NOT NULL DEFAULT \(now),
              -- What the worker last found: 1 the upstream answers, 0 it does not (and why), since when.
              reachable INTEGER,
              reach_error TEXT,
              reach_changed_at TEXT)
            """,
            """
            CREATE TABLE outbox (
              id INTEGER PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind IN ('section','variety','product','lot','transfer','sale','lab_result')),
              object_id TEXT NOT NULL,
              action TEXT NOT NULL,
              ref TEXT,
              license_id TEXT,
              state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','held','done','skipped')),
              reason TEXT,
              hold_scope TEXT CHECK (hold_scope IS NULL OR hold_scope IN ('object','kind')),
              attempts INTEGER NOT NULL DEFAULT 0,
              created_at TEXT NOT NULL DEFAULT \(now),
              sent_at TEXT)
            """,
            "CREATE INDEX outbox_open ON outbox(id) WHERE state IN ('pending','held')",
            // Local id ↔ upstream id, for an upstream that picks its own ids (a cre). Towards a
            // lotbox upstream ids are kept and the map stays empty: a lookup that finds nothing
            // means "the same id".
            """
            CREATE TABLE outbox_id_map (
              kind TEXT NOT NULL,
              local_id TEXT NOT NULL,
              upstream_id TEXT NOT NULL,
              created_at TEXT NOT NULL DEFAULT \(now),
              PRIMARY KEY (kind, local_id)) WITHOUT ROWID
            """,
        ]
        return list + triggers
    }

    /// The triggers that write the outbox. Since v10 they exist only while an upstream is set
    /// (``SchemaV10OutboxOnDemand``); their text is v8's, so a store that ran v8 has these exactly.
    static var triggers: [String] {
        var list: [String] = []
        for table in ["section", "variety", "product"] {
            list.append("""
                CREATE TRIGGER \(table)_outbox_insert AFTER INSERT ON \(table) WHEN \(enabled) BEGIN
                  INSERT INTO outbox (kind, object_id, action, license_id) VALUES ('\(table)', NEW.id, 'create', NEW.license_id);
                END
                """)
            list.append("""
                CREATE TRIGGER \(table)_outbox_update AFTER UPDATE ON \(table) WHEN \(enabled) BEGIN
                  INSERT INTO outbox (kind, object_id, action, license_id) VALUES ('\(table)', NEW.id, 'update', NEW.license_id);
                END
                """)
        }
        list += [
            // A new lot: made here, split or converted (its family, read at push time, says which), received, imported.
            """
            CREATE TRIGGER inventory_outbox_insert AFTER INSERT ON inventory WHEN \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, license_id) VALUES ('lot', NEW.id, 'create', NEW.license_id);
            END
            """,
            // Every ledger row, its id the ref: the worker sends those that no other call implies.
            """
            CREATE TRIGGER inventory_adjust_outbox AFTER INSERT ON inventory_adjust WHEN \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id)
                VALUES ('lot', NEW.inventory_id, 'adjust', NEW.id, (SELECT license_id FROM inventory WHERE id = NEW.inventory_id));
            END
            """,
            """
            CREATE TRIGGER inventory_outbox_move AFTER UPDATE OF section_id ON inventory
            WHEN NEW.section_id IS NOT OLD.section_id AND \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id) VALUES ('lot', NEW.id, 'move', NEW.section_id, NEW.license_id);
            END
            """,
            """
            CREATE TRIGGER inventory_outbox_stat AFTER UPDATE OF stat ON inventory
            WHEN NEW.stat IS NOT OLD.stat AND \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id) VALUES ('lot', NEW.id, 'stat', NEW.stat, NEW.license_id);
            END
            """,
            """
            CREATE TRIGGER b2b_outgoing_outbox_stat AFTER UPDATE OF stat ON b2b_outgoing
            WHEN NEW.stat IS NOT OLD.stat AND \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id) VALUES ('transfer', NEW.id, 'outgoing', NEW.stat, NEW.source_license_id);
            END
            """,
            """
            CREATE TRIGGER b2b_incoming_outbox_stat AFTER UPDATE OF stat ON b2b_incoming
            WHEN NEW.stat IS NOT OLD.stat AND \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id) VALUES ('transfer', NEW.id, 'incoming', NEW.stat, NEW.target_license_id);
            END
            """,
            """
            CREATE TRIGGER b2c_sale_outbox_stat AFTER UPDATE OF stat ON b2c_sale
            WHEN NEW.stat IS NOT OLD.stat AND \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, ref, license_id) VALUES ('sale', NEW.id, 'stat', NEW.stat, NEW.license_id);
            END
            """,
            """
            CREATE TRIGGER lab_result_outbox_insert AFTER INSERT ON lab_result WHEN \(enabled) BEGIN
              INSERT INTO outbox (kind, object_id, action, license_id) VALUES ('lab_result', NEW.id, 'create', NEW.license_id);
            END
            """,
        ]
        return list
    }
}
