/// Version 7: a section's, variety's or product's name is unique within its license, held by
/// the database as well as by the store's check (whose message names the clash): a direct write
/// or an import that slipped past the check cannot make two rooms of one license the same name.
/// Rows without a license (NULL) are one group: two shared rows of one name collide too. Case is
/// ignored, as every lookup by name ignores it. Vehicles have had theirs since v6-vehicle.
///
/// An older store may hold such twins (an import wrote rows without the check): every twin but
/// the first (by id) gets its id appended to its name, so the index can be made and nothing is
/// lost; the audit log keeps the old name. Frozen once shipped.
enum SchemaV7NamesPerLicense {
    static let identifier = "v7-names-per-license"

    static let tables = ["section", "variety", "product"]

    static var statements: [String] {
        tables.flatMap { table in
            [
                """
                INSERT INTO audit_log (actor, action, object_type, object_id, detail)
                SELECT 'migration', 'rename', '\(table)', t.id, json_object('name', t.name, 'why', 'another \(table) of its license has this name')
                  FROM \(table) t
                 WHERE EXISTS (SELECT 1 FROM \(table) o WHERE o.license_id IS t.license_id AND o.name = t.name COLLATE NOCASE AND o.id < t.id)
                """,
                """
                UPDATE \(table) SET name = name || ' (' || id || ')'
                 WHERE EXISTS (SELECT 1 FROM \(table) o WHERE o.license_id IS \(table).license_id
                                  AND o.name = \(table).name COLLATE NOCASE AND o.id < \(table).id)
                """,
                // License ids are never empty (CHECK length(id) > 0): '' stands for "no license".
                "CREATE UNIQUE INDEX \(table)_license_name ON \(table)(ifnull(license_id, ''), name COLLATE NOCASE)",
            ]
        }
    }
}
