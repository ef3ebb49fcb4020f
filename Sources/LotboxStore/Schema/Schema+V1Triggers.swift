/// Version 1 triggers: the invariants hold for every writer, lotbox or another program writing
/// plain SQL into the same file. Frozen once shipped.
enum SchemaV1Triggers {
    static let now = SchemaV1Tables.now

    /// Objects whose creation and updates go to the change feed.
    static let fedTables = [
        "company", "license", "contact", "section", "variety", "product", "inventory",
        "b2b_incoming", "b2b_outgoing", "b2c_sale", "lab_sample", "lab_result",
    ]

    /// Child rows that change their parent: (child table, parent table, parent column).
    static let fedChildren = [
        ("b2b_incoming_item", "b2b_incoming", "b2b_incoming_id"),
        ("b2b_outgoing_item", "b2b_outgoing", "b2b_outgoing_id"),
        ("b2c_sale_item", "b2c_sale", "b2c_sale_id"),
        ("lab_result_metric", "lab_result", "lab_result_id"),
        ("lab_result_inventory", "lab_result", "lab_result_id"),
        ("inventory_external_id", "inventory", "inventory_id"),
    ]

    static var statements: [String] {
        var list = lotRules + ledgerRules + appendOnly
        for table in fedTables {
            if table != "inventory" {
                list.append("""
                    CREATE TRIGGER \(table)_feed_insert AFTER INSERT ON \(table) BEGIN
                      INSERT INTO change_event (object_type, object_id, action) VALUES ('\(table)', NEW.id, 'create');
                    END
                    """)
            }
            list.append("""
                CREATE TRIGGER \(table)_feed_update AFTER UPDATE ON \(table) BEGIN
                  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('\(table)', NEW.id, 'update', NULL);
                END
                """)
        }
        for (child, parent, column) in fedChildren {
            // A child written with its parent is part of the parent's news: a tag stamped with its
            // lot's creation time came with the lot, and a row right after its parent's event
            // adds nothing a reader would not see.
            let redundant = child == "inventory_external_id"
                ? "EXISTS (SELECT 1 FROM inventory WHERE id = NEW.inventory_id AND created_at = NEW.created_at)"
                : "(SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.\(column)"
            list.append("""
                CREATE TRIGGER \(child)_feed AFTER INSERT ON \(child)
                WHEN NOT \(redundant) BEGIN
                  INSERT INTO change_event (object_type, object_id, action) VALUES ('\(parent)', NEW.\(column), 'update');
                END
                """)
        }
        return list
    }

    /// A new lot: checked before it lands. Its opening ledger entry is the row itself
    /// (qty_initial, which never changes); see the `inventory_ledger` view.
    static let lotRules = [
        // One trigger does all of a new lot's work: a trigger program costs as much to start as
        // its checks cost to run. Raising here rolls the insert back as surely as before it.
        """
        CREATE TRIGGER inventory_created AFTER INSERT ON inventory BEGIN
          SELECT RAISE(ABORT, 'inventory.qty must be an integer count of ten-thousandths of the unit (2200 g is 22000000)')
            WHERE typeof(NEW.qty) <> 'integer' OR typeof(NEW.qty_initial) <> 'integer';
          SELECT RAISE(ABORT, 'inventory.qty must be greater than zero')
            WHERE NEW.qty <= 0;
          SELECT RAISE(ABORT, 'inventory.qty must equal inventory.qty_initial when a lot is created')
            WHERE NEW.qty <> NEW.qty_initial;
          SELECT RAISE(ABORT, 'inventory.stat must be 200 when a lot is created')
            WHERE NEW.stat <> 200;
          SELECT RAISE(ABORT, 'inventory.license_id does not name a license')
            WHERE NOT EXISTS (SELECT 1 FROM license WHERE id = NEW.license_id);
          SELECT RAISE(ABORT, 'inventory.product_id does not name a product')
            WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = NEW.product_id);
          SELECT RAISE(ABORT, 'inventory.qty of an each or pack product must be a whole count (multiple of 10000)')
            WHERE NEW.qty % 10000 <> 0 AND (SELECT package_type FROM product WHERE id = NEW.product_id) <> 'bulk';
          INSERT INTO change_event (object_type, object_id, action, origin, created_at)
            VALUES ('inventory', NEW.id, 'create', NEW.origin, NEW.created_at);
        END
        """,
        """
        CREATE TRIGGER inventory_qty_guard BEFORE UPDATE OF qty ON inventory
        WHEN NEW.qty IS NOT OLD.qty_initial + (SELECT coalesce(sum(delta), 0) FROM inventory_adjust WHERE inventory_id = NEW.id) BEGIN
          SELECT RAISE(ABORT, 'inventory.qty changes only through inventory_adjust rows');
        END
        """,
        """
        CREATE TRIGGER inventory_qty_initial_fixed BEFORE UPDATE OF qty_initial ON inventory
        WHEN NEW.qty_initial IS NOT OLD.qty_initial BEGIN
          SELECT RAISE(ABORT, 'inventory.qty_initial never changes');
        END
        """,
        """
        CREATE TRIGGER inventory_no_delete BEFORE DELETE ON inventory BEGIN
          SELECT RAISE(ABORT, 'lots are voided (stat 410 then 423), never deleted');
        END
        """,
    ]

    /// Adjustments drive a lot's qty: each is applied to its lot as it is appended.
    static let ledgerRules = [
        """
        CREATE TRIGGER inventory_adjust_check BEFORE INSERT ON inventory_adjust BEGIN
          SELECT RAISE(ABORT, 'inventory_adjust.inventory_id does not name a lot')
            WHERE NOT EXISTS (SELECT 1 FROM inventory WHERE id = NEW.inventory_id);
          SELECT RAISE(ABORT, 'inventory_adjust: the lot is void and locked')
            WHERE (SELECT stat FROM inventory WHERE id = NEW.inventory_id) = 423;
          SELECT RAISE(ABORT, 'inventory_adjust: the lot does not hold that much')
            WHERE (SELECT qty FROM inventory WHERE id = NEW.inventory_id) + NEW.delta < 0;
        END
        """,
        """
        CREATE TRIGGER inventory_adjust_apply AFTER INSERT ON inventory_adjust BEGIN
          UPDATE inventory SET qty = qty + NEW.delta, updated_at = NEW.created_at WHERE id = NEW.inventory_id;
        END
        """,
    ]

    /// History is appended to, never rewritten.
    static let appendOnly: [String] = ["inventory_adjust", "audit_log", "inventory_family", "change_event"].flatMap { table in
        [
            """
            CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN
              SELECT RAISE(ABORT, '\(table) is append-only');
            END
            """,
            """
            CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN
              SELECT RAISE(ABORT, '\(table) is append-only');
            END
            """,
        ]
    }
}
