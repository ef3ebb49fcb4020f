import Foundation
import GRDB
@testable import LotboxStore
import LotboxTestSupport
import Testing

/// After an upgrade, the first command a person runs is often one that only reads (`lotbox
/// status`): a store from the older lotbox is upgraded first, not failed on a missing table.
@Suite(.timeLimit(.minutes(5))) struct OlderStoreReadTests {
    @Test func aReadingCommandUpgradesAnOlderStoreFirst() throws {
        let folder = try TemporaryFolder.make()
        let older = folder + "/older.sqlite"
        let fresh = try DatabaseQueue(path: older)
        try fresh.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try StoreMigrator.migrator.migrate(fresh, upTo: "v4-stations")
        // Before: a v4 store has no v5 tables, which reading commands now use.
        #expect(try fresh.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'returning_customer'") } == nil)
        try fresh.close()
        let reader = try LotStore(path: older, readOnly: true)
        #expect(try reader.lots(LotFilter(limit: 10)).isEmpty)
        #expect(try reader.status().schema.count == StoreMigrator.migrator.migrations.count)
        let upgraded = try DatabaseQueue(path: older)
        #expect(Set(try upgraded.read { try StoreMigrator.migrator.appliedIdentifiers($0) }) == StoreMigrator.knownIdentifiers)
        try upgraded.close()
    }
}
