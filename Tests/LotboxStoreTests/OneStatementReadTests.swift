import Foundation
import GRDB
import GRDBSQLite
import LotboxCore
import LotboxTestSupport
import Synchronization
import Testing
@testable import LotboxStore

/// Reads of one statement (the API's GET of a lot, a scanner's lookup) take connections of their
/// own outside a transaction, and the transaction's connection inside one.
@Suite(.timeLimit(.minutes(5))) struct OneStatementReadTests {
    @Test func aLotWrittenInATransactionIsFoundInsideItOnItsOwnConnection() throws {
        let fixture = try StoreFixture()
        let readers = try #require(fixture.store.oneStatementReaders)
        let before = readers.openedCount
        let found = try fixture.store.transaction {
            let lot = try fixture.lot("10 g")
            // Not committed yet: only the transaction's own connection can see it.
            return try fixture.store.lot(id: lot.id)
        }
        #expect(found != nil)
        #expect(readers.openedCount == before, "a read inside a transaction opened a connection of its own")
        let again = try fixture.store.lot(id: try #require(found).id)
        #expect(again?.qty == found?.qty)
        #expect(readers.openedCount >= 1, "a read outside every transaction did not use a connection of its own")
    }

    @Test func manyThreadsReadingAtOnceEachGetTheirOwnLotAndTheConnectionsStayBounded() throws {
        let fixture = try StoreFixture()
        let lots = try (0..<40).map { try fixture.lot("\($0 + 1) g") }
        let wrong = Atomic<Int>(0)
        let failed = Mutex<[String]>([])
        let store = fixture.store
        DispatchQueue.concurrentPerform(iterations: 12) { thread in
            for round in 0..<200 {
                let lot = lots[(thread * 7 + round) % lots.count]
                do {
                    if try store.lot(id: lot.id)?.qty != lot.qty { wrong.add(1, ordering: .relaxed) }
                    if try store.lotView(id: lot.id, license: fixture.license.id)?.lot.id != lot.id { wrong.add(1, ordering: .relaxed) }
                } catch {
                    failed.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failed.withLock { $0 }.isEmpty)
        #expect(wrong.load(ordering: .relaxed) == 0)
        let readers = try #require(store.oneStatementReaders)
        #expect((1...readers.limit).contains(readers.openedCount))
    }

    @Test func whatAnotherProcessCommitsIsSeenAtTheNextRead() throws {
        let fixture = try StoreFixture()
        let first = try fixture.lot("1 g")
        #expect(try fixture.store.lot(id: first.id) != nil)
        // A second store on the same file stands for another process (the CLI beside the daemon).
        let other = try LotStore(path: fixture.path)
        let second = try other.createLot(NewLot(licenseKey: fixture.license.id, productKey: fixture.flower.id, qty: "2 g"), actor: "test")
        #expect(try fixture.store.lot(id: second.id)?.qty == second.qty)
        // A schema change by the other process: the reader's cached statement is prepared again.
        try other.write { try $0.execute(sql: "CREATE TABLE scratch_from_another_process (x)") }
        let adjusted = try other.adjustLot(second.id, .by("1 g"), reason: .audit, note: "recount", actor: "test")
        #expect(adjusted.qty != second.qty)
        #expect(try fixture.store.lot(id: second.id)?.qty == adjusted.qty)
    }

    /// SQLite prepares a cached statement again after a schema change, but GRDB keeps the
    /// statement's column names: a statement that names its columns reads the right ones after
    /// another process rebuilt the table with its columns in another order.
    @Test func aTableRebuiltByAnotherProcessIsReadByItsNamedColumns() throws {
        let fixture = try StoreFixture()
        let readers = try #require(fixture.store.oneStatementReaders)
        let other = try LotStore(path: fixture.path)
        try other.write { try $0.execute(sql: "CREATE TABLE scratch_rebuilt (a TEXT, b TEXT); INSERT INTO scratch_rebuilt VALUES ('alpha', 'beta')") }
        let read = { () throws -> String? in
            try readers.withConnection { db in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT a, b FROM scratch_rebuilt")).map { $0["a"] as String }
            } ?? nil
        }
        #expect(try read() == "alpha")
        try other.write { db in
            try db.execute(sql: """
                CREATE TABLE scratch_new (b TEXT, a TEXT); INSERT INTO scratch_new (a, b) SELECT a, b FROM scratch_rebuilt;
                DROP TABLE scratch_rebuilt; ALTER TABLE scratch_new RENAME TO scratch_rebuilt
                """)
        }
        #expect(try read() == "alpha")
        #expect(readers.openedCount == 1)
    }

    /// The store's own reads of one statement, after another process rebuilt `inventory` with its
    /// columns reversed: every field still comes from its own column.
    @Test func aLotIsReadByItsNamedColumnsAfterAnotherProcessRebuiltItsTable() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.store.createLot(NewLot(licenseKey: fixture.license.id, productKey: fixture.flower.id, qty: "7 g",
                                                     name: "Rebuilt", externalIDs: [.metrc: "1A4000000000000000000042"]), actor: "test")
        let before = try #require(try fixture.store.lot(id: lot.id))
        // Each read once before the rebuild, so their cached statements are the ones prepared again.
        #expect(try fixture.store.lotView(id: lot.id, license: fixture.license.id)?.lot == before)
        #expect(try fixture.store.lot(externalID: "1a4000000000000000000042", kind: .metrc) == before)
        let other = try LotStore(path: fixture.path)
        try other.pool.writeWithoutTransaction { db in
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('inventory')")
            let reversed = columns.reversed().joined(separator: ", ")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "PRAGMA legacy_alter_table = ON")
            try db.execute(sql: """
                CREATE TABLE inventory_rebuilt AS SELECT \(reversed) FROM inventory;
                DROP TABLE inventory;
                ALTER TABLE inventory_rebuilt RENAME TO inventory
                """)
        }
        #expect(try fixture.store.lot(id: lot.id) == before)
        #expect(try fixture.store.lotView(id: lot.id, license: fixture.license.id)?.lot == before)
        #expect(try fixture.store.lot(externalID: "1a4000000000000000000042", kind: .metrc) == before)
    }

    /// A lot decoded by position (``PositionalRow``) is the lot GRDB decodes by column name, with
    /// every column holding a value of its own, so two columns read in each other's place fail.
    @Test func aLotDecodedByPositionIsTheLotDecodedByName() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("3 g")
        // qty and qty_initial differ, and so do the two times.
        try fixture.store.adjustLot(lot.id, .by("-1 g"), reason: .correction, note: "recount", actor: "test")
        try fixture.store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: """
                UPDATE inventory SET name = 'Named', lab_result_id = 'LR-1', deleted_at = '2026-12-01T00:00:00.000Z',
                       meta = '{"m":1}', flag = 4, origin = 'received', updated_at = '2026-12-02T00:00:00.000Z' WHERE id = ?
                """, arguments: [lot.id])
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let byName = try fixture.store.read { db in
            try Lot.fetchOne(db, sql: "SELECT * FROM inventory WHERE id = ?", arguments: [lot.id])
        }
        let byPosition = try fixture.store.lot(id: lot.id)
        #expect(byPosition != nil)
        #expect(byPosition == byName)
        #expect(byPosition?.labResultId == "LR-1" && byPosition?.meta == #"{"m":1}"# && byPosition?.flag == 4)
        #expect(byPosition?.qty == 20_000 && byPosition?.qtyInitial == 30_000 && byPosition?.updatedAt == "2026-12-02T00:00:00.000Z")
        let view = try fixture.store.lotView(id: lot.id, license: fixture.license.id)
        #expect(view?.lot == byName)
        #expect(view?.uom == "g")
    }

    /// A NULL where a value is required, read by position, is an error naming the column, not a
    /// crash (GRDB's `Row` would stop the process).
    @Test func aWrongTypeReadByPositionIsAnErrorNamingTheColumn() throws {
        let fixture = try StoreFixture()
        let failure = #expect(throws: StoreError.self) {
            try fixture.store.read { db in
                try PositionalRow.first(db.cachedStatement(sql: "SELECT 1 AS present, NULL AS absent"), arguments: []) { row -> (Int64, String) in
                    (try row.value(0), try row.value(1))
                }
            }
        }
        #expect("\(failure.map { "\($0)" } ?? "")".contains("column absent"))
        // The statement was reset: no read stays open, and the same cached statement answers again.
        try fixture.store.read { db in
            let statement = try db.cachedStatement(sql: "SELECT 1 AS present, NULL AS absent")
            #expect(sqlite3_stmt_busy(statement.sqliteStatement) == 0)
            #expect(try PositionalRow.first(statement, arguments: []) { row -> Int64 in try row.value(0) } == 1)
            #expect(sqlite3_stmt_busy(statement.sqliteStatement) == 0)
        }
    }

    /// The debug builds' guard on the readers: `*` and `t.*` are caught, the store's own reads are not.
    @Test func theGuardAgainstSelectingEveryColumnTellsThemApart() {
        for sql in ["SELECT * FROM inventory", "select i.*, p.name FROM inventory i", "SELECT id, inventory.* FROM inventory", "SELECT DISTINCT * FROM t"] {
            #expect(OneStatementReaders.selectsEveryColumn(sql), "\(sql)")
        }
        for sql in [LotStore.lotViewSQL, LotStore.findLotSQL, "SELECT count(*) FROM inventory", "SELECT qty * 2 AS double FROM inventory"] {
            #expect(!OneStatementReaders.selectsEveryColumn(sql), "\(sql)")
        }
    }

    /// ``Lot/columns`` names every column of `inventory`, so a read that names them misses none.
    @Test func theLotsNamedColumnsAreTheTablesColumns() throws {
        let fixture = try StoreFixture()
        let columns = try fixture.store.read { try String.fetchAll($0, sql: "SELECT name FROM pragma_table_info('inventory')") }
        #expect(Set(columns) == Set(Lot.columns))
        #expect(columns.count == Lot.columns.count)
    }

    @Test func aReadOnlyStoreReadsThroughItsPool() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("5 g")
        let reader = try LotStore(path: fixture.path, readOnly: true)
        #expect(reader.oneStatementReaders == nil)
        #expect(try reader.lot(id: lot.id)?.id == lot.id)
    }
}
