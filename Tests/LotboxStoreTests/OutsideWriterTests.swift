import Foundation
import GRDB
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Another program writing the store with plain SQL: the sqlite3 shell, a real second process.
@Suite(.timeLimit(.minutes(5))) struct OutsideWriterTests {
    func sql(_ fixture: StoreFixture, _ statements: String) throws -> (status: Int32, out: String, err: String) {
        try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: "PRAGMA foreign_keys = ON;\n" + statements)
    }

    @Test func plainSQLInsertAppearsInTheFeedWithItsOpeningLedger() throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        let result = try sql(fixture, """
            INSERT INTO inventory (id, license_id, product_id, qty, qty_initial, meta)
            VALUES ('OUTSIDE-LOT-1', '\(fixture.license.id)', '\(fixture.flower.id)', 35000, 35000, '{"actor":"erp"}');
            """)
        #expect(result.status == 0, "\(result.err)")
        let events = try fixture.store.changes(after: cursor)
        #expect(events.map(\.objectId) == ["OUTSIDE-LOT-1"])
        #expect(events.first?.action == "create")
        let detail = try fixture.store.lotDetail("OUTSIDE-LOT-1")
        #expect(detail.ledger.map(\.delta) == [35_000])
        #expect(detail.ledger.first?.actor == "erp")
        #expect(detail.lot.varietyId == "018NY6XC00VAR1ETY000000001")
        #expect(try fixture.store.ledgerMismatches().isEmpty)
    }

    @Test(arguments: [
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', '$L', '$P', 100, 200);", "must equal inventory.qty_initial"),
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', '$L', '$P', 3.5, 3.5);", "integer count of ten-thousandths"),
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', '$L', '$P', 0, 0);", "greater than zero"),
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', '$L', 'NO-SUCH', 10, 10);", "does not name a product"),
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', 'NO-SUCH', '$P', 10, 10);", "does not name a license"),
        ("INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('X', '$L', '$E', 15000, 15000);", "whole count"),
        ("UPDATE inventory SET qty = 1 WHERE id = '$LOT';", "only through inventory_adjust"),
        ("UPDATE inventory SET qty_initial = 1 WHERE id = '$LOT';", "never changes"),
        ("DELETE FROM inventory WHERE id = '$LOT';", "never deleted"),
        ("BEGIN; INSERT INTO inventory_adjust (inventory_id, delta, reason_code) VALUES ('$LOT', -1, 'audit'); UPDATE inventory_adjust SET delta = 1; COMMIT;", "append-only"),
        ("BEGIN; INSERT INTO inventory_adjust (inventory_id, delta, reason_code) VALUES ('$LOT', -1, 'audit'); DELETE FROM inventory_adjust; COMMIT;", "append-only"),
        ("UPDATE inventory_ledger SET delta = 1;", "it is a view"),
        ("INSERT INTO inventory_adjust (inventory_id, delta, reason_code) VALUES ('$LOT', -999999999, 'audit');", "does not hold that much"),
        ("INSERT INTO inventory_adjust (inventory_id, delta, reason_code) VALUES ('$LOT', 5, 'open');", "CHECK constraint failed"),
        ("INSERT INTO inventory_adjust (inventory_id, delta, reason_code) VALUES ('NO-SUCH-LOT', 5, 'audit');", "does not name a lot"),
        ("DELETE FROM audit_log;", "append-only"),
    ])
    func triggersRejectRowsThatBreakInvariants(statement: String, expected: String) throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let cursor = try fixture.store.latestCursor()
        let text = statement.replacingOccurrences(of: "$LOT", with: lot.id)
            .replacingOccurrences(of: "$L", with: fixture.license.id)
            .replacingOccurrences(of: "$P", with: fixture.flower.id)
            .replacingOccurrences(of: "$E", with: fixture.eighth.id)
        let result = try sql(fixture, text)
        #expect(result.status != 0)
        #expect(result.err.contains(expected), "\(result.err)")
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.lot(id: lot.id)?.qty == 100_000)
        #expect(try fixture.store.ledgerMismatches().isEmpty)
        _ = before
    }

    @Test func plainSQLLedgerEntryMovesTheLot() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        let result = try sql(fixture, "INSERT INTO inventory_adjust (inventory_id, delta, reason_code, note, actor) VALUES ('\(lot.id)', -25000, 'waste', 'trim', 'erp');")
        #expect(result.status == 0, "\(result.err)")
        #expect(try fixture.store.lot(id: lot.id)?.qty == 75_000)
        let ledger = try fixture.store.lotDetail(lot.id).ledger
        #expect(ledger.map(\.reasonCode) == ["open", "waste"])
        #expect(ledger.map(\.delta) == [100_000, -25_000])
        #expect(ledger.last?.actor == "erp")
        #expect(try fixture.store.ledgerMismatches().isEmpty)
    }
}

@Suite(.timeLimit(.minutes(5))) struct LaterTagTests {
    @Test func aTagAddedLaterIsAnUpdateInTheFeed() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("1 g")
        let cursor = try fixture.store.latestCursor()
        let result = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path],
                                    input: "INSERT INTO inventory_external_id (inventory_id, kind, value) VALUES ('\(lot.id)', 'biotrack', '6647128590342112');")
        #expect(result.status == 0, "\(result.err)")
        let events = try fixture.store.changes(after: cursor)
        #expect(events.map(\.objectId) == [lot.id])
        #expect(events.map(\.action) == ["update"])
    }
}
