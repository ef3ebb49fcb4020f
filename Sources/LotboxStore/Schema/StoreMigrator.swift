import GRDB

/// The store's migrations, in order. Each is frozen once shipped.
enum StoreMigrator {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-openthc-model") { db in
            for statement in SchemaV1Tables.statements { try db.execute(sql: statement) }
            // Seeds go in before the triggers: the well-known objects are not news to the feed.
            try SchemaV1Seeds.insert(db)
            for statement in SchemaV1Triggers.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2-print-queue") { db in
            for statement in SchemaV2PrintQueue.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3-scans") { db in
            for statement in SchemaV3Scans.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4-stations") { db in
            for statement in SchemaV4Stations.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-scan-replay") { db in
            for statement in SchemaV5ScanReplay.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-exact-taxes") { db in
            for statement in SchemaV5ExactTaxes.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-lab-lineage") { db in
            try SchemaV5LabLineage.insert(db)
        }
        return migrator
    }

    /// Migration identifiers this build knows: a store with others is from a newer lotbox.
    static var knownIdentifiers: Set<String> { Set(migrator.migrations) }
}
