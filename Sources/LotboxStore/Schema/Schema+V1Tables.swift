import GRDB

/// Version 1 of the store: the OpenTHC objects lotbox keeps. Frozen once shipped: later changes
/// are new migrations. Plain SQL, no application types, so the meaning never drifts.
///
/// Quantities (`qty`, `qty_initial`, `delta`, `package_*_qom`, lab `qom`) and money
/// (`unit_price`) are INTEGER ten-thousandths: 3.5 g is 35000, $12.50 is 125000. Times are RFC 3339
/// UTC text with milliseconds. IDs are opaque text.
enum SchemaV1Tables {
    static let now = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"

    /// Append-only tables (ledger adjustments, lineage, audit log, change feed) use plain
    /// INTEGER PRIMARY KEYs: rows are never deleted (triggers refuse it), so ids only grow, without
    /// AUTOINCREMENT's extra write to sqlite_sequence for every row.

    /// The columns every CRE row has.
    static let common = """
        stat INTEGER NOT NULL DEFAULT 200,
        flag INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT \(now),
        updated_at TEXT NOT NULL DEFAULT \(now),
        deleted_at TEXT,
        meta TEXT
        """

    static let statements: [String] = [
        """
        CREATE TABLE lotbox_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)
        """,
        """
        CREATE TABLE company (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          name TEXT NOT NULL, code TEXT, type TEXT,
          \(common))
        """,
        """
        CREATE TABLE license_type (id TEXT PRIMARY KEY NOT NULL, code TEXT, name TEXT NOT NULL)
        """,
        """
        CREATE TABLE license (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          company_id TEXT NOT NULL REFERENCES company(id),
          code TEXT, name TEXT NOT NULL,
          type TEXT NOT NULL REFERENCES license_type(id),
          \(common))
        """,
        "CREATE UNIQUE INDEX license_code ON license(code) WHERE code IS NOT NULL",
        """
        CREATE TABLE contact (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          company_id TEXT NOT NULL REFERENCES company(id),
          type TEXT NOT NULL CHECK (type IN ('Caregiver','Client','Driver','Employee','Manager','Owner','Patient','User','Vendor','System')),
          name TEXT NOT NULL, email TEXT, phone TEXT,
          \(common))
        """,
        """
        CREATE TABLE section (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT REFERENCES license(id),
          name TEXT NOT NULL,
          type TEXT NOT NULL DEFAULT 'inventory' CHECK (type IN ('crop','inventory','inventory-quarantine')),
          \(common))
        """,
        """
        CREATE TABLE variety (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          name TEXT NOT NULL,
          type TEXT CHECK (type IS NULL OR type IN ('Hemp','Hybrid','Indica','Sativa','Ruderalis')),
          \(common))
        """,
        """
        CREATE TABLE product_type (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, mode TEXT)
        """,
        """
        CREATE TABLE product (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT REFERENCES license(id),
          name TEXT NOT NULL,
          type TEXT NOT NULL REFERENCES product_type(id),
          package_type TEXT NOT NULL CHECK (package_type IN ('bulk','each','pack')),
          package_unit_qom INTEGER CHECK (package_unit_qom IS NULL OR package_unit_qom > 0),
          package_unit_uom TEXT NOT NULL CHECK (package_unit_uom IN ('g','l','ea')),
          package_pack_qom INTEGER CHECK (package_pack_qom IS NULL OR package_pack_qom > 0),
          unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
          \(common))
        """,
        """
        CREATE TABLE inventory (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT NOT NULL REFERENCES license(id),
          product_id TEXT NOT NULL REFERENCES product(id),
          variety_id TEXT NOT NULL DEFAULT '018NY6XC00VAR1ETY000000001' REFERENCES variety(id),
          section_id TEXT NOT NULL DEFAULT '018NY6XC00SECT10N000000000' REFERENCES section(id),
          name TEXT,
          qty INTEGER NOT NULL CHECK (qty >= 0),
          qty_initial INTEGER NOT NULL,
          lab_result_id TEXT REFERENCES lab_result(id),
          origin TEXT NOT NULL DEFAULT 'created' CHECK (origin IN ('created','received','imported')),
          \(common)) WITHOUT ROWID
        """,
        // No index on license_id: a box holds one or two licenses, so it would not narrow a search.
        "CREATE INDEX inventory_product ON inventory(product_id)",
        """
        CREATE TABLE inventory_external_id (
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          kind TEXT NOT NULL CHECK (kind IN ('metrc','biotrack','gtin','origin')),
          value TEXT NOT NULL CHECK (length(value) > 0),
          created_at TEXT NOT NULL DEFAULT \(now),
          PRIMARY KEY (inventory_id, kind)) WITHOUT ROWID
        """,
        // A METRC tag, BioTrack id or sender's lot id names one lot; a GTIN may be on many.
        "CREATE UNIQUE INDEX inventory_external_id_unique ON inventory_external_id(kind, value) WHERE kind <> 'gtin'",
        "CREATE INDEX inventory_external_id_value ON inventory_external_id(value)",
        // Every change of a lot's quantity after its creation. Append-only.
        """
        CREATE TABLE inventory_adjust (
          id INTEGER PRIMARY KEY,
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          delta INTEGER NOT NULL CHECK (typeof(delta) = 'integer'),
          reason_code TEXT NOT NULL CHECK (length(reason_code) > 0 AND reason_code <> 'open'),
          note TEXT,
          actor TEXT NOT NULL DEFAULT 'sql',
          ref_type TEXT, ref_id TEXT,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX inventory_adjust_inventory ON inventory_adjust(inventory_id)",
        // The ledger: each lot's opening entry (its immutable qty_initial, id 0) followed by its
        // adjustments. A lot's qty always equals the sum of its ledger.
        """
        CREATE VIEW inventory_ledger AS
          SELECT 0 AS id, id AS inventory_id, qty_initial AS delta, 'open' AS reason_code, origin AS note,
                 coalesce(json_extract(meta, '$.actor'), 'sql') AS actor, NULL AS ref_type, NULL AS ref_id, created_at
            FROM inventory
          UNION ALL
          SELECT id, inventory_id, delta, reason_code, note, actor, ref_type, ref_id, created_at FROM inventory_adjust
        """,
        """
        CREATE TABLE inventory_family (
          id INTEGER PRIMARY KEY,
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          inventory_id_output TEXT NOT NULL REFERENCES inventory(id),
          type TEXT NOT NULL CHECK (type IN ('SPLT','CONV')),
          qty INTEGER NOT NULL,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX inventory_family_output ON inventory_family(inventory_id_output)",
        "CREATE INDEX inventory_family_source ON inventory_family(inventory_id)",
        """
        CREATE TABLE b2b_incoming (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          source_license_id TEXT NOT NULL REFERENCES license(id),
          target_license_id TEXT NOT NULL REFERENCES license(id),
          name TEXT, depart_at TEXT, arrive_at TEXT,
          \(common))
        """,
        """
        CREATE TABLE b2b_incoming_item (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          b2b_incoming_id TEXT NOT NULL REFERENCES b2b_incoming(id),
          origin_inventory_id TEXT,
          inventory_id TEXT REFERENCES inventory(id),
          product_id TEXT REFERENCES product(id),
          variety_id TEXT REFERENCES variety(id),
          qty INTEGER NOT NULL CHECK (qty >= 0),
          qty_received INTEGER CHECK (qty_received IS NULL OR qty_received >= 0),
          unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
          \(common))
        """,
        "CREATE INDEX b2b_incoming_item_parent ON b2b_incoming_item(b2b_incoming_id)",
        """
        CREATE TABLE b2b_outgoing (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          source_license_id TEXT NOT NULL REFERENCES license(id),
          target_license_id TEXT NOT NULL REFERENCES license(id),
          name TEXT, depart_at TEXT, arrive_at TEXT,
          \(common))
        """,
        """
        CREATE TABLE b2b_outgoing_item (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          b2b_outgoing_id TEXT NOT NULL REFERENCES b2b_outgoing(id),
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          product_id TEXT REFERENCES product(id),
          variety_id TEXT REFERENCES variety(id),
          qty INTEGER NOT NULL CHECK (qty > 0),
          unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
          \(common))
        """,
        "CREATE INDEX b2b_outgoing_item_parent ON b2b_outgoing_item(b2b_outgoing_id)",
        """
        CREATE TABLE b2c_sale (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT NOT NULL REFERENCES license(id),
          contact_id TEXT REFERENCES contact(id),
          name TEXT, execute_at TEXT,
          \(common))
        """,
        """
        CREATE TABLE b2c_sale_item (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          b2c_sale_id TEXT NOT NULL REFERENCES b2c_sale(id),
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          unit_count INTEGER NOT NULL CHECK (unit_count > 0),
          unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
          \(common))
        """,
        "CREATE INDEX b2c_sale_item_parent ON b2c_sale_item(b2c_sale_id)",
        """
        CREATE TABLE lab_metric (
          id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, uom TEXT)
        """,
        """
        CREATE TABLE lab_sample (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT NOT NULL REFERENCES license(id),
          inventory_id TEXT,
          name TEXT,
          \(common))
        """,
        """
        CREATE TABLE lab_result (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          license_id TEXT NOT NULL REFERENCES license(id),
          lab_sample_id TEXT REFERENCES lab_sample(id),
          contact_id TEXT REFERENCES contact(id),
          name TEXT, certificate TEXT, approved_at TEXT,
          \(common))
        """,
        """
        CREATE TABLE lab_result_metric (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          lab_result_id TEXT NOT NULL REFERENCES lab_result(id),
          lab_metric_id TEXT NOT NULL REFERENCES lab_metric(id),
          qom INTEGER, uom TEXT, lod INTEGER, loq INTEGER, "limit" INTEGER,
          status TEXT CHECK (status IS NULL OR status IN ('pass','fail','nd','nt','na','nr')),
          created_at TEXT NOT NULL DEFAULT \(now),
          updated_at TEXT NOT NULL DEFAULT \(now))
        """,
        "CREATE INDEX lab_result_metric_parent ON lab_result_metric(lab_result_id)",
        """
        CREATE TABLE lab_result_inventory (
          lab_result_id TEXT NOT NULL REFERENCES lab_result(id),
          inventory_id TEXT NOT NULL REFERENCES inventory(id),
          created_at TEXT NOT NULL DEFAULT \(now),
          PRIMARY KEY (lab_result_id, inventory_id))
        """,
        "CREATE INDEX lab_result_inventory_lot ON lab_result_inventory(inventory_id)",
        """
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          created_at TEXT NOT NULL DEFAULT \(now),
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          object_type TEXT NOT NULL,
          object_id TEXT,
          detail TEXT)
        """,
        """
        CREATE TABLE change_event (
          id INTEGER PRIMARY KEY,
          object_type TEXT NOT NULL,
          object_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('create','update')),
          origin TEXT,
          created_at TEXT NOT NULL DEFAULT \(now))
        """,
    ]
}
