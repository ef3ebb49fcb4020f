-- index b2b_incoming_item_parent
CREATE INDEX b2b_incoming_item_parent ON b2b_incoming_item(b2b_incoming_id)
-- index b2b_outgoing_item_parent
CREATE INDEX b2b_outgoing_item_parent ON b2b_outgoing_item(b2b_outgoing_id)
-- index b2c_sale_item_parent
CREATE INDEX b2c_sale_item_parent ON b2c_sale_item(b2c_sale_id)
-- index inventory_adjust_inventory
CREATE INDEX inventory_adjust_inventory ON inventory_adjust(inventory_id)
-- index inventory_external_id_unique
CREATE UNIQUE INDEX inventory_external_id_unique ON inventory_external_id(kind, value) WHERE kind <> 'gtin'
-- index inventory_external_id_value
CREATE INDEX inventory_external_id_value ON inventory_external_id(value)
-- index inventory_family_output
CREATE INDEX inventory_family_output ON inventory_family(inventory_id_output)
-- index inventory_family_source
CREATE INDEX inventory_family_source ON inventory_family(inventory_id)
-- index inventory_product
CREATE INDEX inventory_product ON inventory(product_id)
-- index lab_result_inventory_lot
CREATE INDEX lab_result_inventory_lot ON lab_result_inventory(inventory_id)
-- index lab_result_metric_parent
CREATE INDEX lab_result_metric_parent ON lab_result_metric(lab_result_id)
-- index license_code
CREATE UNIQUE INDEX license_code ON license(code) WHERE code IS NOT NULL
-- index print_job_object
CREATE INDEX print_job_object ON print_job(object_id)
-- index print_job_waiting
CREATE INDEX print_job_waiting ON print_job(printer, state, next_attempt_at)
-- index product_code_product
CREATE INDEX product_code_product ON product_code(product_id)
-- index scan_log_station
CREATE INDEX scan_log_station ON scan_log(station, id)
-- table audit_log
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT,
  detail TEXT)
-- table b2b_incoming
CREATE TABLE b2b_incoming (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  source_license_id TEXT NOT NULL REFERENCES license(id),
  target_license_id TEXT NOT NULL REFERENCES license(id),
  name TEXT, depart_at TEXT, arrive_at TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table b2b_incoming_item
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
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table b2b_outgoing
CREATE TABLE b2b_outgoing (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  source_license_id TEXT NOT NULL REFERENCES license(id),
  target_license_id TEXT NOT NULL REFERENCES license(id),
  name TEXT, depart_at TEXT, arrive_at TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table b2b_outgoing_item
CREATE TABLE b2b_outgoing_item (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  b2b_outgoing_id TEXT NOT NULL REFERENCES b2b_outgoing(id),
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  product_id TEXT REFERENCES product(id),
  variety_id TEXT REFERENCES variety(id),
  qty INTEGER NOT NULL CHECK (qty > 0),
  unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table b2c_sale
CREATE TABLE b2c_sale (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  license_id TEXT NOT NULL REFERENCES license(id),
  contact_id TEXT REFERENCES contact(id),
  name TEXT, execute_at TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table b2c_sale_item
CREATE TABLE b2c_sale_item (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  b2c_sale_id TEXT NOT NULL REFERENCES b2c_sale(id),
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  unit_count INTEGER NOT NULL CHECK (unit_count > 0),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table change_event
CREATE TABLE change_event (
  id INTEGER PRIMARY KEY,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('create','update')),
  origin TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table company
CREATE TABLE company (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name TEXT NOT NULL, code TEXT, type TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table contact
CREATE TABLE contact (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  company_id TEXT NOT NULL REFERENCES company(id),
  type TEXT NOT NULL CHECK (type IN ('Caregiver','Client','Driver','Employee','Manager','Owner','Patient','User','Vendor','System')),
  name TEXT NOT NULL, email TEXT, phone TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table feed_cursor
CREATE TABLE feed_cursor (
  consumer TEXT PRIMARY KEY NOT NULL,
  cursor INTEGER NOT NULL CHECK (cursor >= 0),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table inventory
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
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT) WITHOUT ROWID
-- table inventory_adjust
CREATE TABLE inventory_adjust (
  id INTEGER PRIMARY KEY,
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  delta INTEGER NOT NULL CHECK (typeof(delta) = 'integer'),
  reason_code TEXT NOT NULL CHECK (length(reason_code) > 0 AND reason_code <> 'open'),
  note TEXT,
  actor TEXT NOT NULL DEFAULT 'sql',
  ref_type TEXT, ref_id TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table inventory_external_id
CREATE TABLE inventory_external_id (
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  kind TEXT NOT NULL CHECK (kind IN ('metrc','biotrack','gtin','origin')),
  value TEXT NOT NULL CHECK (length(value) > 0),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (inventory_id, kind)) WITHOUT ROWID
-- table inventory_family
CREATE TABLE inventory_family (
  id INTEGER PRIMARY KEY,
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  inventory_id_output TEXT NOT NULL REFERENCES inventory(id),
  type TEXT NOT NULL CHECK (type IN ('SPLT','CONV')),
  qty INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table lab_metric
CREATE TABLE lab_metric (
  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, uom TEXT)
-- table lab_result
CREATE TABLE lab_result (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  license_id TEXT NOT NULL REFERENCES license(id),
  lab_sample_id TEXT REFERENCES lab_sample(id),
  contact_id TEXT REFERENCES contact(id),
  name TEXT, certificate TEXT, approved_at TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table lab_result_inventory
CREATE TABLE lab_result_inventory (
  lab_result_id TEXT NOT NULL REFERENCES lab_result(id),
  inventory_id TEXT NOT NULL REFERENCES inventory(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (lab_result_id, inventory_id))
-- table lab_result_metric
CREATE TABLE lab_result_metric (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  lab_result_id TEXT NOT NULL REFERENCES lab_result(id),
  lab_metric_id TEXT NOT NULL REFERENCES lab_metric(id),
  qom INTEGER, uom TEXT, lod INTEGER, loq INTEGER, "limit" INTEGER,
  status TEXT CHECK (status IS NULL OR status IN ('pass','fail','nd','nt','na','nr')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table lab_sample
CREATE TABLE lab_sample (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  license_id TEXT NOT NULL REFERENCES license(id),
  inventory_id TEXT,
  name TEXT,
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table license
CREATE TABLE license (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  company_id TEXT NOT NULL REFERENCES company(id),
  code TEXT, name TEXT NOT NULL,
  type TEXT NOT NULL REFERENCES license_type(id),
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table license_type
CREATE TABLE license_type (id TEXT PRIMARY KEY NOT NULL, code TEXT, name TEXT NOT NULL)
-- table lotbox_meta
CREATE TABLE lotbox_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)
-- table print_job
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
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
-- table product
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
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table product_code
CREATE TABLE product_code (
  code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 14 AND code NOT GLOB '*[^0-9]*'),
  product_id TEXT NOT NULL REFERENCES product(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))) WITHOUT ROWID
-- table product_type
CREATE TABLE product_type (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, mode TEXT)
-- table scan_log
CREATE TABLE scan_log (
  id INTEGER PRIMARY KEY,
  station TEXT,
  device TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('recognized','rejected')),
  kind TEXT NOT NULL,
  value TEXT,
  symbology TEXT,
  raw BLOB,
  raw_sha256 TEXT NOT NULL CHECK (length(raw_sha256) = 64),
  raw_length INTEGER NOT NULL CHECK (raw_length >= 0),
  reason TEXT,
  detail TEXT,
  scanned_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  CHECK (status = 'recognized' OR reason IS NOT NULL))
-- table section
CREATE TABLE section (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  license_id TEXT REFERENCES license(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT 'inventory' CHECK (type IN ('crop','inventory','inventory-quarantine')),
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- table variety
CREATE TABLE variety (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name TEXT NOT NULL,
  type TEXT CHECK (type IS NULL OR type IN ('Hemp','Hybrid','Indica','Sativa','Ruderalis')),
  stat INTEGER NOT NULL DEFAULT 200,
flag INTEGER NOT NULL DEFAULT 0,
created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
deleted_at TEXT,
meta TEXT)
-- trigger audit_log_no_delete
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END
-- trigger audit_log_no_update
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END
-- trigger b2b_incoming_feed_insert
CREATE TRIGGER b2b_incoming_feed_insert AFTER INSERT ON b2b_incoming BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2b_incoming', NEW.id, 'create');
END
-- trigger b2b_incoming_feed_update
CREATE TRIGGER b2b_incoming_feed_update AFTER UPDATE ON b2b_incoming BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('b2b_incoming', NEW.id, 'update', NULL);
END
-- trigger b2b_incoming_item_feed
CREATE TRIGGER b2b_incoming_item_feed AFTER INSERT ON b2b_incoming_item
WHEN NOT (SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.b2b_incoming_id BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2b_incoming', NEW.b2b_incoming_id, 'update');
END
-- trigger b2b_outgoing_feed_insert
CREATE TRIGGER b2b_outgoing_feed_insert AFTER INSERT ON b2b_outgoing BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2b_outgoing', NEW.id, 'create');
END
-- trigger b2b_outgoing_feed_update
CREATE TRIGGER b2b_outgoing_feed_update AFTER UPDATE ON b2b_outgoing BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('b2b_outgoing', NEW.id, 'update', NULL);
END
-- trigger b2b_outgoing_item_feed
CREATE TRIGGER b2b_outgoing_item_feed AFTER INSERT ON b2b_outgoing_item
WHEN NOT (SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.b2b_outgoing_id BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2b_outgoing', NEW.b2b_outgoing_id, 'update');
END
-- trigger b2c_sale_feed_insert
CREATE TRIGGER b2c_sale_feed_insert AFTER INSERT ON b2c_sale BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2c_sale', NEW.id, 'create');
END
-- trigger b2c_sale_feed_update
CREATE TRIGGER b2c_sale_feed_update AFTER UPDATE ON b2c_sale BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('b2c_sale', NEW.id, 'update', NULL);
END
-- trigger b2c_sale_item_feed
CREATE TRIGGER b2c_sale_item_feed AFTER INSERT ON b2c_sale_item
WHEN NOT (SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.b2c_sale_id BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('b2c_sale', NEW.b2c_sale_id, 'update');
END
-- trigger change_event_no_delete
CREATE TRIGGER change_event_no_delete BEFORE DELETE ON change_event BEGIN
  SELECT RAISE(ABORT, 'change_event is append-only');
END
-- trigger change_event_no_update
CREATE TRIGGER change_event_no_update BEFORE UPDATE ON change_event BEGIN
  SELECT RAISE(ABORT, 'change_event is append-only');
END
-- trigger company_feed_insert
CREATE TRIGGER company_feed_insert AFTER INSERT ON company BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('company', NEW.id, 'create');
END
-- trigger company_feed_update
CREATE TRIGGER company_feed_update AFTER UPDATE ON company BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('company', NEW.id, 'update', NULL);
END
-- trigger contact_feed_insert
CREATE TRIGGER contact_feed_insert AFTER INSERT ON contact BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('contact', NEW.id, 'create');
END
-- trigger contact_feed_update
CREATE TRIGGER contact_feed_update AFTER UPDATE ON contact BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('contact', NEW.id, 'update', NULL);
END
-- trigger inventory_adjust_apply
CREATE TRIGGER inventory_adjust_apply AFTER INSERT ON inventory_adjust BEGIN
  UPDATE inventory SET qty = qty + NEW.delta, updated_at = NEW.created_at WHERE id = NEW.inventory_id;
END
-- trigger inventory_adjust_check
CREATE TRIGGER inventory_adjust_check BEFORE INSERT ON inventory_adjust BEGIN
  SELECT RAISE(ABORT, 'inventory_adjust.inventory_id does not name a lot')
    WHERE NOT EXISTS (SELECT 1 FROM inventory WHERE id = NEW.inventory_id);
  SELECT RAISE(ABORT, 'inventory_adjust: the lot is void and locked')
    WHERE (SELECT stat FROM inventory WHERE id = NEW.inventory_id) = 423;
  SELECT RAISE(ABORT, 'inventory_adjust: the lot does not hold that much')
    WHERE (SELECT qty FROM inventory WHERE id = NEW.inventory_id) + NEW.delta < 0;
END
-- trigger inventory_adjust_no_delete
CREATE TRIGGER inventory_adjust_no_delete BEFORE DELETE ON inventory_adjust BEGIN
  SELECT RAISE(ABORT, 'inventory_adjust is append-only');
END
-- trigger inventory_adjust_no_update
CREATE TRIGGER inventory_adjust_no_update BEFORE UPDATE ON inventory_adjust BEGIN
  SELECT RAISE(ABORT, 'inventory_adjust is append-only');
END
-- trigger inventory_created
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
-- trigger inventory_external_id_feed
CREATE TRIGGER inventory_external_id_feed AFTER INSERT ON inventory_external_id
WHEN NOT EXISTS (SELECT 1 FROM inventory WHERE id = NEW.inventory_id AND created_at = NEW.created_at) BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('inventory', NEW.inventory_id, 'update');
END
-- trigger inventory_family_no_delete
CREATE TRIGGER inventory_family_no_delete BEFORE DELETE ON inventory_family BEGIN
  SELECT RAISE(ABORT, 'inventory_family is append-only');
END
-- trigger inventory_family_no_update
CREATE TRIGGER inventory_family_no_update BEFORE UPDATE ON inventory_family BEGIN
  SELECT RAISE(ABORT, 'inventory_family is append-only');
END
-- trigger inventory_feed_update
CREATE TRIGGER inventory_feed_update AFTER UPDATE ON inventory BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('inventory', NEW.id, 'update', NULL);
END
-- trigger inventory_no_delete
CREATE TRIGGER inventory_no_delete BEFORE DELETE ON inventory BEGIN
  SELECT RAISE(ABORT, 'lots are voided (stat 410 then 423), never deleted');
END
-- trigger inventory_qty_guard
CREATE TRIGGER inventory_qty_guard BEFORE UPDATE OF qty ON inventory
WHEN NEW.qty IS NOT OLD.qty_initial + (SELECT coalesce(sum(delta), 0) FROM inventory_adjust WHERE inventory_id = NEW.id) BEGIN
  SELECT RAISE(ABORT, 'inventory.qty changes only through inventory_adjust rows');
END
-- trigger inventory_qty_initial_fixed
CREATE TRIGGER inventory_qty_initial_fixed BEFORE UPDATE OF qty_initial ON inventory
WHEN NEW.qty_initial IS NOT OLD.qty_initial BEGIN
  SELECT RAISE(ABORT, 'inventory.qty_initial never changes');
END
-- trigger lab_result_feed_insert
CREATE TRIGGER lab_result_feed_insert AFTER INSERT ON lab_result BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('lab_result', NEW.id, 'create');
END
-- trigger lab_result_feed_update
CREATE TRIGGER lab_result_feed_update AFTER UPDATE ON lab_result BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('lab_result', NEW.id, 'update', NULL);
END
-- trigger lab_result_inventory_feed
CREATE TRIGGER lab_result_inventory_feed AFTER INSERT ON lab_result_inventory
WHEN NOT (SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.lab_result_id BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('lab_result', NEW.lab_result_id, 'update');
END
-- trigger lab_result_metric_feed
CREATE TRIGGER lab_result_metric_feed AFTER INSERT ON lab_result_metric
WHEN NOT (SELECT object_id FROM change_event ORDER BY id DESC LIMIT 1) IS NEW.lab_result_id BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('lab_result', NEW.lab_result_id, 'update');
END
-- trigger lab_sample_feed_insert
CREATE TRIGGER lab_sample_feed_insert AFTER INSERT ON lab_sample BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('lab_sample', NEW.id, 'create');
END
-- trigger lab_sample_feed_update
CREATE TRIGGER lab_sample_feed_update AFTER UPDATE ON lab_sample BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('lab_sample', NEW.id, 'update', NULL);
END
-- trigger license_feed_insert
CREATE TRIGGER license_feed_insert AFTER INSERT ON license BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('license', NEW.id, 'create');
END
-- trigger license_feed_update
CREATE TRIGGER license_feed_update AFTER UPDATE ON license BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('license', NEW.id, 'update', NULL);
END
-- trigger product_feed_insert
CREATE TRIGGER product_feed_insert AFTER INSERT ON product BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('product', NEW.id, 'create');
END
-- trigger product_feed_update
CREATE TRIGGER product_feed_update AFTER UPDATE ON product BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('product', NEW.id, 'update', NULL);
END
-- trigger scan_log_append_only
CREATE TRIGGER scan_log_append_only BEFORE UPDATE ON scan_log
  BEGIN SELECT RAISE(ABORT, 'scan_log is append-only'); END
-- trigger scan_log_no_licence_data
CREATE TRIGGER scan_log_no_licence_data BEFORE INSERT ON scan_log
  WHEN NEW.kind = 'aamva-licence' AND NEW.raw IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'scan_log: licence scans are stored redacted (raw must be NULL)'); END
-- trigger section_feed_insert
CREATE TRIGGER section_feed_insert AFTER INSERT ON section BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('section', NEW.id, 'create');
END
-- trigger section_feed_update
CREATE TRIGGER section_feed_update AFTER UPDATE ON section BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('section', NEW.id, 'update', NULL);
END
-- trigger variety_feed_insert
CREATE TRIGGER variety_feed_insert AFTER INSERT ON variety BEGIN
  INSERT INTO change_event (object_type, object_id, action) VALUES ('variety', NEW.id, 'create');
END
-- trigger variety_feed_update
CREATE TRIGGER variety_feed_update AFTER UPDATE ON variety BEGIN
  INSERT INTO change_event (object_type, object_id, action, origin) VALUES ('variety', NEW.id, 'update', NULL);
END
-- view inventory_ledger
CREATE VIEW inventory_ledger AS
  SELECT 0 AS id, id AS inventory_id, qty_initial AS delta, 'open' AS reason_code, origin AS note,
         coalesce(json_extract(meta, '$.actor'), 'sql') AS actor, NULL AS ref_type, NULL AS ref_id, created_at
    FROM inventory
  UNION ALL
  SELECT id, inventory_id, delta, reason_code, note, actor, ref_type, ref_id, created_at FROM inventory_adjust
row company: id=018NY6XC00C0MPANY000000000|name=-system-|code=NULL|type=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row company: id=018NY6XC00C0MPANY000000001|name=-orphan-|code=NULL|type=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row contact: id=018NY6XC00C0NTACT000000000|company_id=018NY6XC00C0MPANY000000000|type=System|name=-system-|email=NULL|phone=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row contact: id=018NY6XC00C0NTACT000000001|company_id=018NY6XC00C0MPANY000000000|type=System|name=-orphan-|email=NULL|phone=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row lab_metric: id=018NY6XC00DEEZ41QBXR2E3T97|name=Total CBD|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LM0PXPG4592M8J14|name=Moisture|type=General|uom=pct
row lab_metric: id=018NY6XC00LM3W3G1ERAF2QEF5|name=CBN|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LM49CV7QP9KM9QH9|name=d9-THC|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LM877GAKMFPK7BMC|name=d8-THC|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LMB0JPRM2SF8F9F2|name=d9-THCA|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LMENDHEH2Y32X903|name=CBDA|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LMHF4266DN94JPPX|name=Water Activity|type=General|uom=aw
row lab_metric: id=018NY6XC00LMK7KHD3HPW0Y90N|name=CBD|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00LMXRFMR5NJ35ZBAX|name=CBG|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00PXG4PH0TXS014VVW|name=Total THC|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00SAE8Q4JSMF40YSZ3|name=Total Cannabinoid|type=Cannabinoid|uom=pct
row lab_metric: id=018NY6XC00V7ACCY94MHYWNWRN|name=Total THC+CBD|type=Cannabinoid|uom=pct
row license: id=018NY6XC00L1CENSE000000000|company_id=018NY6XC00C0MPANY000000000|code=NULL|name=-system-|type=018NY6XC00L1CENSETYPE00000|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row license: id=018NY6XC00L1CENSE000000001|company_id=018NY6XC00C0MPANY000000000|code=NULL|name=-orphan-|type=018NY6XC00L1CENSETYPE00000|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row license_type: id=018NY6XC00L1CENSETYPE00000|code=system|name=-system-
row license_type: id=018NY6XC00L1CENSETYPE00001|code=orphan|name=-orphan-
row license_type: id=018NY6XC00L1CENSETYPE00CAR|code=carrier|name=Carrier
row license_type: id=018NY6XC00L1CENSETYPE00GR0|code=grower|name=Grower
row license_type: id=018NY6XC00L1CENSETYPE00GXP|code=grower-processor|name=Grower+Processor
row license_type: id=018NY6XC00L1CENSETYPE00LAB|code=lab|name=Lab
row license_type: id=018NY6XC00L1CENSETYPE00PR0|code=processor|name=Processor
row license_type: id=018NY6XC00L1CENSETYPE00RET|code=retail|name=Retail
row product: id=018NY6XC00PR0DUCT000000000|license_id=NULL|name=-system-|type=018NY6XC00PT00000000000000|package_type=bulk|package_unit_qom=NULL|package_unit_uom=g|package_pack_qom=NULL|unit_price=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row product: id=018NY6XC00PR0DUCT000000001|license_id=NULL|name=-orphan-|type=018NY6XC00PT00000000000000|package_type=bulk|package_unit_qom=NULL|package_unit_uom=g|package_pack_qom=NULL|unit_price=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row product_type: id=018NY6XC00PT00000000000000|name=-system-|mode=NULL
row product_type: id=018NY6XC00PT00000000000001|name=-orphan-|mode=NULL
row product_type: id=018NY6XC00PT0000000000BULK|name=Generic Bulk|mode=NULL
row product_type: id=018NY6XC00PT0000000000EACH|name=Generic Packaged|mode=NULL
row product_type: id=018NY6XC00PT000000TAXOTHER|name=Other Taxes|mode=NULL
row product_type: id=018NY6XC00PT000000TAXSALES|name=Sales Taxes|mode=NULL
row product_type: id=018NY6XC00PT01KFPCEFB9G1Z2|name=Plant Tissue|mode=bulk
row product_type: id=018NY6XC00PT0WQP2XV5KNP395|name=Topical|mode=each
row product_type: id=018NY6XC00PT137RT5M0B82X4T|name=Waste/Intermediate|mode=bulk
row product_type: id=018NY6XC00PT25F95HPG583AJB|name=Capsule|mode=each
row product_type: id=018NY6XC00PT3EZZ4GN6105M64|name=Plant/Clone/Seed|mode=bulk
row product_type: id=018NY6XC00PT4N82RFPHNHV3ZQ|name=Waste/End|mode=bulk
row product_type: id=018NY6XC00PT63ECNBAZH32YC3|name=Mixed/Lot|mode=bulk
row product_type: id=018NY6XC00PT684JJSXN8RAWBM|name=Oil/Ethanol|mode=bulk
row product_type: id=018NY6XC00PT684JJSXN8RCC48|name=Oil/BHO|mode=bulk
row product_type: id=018NY6XC00PT6QKRGR3JYQX0BK|name=Hash/Bubble|mode=bulk
row product_type: id=018NY6XC00PT7N83PFNCX8ZFEF|name=Edible/Liquid|mode=each
row product_type: id=018NY6XC00PT8AXVZGNZN3A0QT|name=Waste|mode=bulk
row product_type: id=018NY6XC00PT8ZPGMPR8H2TAXH|name=Grade-B Lot|mode=bulk
row product_type: id=018NY6XC00PT9CP8G7BMEKMSXA|name=Grade-C Mixed|mode=bulk
row product_type: id=018NY6XC00PTACC942KY9DCERR|name=Non-Solvent|mode=bulk
row product_type: id=018NY6XC00PTAF3TFBB51C8HX6|name=Grade-A Lot|mode=bulk
row product_type: id=018NY6XC00PTB2YPQA1MRNYQGC|name=Waste/Harvest|mode=bulk
row product_type: id=018NY6XC00PTBJ3G5FDAJN60EX|name=Suppository|mode=each
row product_type: id=018NY6XC00PTBNDY5VJ8JQ6NKP|name=Edible/Solid|mode=each
row product_type: id=018NY6XC00PTCS5AZV189X1YRK|name=Wax/Hydrocarbon|mode=bulk
row product_type: id=018NY6XC00PTD9Q4QPFBH0G9H2|name=Tincture|mode=each
row product_type: id=018NY6XC00PTFTRV9BDWTN71Q8|name=Grade-B Net|mode=bulk
row product_type: id=018NY6XC00PTFY48D1136W0S0J|name=Sample/QA|mode=each
row product_type: id=018NY6XC00PTGBW49J6YD3WM84|name=Grade-B Raw(Wet)|mode=NULL
row product_type: id=018NY6XC00PTGMB39NHCZ8EDEZ|name=Flower/Bagged|mode=each
row product_type: id=018NY6XC00PTGRX4Q9SZBHDA5Z|name=Mix Infused|mode=each
row product_type: id=018NY6XC00PTHE7GWB4QTG4JKZ|name=Sample Jar|mode=each
row product_type: id=018NY6XC00PTHP9NMJ1RE6TA62|name=Food Grade|mode=bulk
row product_type: id=018NY6XC00PTHPB8YG56S0MCAC|name=Transdermal|mode=each
row product_type: id=018NY6XC00PTK2E0W67FMBZP9Q|name=Pre-Roll|mode=each
row product_type: id=018NY6XC00PTKYYGMRSKV4XNH7|name=Mix/Package|mode=each
row product_type: id=018NY6XC00PTNPA4TPCYSKD5XN|name=Kief|mode=bulk
row product_type: id=018NY6XC00PTNZQPYNH74BPZ1K|name=Dairy|mode=bulk
row product_type: id=018NY6XC00PTR9EWCYRWGW3CXW|name=Extract/General|mode=bulk
row product_type: id=018NY6XC00PTR9M5Z9S4T31C4R|name=Oil/CO2|mode=bulk
row product_type: id=018NY6XC00PTRPPDT8NJY2MWQW|name=Plant|mode=bulk
row product_type: id=018NY6XC00PTSF5NTC899SR0JF|name=Extract/Packaged|mode=NULL
row product_type: id=018NY6XC00PTXB19AQ8N8RW33A|name=Processing/CBD|mode=bulk
row product_type: id=018NY6XC00PTY5XPA4KJT6W3K4|name=Oil/Cooking|mode=bulk
row product_type: id=018NY6XC00PTY9THKSEQ8NFS1J|name=Seed|mode=bulk
row product_type: id=018NY6XC00PTYM8J81K9HFGEMQ|name=Grade-A Raw(Wet)|mode=bulk
row product_type: id=018NY6XC00PTZZWCH7XVREHK6T|name=Flower/Dry|mode=bulk
row section: id=018NY6XC00SECT10N000000000|license_id=NULL|name=-default-|type=inventory|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row variety: id=018NY6XC00VAR1ETY000000000|name=-system-|type=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
row variety: id=018NY6XC00VAR1ETY000000001|name=-orphan-|type=NULL|stat=200|flag=0|created_at=<instant>|updated_at=<instant>|deleted_at=NULL|meta=NULL
