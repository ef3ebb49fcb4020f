import Foundation
import GRDB
@testable import LotboxStore
import Testing

/// A shipped migration is frozen: stores in the field ran it as it was. What each migration does
/// to a fresh store (objects of the schema and seed rows added or removed) is kept as a
/// snapshot, and any change to a migration that has one fails here. A new migration gets its
/// snapshot written once, by
/// `LOTBOX_WRITE_SCHEMA_SNAPSHOTS=1 swift test --filter SchemaSnapshotTests`, and committed.
@Suite(.timeLimit(.minutes(5))) struct SchemaSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SchemaSnapshots")

    /// The schema (every table, index, trigger and view, as SQLite keeps it, one item each) and
    /// every row, after migrating a fresh database up to `identifier` (nil: nothing).
    static func items(upTo identifier: String?) throws -> [String] {
        let queue = try DatabaseQueue()
        guard let identifier else { return [] }
        try StoreMigrator.migrator.migrate(queue, upTo: identifier)
        return try queue.read { db in
            var items: [String] = []
            let objects = try Row.fetchAll(db, sql: """
                SELECT type, name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY type, name
                """)
            var tables: [String] = []
            for object in objects {
                let type: String = object["type"], name: String = object["name"]
                items.append("\(type) \(name): " + ((object["sql"] as String?) ?? "(automatic)"))
                if type == "table" { tables.append(name) }
            }
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                let rendered = rows.map { row in row.columnNames.map { "\($0)=\(row[$0].map { String(describing: $0) } ?? "NULL")" }.joined(separator: "|") }
                for line in rendered.sorted() { items.append("row \(table): \(line)") }
            }
            items.append("pragma application_id: \(try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0)")
            // Seed rows carry the moment they were made; that is not part of the migration.
            return items.map { $0.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "<instant>", options: .regularExpression) }
        }
    }

    /// What migration `identifier` changes: items it adds ("+ ") and removes ("- "), sorted.
    static func snapshot(of identifier: String) throws -> String {
        let migrations = StoreMigrator.migrator.migrations
        let index = try #require(migrations.firstIndex(of: identifier))
        let before = Set(try items(upTo: index == 0 ? nil : migrations[index - 1]))
        let after = Set(try items(upTo: identifier))
        let lines = after.subtracting(before).map { "+ " + $0 } + before.subtracting(after).map { "- " + $0 }
        return lines.sorted().joined(separator: "\n") + "\n"
    }

    @Test func everyMigrationMatchesItsSnapshot() throws {
        let identifiers = StoreMigrator.migrator.migrations
        #expect(identifiers.count >= 4)
        let writing = ProcessInfo.processInfo.environment["LOTBOX_WRITE_SCHEMA_SNAPSHOTS"] == "1"
        for identifier in identifiers {
            let file = Self.folder.appendingPathComponent(identifier + ".txt")
            let now = try Self.snapshot(of: identifier)
            if writing && !FileManager.default.fileExists(atPath: file.path) {
                try now.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            guard let frozen = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("migration \(identifier) has no snapshot: write it once with LOTBOX_WRITE_SCHEMA_SNAPSHOTS=1")
                continue
            }
            if frozen != now {
                let old = Set(frozen.split(separator: "\n")), new = Set(now.split(separator: "\n"))
                Issue.record("""
                    migration \(identifier) changed since it was frozen; add a new migration instead. \
                    No longer there: \(old.subtracting(new).sorted().prefix(3)); new: \(new.subtracting(old).sorted().prefix(3))
                    """)
            }
        }
    }

    /// The snapshot is stable: two fresh databases give the same text (no clock or random
    /// value in a seed), so the test above can only fail on a real change.
    @Test func snapshotsAreDeterministic() throws {
        let last = try #require(StoreMigrator.migrator.migrations.last)
        #expect(try Self.snapshot(of: last) == (try Self.snapshot(of: last)))
        #expect(try Self.items(upTo: last) == (try Self.items(upTo: last)))
    }
}
