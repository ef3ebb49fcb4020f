import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

@Suite(.timeLimit(.minutes(5))) struct BatchCreateTests {
    @Test func batchCreatesEveryLotWithItsTagsAndFeedEvents() throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        let batch = (0..<500).map { index in
            NewLot(licenseKey: "G-1", productKey: index % 2 == 0 ? "Flower" : "Eighth", varietyKey: "Blue Dream",
                   sectionKey: "Vault", qty: index % 2 == 0 ? "\(index + 1).5 g" : "\(index + 1)",
                   name: index == 7 ? "with \"quotes\" and \\ and ünïcode" : nil,
                   externalIDs: index % 3 == 0 ? [.metrc: "TAG-\(index)", .gtin: "00012345678905"] : [:])
        }
        let ids = try fixture.store.createLots(batch, actor: "dock")
        #expect(ids.count == 500)
        #expect(ids == ids.sorted())
        let events = try fixture.store.changes(after: cursor, limit: 10_000)
        // Tags written with their lots are part of its creation: one event per lot, no updates.
        #expect(events.map(\.objectId) == ids)
        #expect(events.nonEmptyAllSatisfy { $0.action == "create" && $0.objectType == "inventory" && $0.origin == "created" })
        #expect(try fixture.store.lot(id: ids[0])?.qty == 15_000)
        #expect(try fixture.store.lot(id: ids[1])?.qty == 20_000)
        #expect(try fixture.store.lot(id: ids[7])?.name == "with \"quotes\" and \\ and ünïcode")
        #expect(try fixture.store.lot(externalID: "TAG-300", kind: .metrc)?.id == ids[300])
        #expect(try fixture.store.lotDetail(ids[0]).ledger.first?.actor == "dock")
        #expect(try fixture.store.ledgerMismatches().isEmpty)
    }

    /// Runs of lots that share their references go in with those bound once; short runs and
    /// mixed lots go row by row; the feed keeps the batch's order either way.
    @Test func sharedRunsAndMixedLotsLandAlikeAndInOrder() throws {
        let fixture = try StoreFixture()
        let cursor = try fixture.store.latestCursor()
        var batch: [NewLot] = []
        for index in 0..<1_300 {
            // 600 alike, then 100 alternating, then a run split by origin, then 20 alike.
            let alternating = (600..<700).contains(index) && index % 2 == 1
            let origin: LotOrigin = (700..<1_280).contains(index) && index >= 990 ? .imported : .created
            batch.append(NewLot(licenseKey: "G-1", productKey: alternating ? "Eighth" : "Flower", varietyKey: "Blue Dream",
                                sectionKey: "Vault", qty: alternating ? "2" : "\(index + 1) g",
                                name: index % 97 == 0 ? "lot \(index)" : nil, origin: origin))
        }
        let ids = try fixture.store.createLots(batch, actor: "dock")
        #expect(try fixture.store.changes(after: cursor, limit: 10_000).map(\.objectId) == ids)
        for (index, id) in ids.enumerated() {
            let lot = try #require(try fixture.store.lot(id: id))
            let expected = batch[index]
            #expect(lot.productId == (expected.productKey == "Eighth" ? fixture.eighth.id : fixture.flower.id))
            #expect(lot.qty == (expected.productKey == "Eighth" ? 20_000 : Int64(index + 1) * 10_000))
            #expect(lot.origin == expected.origin.rawValue)
            #expect(lot.name == expected.name)
            #expect(lot.licenseId == fixture.license.id && lot.sectionId == fixture.vault.id && lot.varietyId == fixture.variety.id)
        }
        #expect(try fixture.store.ledgerMismatches().isEmpty)
    }

    @Test func batchWithATagAlreadyInUseWritesNothing() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.lot("1 g", metrc: "TAKEN")
        let cursor = try fixture.store.latestCursor()
        let mark = try fixture.store.ulidMark()
        let batch = [NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.metrc: "FREE"]),
                     NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.metrc: "TAKEN"])]
        #expect(throws: StoreError.conflict("metrc id 'TAKEN' already belongs to lot \(owner.id)")) {
            try fixture.store.createLots(batch, actor: "t")
        }
        let twice = [NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.metrc: "SAME"]),
                     NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g", externalIDs: [.metrc: "SAME"])]
        #expect {
            try fixture.store.createLots(twice, actor: "t")
        } throws: { error in
            "\(error)".contains("'SAME' is given to two lots in one batch")
        }
        #expect(throws: StoreError.self) {
            try fixture.store.createLots([NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g"),
                                          NewLot(licenseKey: "G-1", productKey: "Flower", qty: "2 ea")], actor: "t")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.ulidMark() == mark)
        #expect(try fixture.store.lots().count == 1)
    }
}
