import GRDB

/// Version 5: identifiers on lots. A METRC tag is upper case `1A4` + 21 hex digits and a BioTrack
/// id 16 digits for every writer (the same forms as LotboxCore's recognizers, spelled in SQL so
/// the migration never drifts); a sender's lot id (`origin`) may be on several lots (partial
/// shipments of one lot), while a METRC tag or BioTrack id still names one. Frozen once shipped.
enum SchemaV5Identifiers {
    static let metrcGlob = "1A4" + String(repeating: "[0-9A-F]", count: 21)
    static let bioTrackGlob = String(repeating: "[0-9]", count: 16)

    /// The check every inserted or changed identifier row passes.
    static let checks = """
          SELECT RAISE(ABORT, 'inventory_external_id: a metrc value must be an upper-case METRC tag, 1A4 followed by 21 hex digits')
            WHERE NEW.kind = 'metrc' AND NOT (NEW.value GLOB '\(metrcGlob)');
          SELECT RAISE(ABORT, 'inventory_external_id: a biotrack value must be 16 digits')
            WHERE NEW.kind = 'biotrack' AND NOT (NEW.value GLOB '\(bioTrackGlob)');
          SELECT RAISE(ABORT, 'inventory_external_id: a gtin value must be 8, 12, 13 or 14 digits')
            WHERE NEW.kind = 'gtin' AND (length(NEW.value) NOT IN (8, 12, 13, 14) OR NEW.value GLOB '*[^0-9]*');
        """

    static let statements: [String] = [
        "DROP INDEX inventory_external_id_unique",
        "CREATE UNIQUE INDEX inventory_external_id_own ON inventory_external_id(kind, value) WHERE kind IN ('metrc', 'biotrack')",
        """
        CREATE TRIGGER inventory_external_id_form BEFORE INSERT ON inventory_external_id BEGIN
        \(checks)
        END
        """,
        """
        CREATE TRIGGER inventory_external_id_form_update BEFORE UPDATE OF kind, value ON inventory_external_id BEGIN
        \(checks)
        END
        """,
    ]

    /// Tags written in lower case before version 5 are upper-cased, unless that would make them
    /// another lot's tag: such a pair is left for a person to sort out (`lot show` lists both).
    static func normalizeExisting(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT inventory_id, value FROM inventory_external_id WHERE kind = 'metrc' AND value <> upper(value) ORDER BY created_at, inventory_id
            """)
        for row in rows {
            let value: String = row["value"]
            let upper = value.uppercased()
            let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM inventory_external_id WHERE kind = 'metrc' AND value = ?", arguments: [upper]) == true
            guard !taken, upper.utf8.count == 24, upper.hasPrefix("1A4"),
                  upper.utf8.dropFirst(3).allSatisfy({ (48...57).contains($0) || (65...70).contains($0) }) else { continue }
            try db.execute(sql: "UPDATE inventory_external_id SET value = ? WHERE inventory_id = ? AND kind = 'metrc'",
                           arguments: [upper, row["inventory_id"] as String])
        }
    }
}
