import Foundation
import GRDB
@testable import LotboxStore
import Testing

/// A shipped migration is frozen: stores in the field ran it as it was. Each migration's
/// resulting schema and seed rows are kept as a snapshot, and any change to a migration that
/// has one fails here. A new migration gets its snapshot written once, by
/// `LOTBOX_WRITE_SCHEMA_SNAPSHOTS=1 swift test --filter SchemaSnapshotTests`, and committed.
@Suite(.timeLimit(.minutes(5))) struct SchemaSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SchemaSnapshots")

    /// The schema (every table, index, trigger and view, as SQLite keeps it) and every row, in a
    /// stable order, after migrating a fresh database up to `identifier`.
    static func snapshot(upTo identifier: String) throws -> String {
        let queue = try DatabaseQueue()
        try StoreMigrator.migrator.migrate(queue, upTo: identifier)
        return try queue.read { db in
            var lines: [String] = []
            let objects = try Row.fetchAll(db, sql: """
                SELECT type, name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY type, name
                """)
            var tables: [String] = []
            for object in objects {
                let type: String = object["type"], name: String = object["name"]
                lines.append("-- \(type) \(name)")
                lines.append((object["sql"] as String?) ?? "(automatic)")
                if type == "table" { tables.append(name) }
            }
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                let rendered = rows.map { row in row.columnNames.map { "\($0)=\(row[$0].map { String(describing: $0) } ?? "NULL")" }.joined(separator: "|") }
                for line in rendered.sorted() { lines.append("row \(table): \(line)") }
            }
            // Seed rows carry the moment they were made; that is not part of the migration.
            let text = lines.joined(separator: "\n") + "\n"
            return text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "<instant>", options: .regularExpression)
        }
    }

    @Test func everyMigrationMatchesItsSnapshot() throws {
        let identifiers = StoreMigrator.migrator.migrations
        #expect(identifiers.count >= 4)
        let writing = ProcessInfo.processInfo.environment["LOTBOX_WRITE_SCHEMA_SNAPSHOTS"] == "1"
        for identifier in identifiers {
            let file = Self.folder.appendingPathComponent(identifier + ".sql")
            let now = try Self.snapshot(upTo: identifier)
            if writing && !FileManager.default.fileExists(atPath: file.path) {
                try now.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            guard let frozen = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("migration \(identifier) has no snapshot: write it once with LOTBOX_WRITE_SCHEMA_SNAPSHOTS=1")
                continue
            }
            if frozen != now {
                let old = frozen.split(separator: "\n"), new = now.split(separator: "\n")
                let firstDifference = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
                Issue.record("""
                    migration \(identifier) changed since it was frozen; add a new migration instead. First difference at line \
                    \(firstDifference + 1): was \(firstDifference < old.count ? String(old[firstDifference]) : "(end)"), \
                    now \(firstDifference < new.count ? String(new[firstDifference]) : "(end)")
                    """)
            }
        }
    }

    /// The snapshot is stable: two fresh databases give the same text (no clock or random
    /// value in a seed), so the test above can only fail on a real change.
    @Test func snapshotsAreDeterministic() throws {
        let last = try #require(StoreMigrator.migrator.migrations.last)
        #expect(try Self.snapshot(upTo: last) == (try Self.snapshot(upTo: last)))
    }
}
