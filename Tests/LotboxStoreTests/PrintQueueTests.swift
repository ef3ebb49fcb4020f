import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The label queue reads the change feed exactly once, whoever wrote the lots.
@Suite(.timeLimit(.minutes(5))) struct PrintQueueTests {
    let routes = [LabelRoute(printer: "dock", template: "lot-4x2"), LabelRoute(printer: "office", template: "package-4x6", copies: 2)]

    @Test func everyNewLotIsQueuedOncePerRoute() throws {
        let fixture = try StoreFixture()
        let mine = try fixture.lot("10 g")
        let sql = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: """
            PRAGMA foreign_keys = ON;
            INSERT INTO inventory (id, license_id, product_id, qty, qty_initial) VALUES ('OUTSIDE-1', '\(fixture.license.id)', '\(fixture.flower.id)', 10000, 10000);
            INSERT INTO inventory (id, license_id, product_id, qty, qty_initial, origin) VALUES ('OLD-STOCK', '\(fixture.license.id)', '\(fixture.flower.id)', 10000, 10000, 'imported');
            """)
        #expect(sql.status == 0, "\(sql.err)")
        let jobs = try fixture.store.queueNewLots(routes: routes)
        #expect(jobs.map(\.objectId) == [mine.id, mine.id, "OUTSIDE-1", "OUTSIDE-1"])
        #expect(jobs.map(\.printer) == ["dock", "office", "dock", "office"])
        #expect(jobs.nonEmptyAllSatisfy { $0.state == "queued" && $0.kind == "lot-label" })
        #expect(jobs[1].copies == 2)
        // Nothing twice, even from a store opened anew.
        #expect(try fixture.store.queueNewLots(routes: routes).isEmpty)
        let reopened = try LotStore(path: fixture.path)
        #expect(try reopened.queueNewLots(routes: routes).isEmpty)
        let later = try fixture.lot("5 g")
        #expect(try reopened.queueNewLots(routes: routes).map(\.objectId) == [later.id, later.id])
        #expect(try fixture.store.printJobs().count == 6)
    }

    @Test func importedLotsOnlyWhenAsked() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.createLots([NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", origin: .imported)], actor: "t")
        #expect(try fixture.store.queueNewLots(routes: routes, consumer: "a").isEmpty)
        #expect(try fixture.store.queueNewLots(routes: routes, includeImported: true, consumer: "b").count == 2)
    }

    @Test func aLongFeedIsReadInSteps() throws {
        let fixture = try StoreFixture()
        let ids = try fixture.store.createLots((0..<25).map { _ in NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g") }, actor: "t")
        var queued: [String] = []
        for _ in 0..<10 {
            queued += try fixture.store.queueNewLots(routes: [routes[0]], limit: 7).compactMap(\.objectId)
        }
        #expect(queued == ids)
    }

    @Test func holdReleaseCancelAndReprint() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("1 g", metrc: "1A4FF0100000022000000009")
        let job = try #require(try fixture.store.queueNewLots(routes: [routes[0]]).first)
        #expect(try fixture.store.holdPrintJob(job.id, reason: "out of 4x2 labels", actor: "t").state == "held")
        #expect(try fixture.store.printJobs(states: ["held"]).map(\.reason) == ["out of 4x2 labels"])
        #expect(try fixture.store.releasePrintJob(job.id, actor: "t").state == "queued")
        #expect(try fixture.store.cancelPrintJob(job.id, actor: "t").state == "canceled")
        #expect(throws: StoreError.self) { try fixture.store.releasePrintJob(job.id, actor: "t") }
        let reprint = try fixture.store.queueReprint("1A4FF0100000022000000009", route: LabelRoute(printer: "dock", template: "lot-2x1", copies: 3), actor: "t")
        #expect(reprint.objectId == lot.id)
        #expect(reprint.copies == 3)
        #expect(throws: StoreError.self) { try fixture.store.queueReprint("1A4FF0100000022000000009", route: LabelRoute(printer: "dock", template: "x", copies: 0), actor: "t") }
        #expect(throws: StoreError.notFound(kind: "print job", key: "NOPE")) { try fixture.store.holdPrintJob("NOPE", reason: "x", actor: "t") }
    }
}
