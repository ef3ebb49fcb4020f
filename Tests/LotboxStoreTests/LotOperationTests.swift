import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

@Suite(.timeLimit(.minutes(5))) struct LotOperationTests {
    @Test func createWritesOpeningLedgerFeedAndAudit() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("5 lb", metrc: "1A4FF0100000022000000123")
        #expect(try ULID(parsing: lot.id).text == lot.id)
        #expect(lot.qty == 22_679_619)
        #expect(lot.qtyInitial == lot.qty)
        #expect(lot.origin == "created")
        let detail = try fixture.store.lotDetail("1A4FF0100000022000000123")
        #expect(detail.lot.id == lot.id)
        #expect(detail.ledger.map(\.reasonCode) == ["open"])
        #expect(detail.ledger.first?.actor == "test")
        let events = try fixture.store.changes(after: 0).filter { $0.objectType == "inventory" }
        #expect(events.map(\.objectId) == [lot.id])
        #expect(events.map(\.action) == ["create"])
        #expect(events.first?.origin == "created")
        #expect(try fixture.store.lot(externalID: "1A4FF0100000022000000123", kind: .metrc)?.id == lot.id)
    }

    @Test func refusedCreateWritesNothing() throws {
        let fixture = try StoreFixture()
        _ = try fixture.lot("10 g", metrc: "1A4FF0100000022000000001")
        let cursor = try fixture.store.latestCursor()
        let mark = try fixture.store.ulidMark()
        #expect(throws: StoreError.conflict("metrc id '1A4FF0100000022000000001' already belongs to lot \(try fixture.store.lot(externalID: "1A4FF0100000022000000001", kind: .metrc)!.id)")) {
            try fixture.lot("10 g", metrc: "1A4FF0100000022000000001")
        }
        #expect(throws: StoreError.self) { try fixture.lot("3 ea") }
        #expect(throws: StoreError.self) { try fixture.lot("0 g") }
        #expect(throws: StoreError.notFound(kind: "product", key: "nope")) {
            try fixture.store.createLot(NewLot(licenseKey: fixture.license.id, productKey: "nope", qty: "1 g"), actor: "t")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.ulidMark() == mark)
        #expect(try fixture.store.lots().count == 1)
    }

    @Test func qtyAlwaysEqualsLedgerSumUnderRandomOperations() throws {
        let fixture = try StoreFixture()
        var rng = SystemRandomNumberGenerator()
        var lots = try (0..<5).map { _ in try fixture.lot("\(Int.random(in: 100...1000, using: &rng)) g").id }
        for step in 0..<200 {
            let lot = lots.randomElement(using: &rng)!
            do {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: try fixture.store.adjustLot(lot, .by("-\(Int.random(in: 0...50, using: &rng)).\(Int.random(in: 0...9999, using: &rng)) g"), reason: .audit, note: "step \(step)", actor: "t")
                case 1: try fixture.store.adjustLot(lot, .to("\(Int.random(in: 0...900, using: &rng)) g"), reason: .correction, note: "recount", actor: "t")
                case 2: lots.append(try fixture.store.splitLot(lot, qty: "\(Int.random(in: 1...30, using: &rng)) g", actor: "t").id)
                default:
                    let other = lots.randomElement(using: &rng)!
                    guard other != lot else { continue }
                    lots.append(try fixture.store.convertLots(sources: [(lot, "1 g"), (other, "1 g")], productKey: fixture.flower.id, outputQty: "1.8 g", actor: "t").id)
                }
            } catch let error as StoreError {
                // Taking more than a lot holds is refused; nothing else may fail.
                #expect(error.description.contains("holds"), "\(error)")
            }
        }
        #expect(try fixture.store.ledgerMismatches().isEmpty)
        #expect(try fixture.store.lots().nonEmptyAllSatisfy { $0.lot.qty >= 0 })
    }

    @Test func splitKeepsLineageAndTotals() throws {
        let fixture = try StoreFixture()
        let source = try fixture.lot("1000 g")
        let child = try fixture.store.splitLot(source.id, qty: "250.5 g", actor: "t")
        #expect(child.qty == 2_505_000)
        #expect(child.productId == source.productId)
        #expect(child.sectionId == fixture.vault.id)
        let detail = try fixture.store.lotDetail(source.id)
        #expect(detail.lot.qty == 7_495_000)
        #expect(detail.children.map(\.inventoryIdOutput) == [child.id])
        #expect(try fixture.store.lotDetail(child.id).parents.map(\.inventoryId) == [source.id])
        #expect(throws: StoreError.self) { try fixture.store.splitLot(source.id, qty: "800 g", actor: "t") }
        #expect(try fixture.store.lotDetail(source.id).lot.qty == 7_495_000)
    }

    @Test func convertTakesFromEverySourceIntoOneLot() throws {
        let fixture = try StoreFixture()
        let a = try fixture.lot("500 g"), b = try fixture.lot("300 g")
        let bags = try fixture.store.convertLots(sources: [(a.id, "350 g"), (b.id, "0.25 kg")], productKey: "Eighth", outputQty: "200", actor: "t")
        #expect(bags.qty == 2_000_000)
        #expect(bags.varietyId == fixture.variety.id)
        #expect(try fixture.store.lot(id: a.id)?.qty == 1_500_000)
        #expect(try fixture.store.lot(id: b.id)?.qty == 500_000)
        #expect(Set(try fixture.store.lotDetail(bags.id).parents.map(\.inventoryId)) == [a.id, b.id])
        #expect(throws: StoreError.self) {
            try fixture.store.convertLots(sources: [(a.id, "1 g")], productKey: "Eighth", outputQty: "1.5", actor: "t")
        }
    }

    @Test func moveChangesSectionAndFeedsAnUpdate() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        let quarantine = try fixture.store.addSection(name: "Quarantine", type: .inventoryQuarantine, actor: "t")
        let cursor = try fixture.store.latestCursor()
        #expect(try fixture.store.moveLot(lot.id, toSection: "quarantine", actor: "t").sectionId == quarantine.id)
        #expect(try fixture.store.changes(after: cursor).contains { $0.objectId == lot.id && $0.action == "update" })
        #expect(throws: StoreError.self) { try fixture.store.moveLot(lot.id, toSection: "Quarantine", actor: "t") }
    }

    @Test func voidIsTwoStepsThenLocked() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        #expect(try fixture.store.voidLot(lot.id, actor: "t") == .requested)
        #expect(try fixture.store.lot(id: lot.id)?.stat == 410)
        #expect(throws: StoreError.self) { try fixture.store.adjustLot(lot.id, .by("-1 g"), reason: .audit, note: "x", actor: "t") }
        #expect(try fixture.store.voidLot(lot.id, actor: "t") == .confirmed)
        let locked = try fixture.store.lot(id: lot.id)
        #expect(locked?.stat == 423)
        #expect(locked?.deletedAt != nil)
        #expect(throws: StoreError.self) { try fixture.store.voidLot(lot.id, actor: "t") }
    }

    @Test func adjustNeedsReasonAndNoteAndRecordsThem() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        #expect(throws: StoreError.self) { try fixture.store.adjustLot(lot.id, .to("9 g"), reason: .audit, note: "  ", actor: "t") }
        #expect(throws: StoreError.self) { try fixture.store.adjustLot(lot.id, .to("9 g"), reason: .split, note: "x", actor: "t") }
        #expect(throws: StoreError.self) { try fixture.store.adjustLot(lot.id, .by("-11 g"), reason: .audit, note: "x", actor: "t") }
        let adjusted = try fixture.store.adjustLot(lot.id, .to("9.75 g"), reason: .moistureLoss, note: "dried", actor: "ann")
        #expect(adjusted.qty == 97_500)
        let entry = try #require(try fixture.store.lotDetail(lot.id).ledger.last)
        #expect(entry.delta == -2_500)
        #expect(entry.reasonCode == "moisture-loss")
        #expect(entry.note == "dried")
        #expect(entry.actor == "ann")
    }

    /// Drying, waste, theft, seizure and depletion only take stock away: a lot that would gain
    /// under one of them is refused naming the reason and the gain, and nothing is written.
    @Test func aReasonThatOnlyRemovesStockRefusesAGain() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        for reason in LedgerReason.adjustable where reason.onlyRemoves {
            do {
                _ = try fixture.store.adjustLot(lot.id, .by("+1 lb"), reason: reason, note: "x", actor: "t")
                Issue.record("\(reason.rawValue) took a gain")
            } catch let error as StoreError {
                #expect("\(error)".contains("adjust reason '\(reason.rawValue)' only takes stock away") && "\(error)".contains("453.5924 g"), "\(error)")
            }
            #expect(throws: StoreError.self) { try fixture.store.adjustLot(lot.id, .to("11 g"), reason: reason, note: "x", actor: "t") }
        }
        #expect(try fixture.store.lotDetail(lot.id).ledger.count == 1, "a refused gain wrote a ledger row")
        #expect(try fixture.store.adjustLot(lot.id, .to("11 g"), reason: .audit, note: "recount", actor: "t").qty == 110_000)
        #expect(try fixture.store.adjustLot(lot.id, .by("+1 g"), reason: .correction, note: "typo", actor: "t").qty == 120_000)
    }
}
