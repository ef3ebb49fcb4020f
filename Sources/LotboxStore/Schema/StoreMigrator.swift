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
        // After v5-scan-replay: it rebuilds scan_log, station_turn included.
        migrator.registerMigration(SchemaV5LicencePrivacy.identifier) { db in
            try SchemaV5LicencePrivacy.migrate(db)
        }
        migrator.registerMigration("v5-identifiers") { db in
            // Existing tags are upper-cased before the triggers that require it exist.
            try SchemaV5Identifiers.normalizeExisting(db)
            for statement in SchemaV5Identifiers.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-application-id") { db in
            // Marks the file as lotbox's: a new store at `init`, a round-1 store the first time a
            // writing command opens it. Commands refuse SQLite files without this mark or lotbox's tables.
            // 0x4C4F5442, "LOTB": StoreFile.applicationID, written out so the migration stays frozen.
            try db.execute(sql: "PRAGMA application_id = 1280267330")
        }
        migrator.registerMigration(SchemaV6APISessions.identifier) { db in
            for statement in SchemaV6APISessions.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV6LicenseNames.identifier) { db in
            for statement in SchemaV6LicenseNames.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV6Vehicle.identifier) { db in
            for statement in SchemaV6Vehicle.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV7NamesPerLicense.identifier) { db in
            for statement in SchemaV7NamesPerLicense.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV8Outbox.identifier) { db in
            for statement in SchemaV8Outbox.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV9Employees.identifier) { db in
            for statement in SchemaV9Employees.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV10OutboxOnDemand.identifier) { db in
            for statement in SchemaV10OutboxOnDemand.drop { try db.execute(sql: statement) }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox_setting)") == true {
                for statement in SchemaV10OutboxOnDemand.create { try db.execute(sql: statement) }
            }
        }
        migrator.registerMigration(SchemaV10PrintBatches.identifier) { db in
            for statement in SchemaV10PrintBatches.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV11SaleTender.identifier) { db in
            for statement in SchemaV11SaleTender.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(SchemaV12OutboxLotRename.identifier) { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox_setting)") == true {
                for statement in SchemaV12OutboxLotRename.create { try db.execute(sql: statement) }
            }
        }
        migrator.registerMigration(SchemaV13OutboxLabCover.identifier) { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox_setting)") == true {
                for statement in SchemaV13OutboxLabCover.create { try db.execute(sql: statement) }
            }
        }
        migrator.registerMigration(SchemaV14OutboxLowWater.identifier) { db in
            for statement in SchemaV14OutboxLowWater.statements { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// Migration identifiers this build knows: a store with others is from a newer lotbox.
    static var knownIdentifiers: Set<String> { Set(migrator.migrations) }
}
