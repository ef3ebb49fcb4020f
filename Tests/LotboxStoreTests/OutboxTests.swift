import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// v8-outbox: every compliance event becomes an outbox row in the transaction that makes it,
/// whoever writes it, while an upstream is configured; none otherwise; nothing of a driver's
/// licence is ever a row; held rows are retried or skipped, audited.
@Suite(.timeLimit(.minutes(5))) struct OutboxTests {
    func rows(_ fixture: StoreFixture) throws -> [OutboxEvent] {
        try DatabaseQueue(path: fixture.path).read { try OutboxEvent.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY id") }
    }

    @Test func noUpstreamNoRows() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        try fixture.store.adjustLot(lot.id, .by("-1 g"), reason: .audit, note: "recount", actor: "t")
        _ = try fixture.store.splitLot(lot.id, qty: "10 g", actor: "t")
        #expect(try rows(fixture).isEmpty)
        let summary = try fixture.store.outboxSummary()
        #expect(!summary.enabled)
        #expect(summary.waiting == 0)
    }

    @Test func everyLotEventIsARowInOrder() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let room = try fixture.store.addSection(name: "Room 2", licenseKey: fixture.license.id, actor: "t")
        let variety = try fixture.store.addVariety(name: "Sour Diesel", licenseKey: fixture.license.id, actor: "t")
        let product = try fixture.store.addProduct(NewProduct(name: "Trim", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                              licenseKey: fixture.license.id), actor: "t")
        let lot = try fixture.lot("100 g", product: product)
        try fixture.store.adjustLot(lot.id, .by("-2.5 g"), reason: .audit, note: "dried further", actor: "t")
        let child = try fixture.store.splitLot(lot.id, qty: "10 g", actor: "t")
        let converted = try fixture.store.convertLots(sources: [(lot.id, "20 g")], productKey: fixture.flower.id, outputQty: "18 g", actor: "t")
        _ = try fixture.store.moveLot(child.id, toSection: room.id, actor: "t")
        _ = try fixture.store.voidLot(converted.id, actor: "t")
        _ = try fixture.store.voidLot(converted.id, actor: "t")

        let events = try rows(fixture).map { "\($0.kind) \($0.action)" + ($0.kind == "lot" ? " \($0.objectId == lot.id ? "A" : $0.objectId == child.id ? "B" : $0.objectId == converted.id ? "C" : "?")" : "") }
        // Creation comes before everything done to the object; each change is a row of its own.
        #expect(events.first(where: { $0.hasPrefix("section") }) == "section create")
        #expect(events.contains("variety create"))
        #expect(events.contains("product create"))
        let aCreate = try #require(events.firstIndex(of: "lot create A"))
        let bCreate = try #require(events.firstIndex(of: "lot create B"))
        let cCreate = try #require(events.firstIndex(of: "lot create C"))
        #expect(aCreate < bCreate && bCreate < cCreate)
        // The adjust, the split's and the convert's ledger rows on A.
        #expect(events.filter { $0 == "lot adjust A" }.count == 3)
        #expect(events.contains("lot move B"))
        #expect(events.filter { $0 == "lot stat C" }.count == 2)
        let all = try rows(fixture)
        #expect(all.nonEmptyAllSatisfy { $0.state == "pending" && $0.reason == nil })
        #expect(all.filter { $0.kind == "lot" }.nonEmptyAllSatisfy { $0.licenseId == fixture.license.id })
        // A move names its section, a stat change its stat, an adjust its ledger row.
        #expect(all.first { $0.action == "move" }?.ref == room.id)
        #expect(all.filter { $0.action == "stat" }.map(\.ref) == ["410", "423"])
        let adjustRefs = all.filter { $0.action == "adjust" }.compactMap { $0.ref.flatMap(Int64.init) }
        #expect(adjustRefs.count == 3 && adjustRefs == adjustRefs.sorted())
        _ = variety
        let summary = try fixture.store.outboxSummary()
        #expect(summary.enabled && summary.origin == "http://127.0.0.1:9")
        #expect(summary.waiting == all.count && summary.held == 0 && summary.oldestWaitingAt != nil)
    }

    @Test func aRefusedChangeWritesNoRowAndAnOutsideWriterSLotDoes() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let lot = try fixture.lot("5 g")
        let before = try rows(fixture).count
        #expect(throws: StoreError.self) {
            try fixture.store.adjustLot(lot.id, .by("-6 g"), reason: .audit, note: "too much", actor: "t")
        }
        #expect(try rows(fixture).count == before)
        // Another program's plain SQL: its lot goes to the outbox in its own transaction.
        let queue = try DatabaseQueue(path: fixture.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('01OUTSIDEWRITER0000000000A', ?, ?, 10000, 10000)",
                           arguments: [fixture.license.id, fixture.flower.id])
        }
        let last = try #require(try rows(fixture).last)
        #expect(last.kind == "lot" && last.action == "create" && last.objectId == "01OUTSIDEWRITER0000000000A")
        // And a failed outside write leaves none.
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('01OUTSIDEWRITER0000000000B', ?, 'NO-SUCH-PRODUCT', 10000, 10000)",
                               arguments: [fixture.license.id])
            }
        }
        #expect(try rows(fixture).count == before + 1)
    }

    /// What the first upstream takes of a sale made before it was set: the sale itself, right after the ledger
    /// row its commit wrote (before a later adjust of the lot, even one in the same millisecond), and its void
    /// where the void gave the stock back; a sale canceled while open, nothing.
    @Test func theFirstUpstreamTakesASaleAsItselfWhereItHappened() throws {
        let fixture = try StoreFixture()
        let priced = try fixture.store.addProduct(NewProduct(name: "Shake", typeKey: "Flower/Dry", packageType: .bulk, unit: "g", unitPrice: "4",
                                                             licenseKey: fixture.license.id), actor: "t")
        let lot = try fixture.lot("100 g", product: priced)
        let sale = try fixture.store.openSale(license: fixture.license.id, station: "till", employee: "ana", actor: "t")
        try fixture.store.recordAgeCheck(sale: sale, outcome: "passed", actor: "t")
        _ = try fixture.store.addToSale(sale, lot: lot.id, quantity: "3.5 g", limit: nil, actor: "t")
        _ = try fixture.store.commitSale(sale, taxes: [], receipt: nil, actor: "t")
        try fixture.store.adjustLot(lot.id, .by("-1 g"), reason: .audit, note: "recount", actor: "t")
        _ = try fixture.store.voidSale(sale, actor: "t")
        _ = try fixture.store.voidSale(sale, actor: "t")
        let canceled = try fixture.store.openSale(license: fixture.license.id, station: "till", employee: "ana", actor: "t")
        _ = try fixture.store.addToSale(canceled, lot: lot.id, quantity: "1 g", limit: nil, actor: "t")
        try fixture.store.cancelSale(canceled, actor: "t")
        #expect(try rows(fixture).isEmpty)

        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let events = try DatabaseQueue(path: fixture.path).read { db in
            try String.fetchAll(db, sql: """
                SELECT o.kind || ' ' || o.action || ' ' || coalesce(CASE WHEN o.action = 'adjust' THEN a.reason_code ELSE o.ref END, '-') || ' '
                       || CASE o.object_id WHEN ? THEN 'sale' WHEN ? THEN 'lot' ELSE o.object_id END
                  FROM outbox o LEFT JOIN inventory_adjust a ON o.action = 'adjust' AND a.id = CAST(o.ref AS INTEGER)
                 WHERE o.kind IN ('lot', 'sale') ORDER BY o.id
                """, arguments: [sale, lot.id])
        }
        #expect(events == ["lot create - lot", "lot adjust sale lot", "sale stat 200 sale", "lot adjust audit lot",
                           "lot adjust sale-void lot", "sale stat 410 sale"])
    }

    @Test func turningTheUpstreamOffStopsNewRowsAndKeepsWaitingOnes() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let backfilled = try rows(fixture).count
        _ = try fixture.lot("5 g")
        let waiting = try rows(fixture).count
        #expect(waiting == backfilled + 1)
        try fixture.store.setUpstream(origin: nil, actor: "test")
        _ = try fixture.lot("6 g")
        #expect(try rows(fixture).count == waiting)
        let audit = try DatabaseQueue(path: fixture.path).read {
            try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE action = 'set-upstream'")
        }
        #expect(audit.count == 2)
    }

    /// A remembered customer and a contact are never rows; no row carries anything but ids,
    /// actions and stats, so nothing read from a licence can go up.
    func outboxTriggers(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%INSERT INTO outbox %' ORDER BY name")
        }
    }

    /// v10: a box with no upstream has no outbox triggers at all (its inserts pay nothing for the
    /// outbox); setting one makes them, removing it drops them, and a store that had an upstream
    /// when it ran v10 keeps them.
    @Test func theTriggersExistOnlyWhileAnUpstreamIsSet() throws {
        let fixture = try StoreFixture()
        let v8 = SchemaV10OutboxOnDemand.triggerNames.sorted()
        #expect(v8.count == 14, "\(v8)")
        // v12 adds the lot rename's, v13 a lab result's further lots.
        let all = (v8 + ["inventory_outbox_rename", "lab_result_inventory_outbox"]).sorted()
        #expect(try outboxTriggers(fixture.path).isEmpty)
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        #expect(try outboxTriggers(fixture.path) == all)
        try fixture.store.setUpstream(origin: "http://127.0.0.1:10", actor: "test")
        #expect(try outboxTriggers(fixture.path) == all)
        try fixture.store.setUpstream(origin: nil, actor: "test")
        #expect(try outboxTriggers(fixture.path).isEmpty)

        for upstream in [true, false] {
            let folder = try TemporaryFolder.make()
            let queue = try DatabaseQueue(path: folder + "/v9.db")
            try StoreMigrator.migrator.migrate(queue, upTo: SchemaV9Employees.identifier)
            if upstream { try queue.write { try $0.execute(sql: "INSERT INTO outbox_setting (id, origin) VALUES (1, 'http://127.0.0.1:9')") } }
            #expect(try outboxTriggers(folder + "/v9.db") == v8)
            try StoreMigrator.migrator.migrate(queue)
            #expect(try outboxTriggers(folder + "/v9.db") == (upstream ? all : []), "upstream \(upstream)")
        }
    }

    @Test func nothingOfADriversLicenceIsARow() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let before = try rows(fixture)
        let company = try fixture.store.addCompany(name: "Walk-in Customers", actor: "t")
        _ = try fixture.store.addContact(name: "JANE Q PUBLIC", type: "Client", companyKey: company.id, actor: "t")
        let token = String(repeating: "d1234567", count: 8)   // the keyed HMAC of a licence a kiosk keeps
        _ = try fixture.store.rememberCustomer(token, station: "kiosk", keepDays: 30)
        let all = try rows(fixture)
        #expect(all == before, "\(all)")
        let text = try DatabaseQueue(path: fixture.path).read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(kind,'') || object_id || action || coalesce(ref,'') || coalesce(license_id,'') FROM outbox")
        }
        #expect(!text.contains { $0.contains("JANE") || $0.contains(token) })
    }

    @Test func aHeldEventIsRetriedOrSkippedAndEitherIsAudited() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let lot = try fixture.lot("5 g")
        let first = try #require(try fixture.store.outboxWaiting().first { $0.objectId == lot.id })
        #expect(throws: StoreError.self) { try fixture.store.retryOutbox(first.id, actor: "test") }   // not held
        try fixture.store.markOutboxHeld(first.id, reason: "upstream 409: a different lot under this id", scope: "object")
        #expect(try fixture.store.outboxHeld().map(\.id) == [first.id])
        #expect(try fixture.store.outboxSummary().held == 1)
        try fixture.store.retryOutbox(first.id, actor: "cli")
        #expect(try fixture.store.outboxEvent(first.id).state == "pending")
        try fixture.store.markOutboxHeld(first.id, reason: "again", scope: "object")
        try fixture.store.skipOutbox(first.id, actor: "cli")
        #expect(try fixture.store.outboxEvent(first.id).state == "skipped")
        #expect(throws: StoreError.self) { try fixture.store.skipOutbox(first.id, actor: "cli") }
        #expect(throws: StoreError.self) { try fixture.store.skipOutbox(999_999, actor: "cli") }
        let audit = try DatabaseQueue(path: fixture.path).read {
            try String.fetchAll($0, sql: "SELECT action || ' ' || object_id FROM audit_log WHERE action LIKE 'outbox-%' ORDER BY id")
        }
        #expect(audit == ["outbox-retry \(lot.id)", "outbox-skip \(lot.id)"])
        try fixture.store.markOutboxSent(first.id)
        #expect(try fixture.store.outboxEvent(first.id).state == "skipped")   // a skipped event stays skipped
    }

    /// v14: a new row enters no index (the outbox has none); the waiting rows are read from a low-water mark that
    /// settling rows raises, and that a row set waiting again below it (a direct SQL writer) or deleted lowers.
    @Test func waitingRowsAreFoundFromTheLowWaterMark() throws {
        let fixture = try StoreFixture()
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let queue = try DatabaseQueue(path: fixture.path)
        #expect(try queue.read { try Row.fetchAll($0, sql: "PRAGMA index_list('outbox')") }.isEmpty)
        func mark() throws -> Int64 { try queue.read { try Int64.fetchOne($0, sql: "SELECT first_open FROM outbox_setting") } ?? -1 }
        #expect(try mark() == 0)
        // What the fixture made before the upstream was set went in first (the backfill): sent.
        try fixture.store.markOutboxSent(try fixture.store.outboxWaiting(limit: 1000).map(\.id))
        let lots = try (0..<5).map { _ in try fixture.lot("5 g") }
        let waiting = try fixture.store.outboxWaiting(limit: 100)
        #expect(waiting.map(\.objectId) == lots.map(\.id))
        #expect(try mark() == waiting[0].id)

        try fixture.store.markOutboxSent(waiting.prefix(3).map(\.id))
        #expect(try mark() == waiting[3].id)
        #expect(try fixture.store.outboxWaiting(limit: 100).map(\.id) == waiting.suffix(2).map(\.id))
        #expect(try fixture.store.outboxSummary().waiting == 2)

        // A sent row set waiting again below the mark is found again.
        try queue.write { try $0.execute(sql: "UPDATE outbox SET state = 'pending', sent_at = NULL WHERE id = ?", arguments: [waiting[1].id]) }
        #expect(try mark() == waiting[1].id)
        #expect(try fixture.store.outboxWaiting(limit: 100).map(\.id) == [waiting[1].id] + waiting.suffix(2).map(\.id))

        // All settled: the mark passes the last row, and the next row is above it.
        try fixture.store.markOutboxSent([waiting[1].id] + waiting.suffix(2).map(\.id))
        #expect(try mark() == waiting[4].id + 1)
        #expect(try fixture.store.outboxWaiting(limit: 100).isEmpty && fixture.store.outboxSummary().waiting == 0)
        let later = try fixture.lot("1 g")
        #expect(try fixture.store.outboxWaiting(limit: 100).map(\.objectId) == [later.id])

        // The top rows deleted (a direct SQL writer): a new row that takes their ids again is still found.
        let top = try #require(try fixture.store.outboxWaiting(limit: 100).first)
        try fixture.store.markOutboxSent([top.id])
        try queue.write { try $0.execute(sql: "DELETE FROM outbox WHERE id >= ?", arguments: [waiting[4].id]) }
        let again = try fixture.lot("2 g")
        #expect(try fixture.store.outboxWaiting(limit: 100).map(\.objectId) == [again.id])
    }

    @Test func theIDMapIsEmptyTowardsALotboxAndRemembersOnce() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.upstreamID(kind: "lot", localID: "X") == nil)
        try fixture.store.rememberUpstreamID(kind: "lot", localID: "X", upstreamID: "cre-1")
        try fixture.store.rememberUpstreamID(kind: "lot", localID: "X", upstreamID: "cre-2")
        #expect(try fixture.store.upstreamID(kind: "lot", localID: "X") == "cre-1")
    }

    /// A transfer the box sent up to an upstream that chose another id for it is known under that id too, so the
    /// manifest puller does not bring the box's own transfer back down as a second one (seen once under load: a
    /// partly accepted paper manifest, open upstream between two accepts, came back as a phantom open transfer).
    @Test func aTransferIsKnownUnderTheIDTheUpstreamChoseForIt() throws {
        let fixture = try StoreFixture()
        #expect(try !fixture.store.outboxKnowsTransfer("cre-transfer-1"))
        // A create sent whose answer is not recorded yet is no upstream id: an empty one is not known.
        try fixture.store.markUpstreamCreate(kind: "transfer", localID: "01LOCALTRANSFER")
        #expect(try !fixture.store.outboxKnowsTransfer(""))
        try fixture.store.rememberUpstreamID(kind: "transfer", localID: "01LOCALTRANSFER", upstreamID: "cre-transfer-1")
        #expect(try fixture.store.outboxKnowsTransfer("cre-transfer-1"))
        // Another kind's upstream id of the same spelling is not a transfer.
        try fixture.store.rememberUpstreamID(kind: "lot", localID: "01LOCALLOT", upstreamID: "cre-lot-1")
        #expect(try !fixture.store.outboxKnowsTransfer("cre-lot-1"))
    }

    /// The first upstream takes what the store already holds, as it happened: the objects, then each lot's creation
    /// before its ledger rows and its void; the well-known rows are left out. Set again later, nothing is added.
    @Test func theFirstUpstreamTakesWhatIsAlreadyThereInOrder() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("100 g")
        try fixture.store.adjustLot(lot.id, .by("-1 g"), reason: .audit, note: "recount", actor: "t")
        let child = try fixture.store.splitLot(lot.id, qty: "10 g", actor: "t")
        _ = try fixture.store.voidLot(child.id, actor: "t")
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        let events = try rows(fixture)
        #expect(!events.contains { $0.objectId.hasPrefix(WellKnown.prefix) }, "\(events)")
        let objects = events.prefix { $0.kind != "lot" }.map(\.kind)
        #expect(Set(objects) == ["section", "variety", "product"] && objects.count == 4, "\(objects)")   // two products
        let lots = events.filter { $0.kind == "lot" }.map { "\($0.objectId == lot.id ? "A" : "B") \($0.action)" }
        #expect(lots.first == "A create")
        #expect(lots.filter { $0 == "A adjust" }.count == 2)   // the recount and the split's share
        let bCreate = try #require(lots.firstIndex(of: "B create"))
        let bStat = try #require(lots.firstIndex(of: "B stat"))
        #expect(bCreate < bStat && lots.count == 5, "\(lots)")
        #expect(events.filter { $0.kind == "lot" }.nonEmptyAllSatisfy { $0.licenseId == fixture.license.id })
        // Off and on again: nothing more (what was already sent is not replayed).
        try fixture.store.setUpstream(origin: nil, actor: "test")
        try fixture.store.setUpstream(origin: "http://127.0.0.1:9", actor: "test")
        #expect(try rows(fixture).count == events.count)
    }
}
