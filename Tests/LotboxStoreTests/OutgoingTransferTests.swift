import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Outgoing B2B transfers: header first, items while open, one commit that takes the stock
/// off the sender's lots through the ledger and hands the target license on this box the
/// incoming transfer it accepts.
@Suite(.timeLimit(.minutes(5))) struct OutgoingTransferTests {
    struct Box {
        let store: LotStore
        let grower: License
        let shop: License
        let flower: Product
        let lot: Lot

        init() throws {
            store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
            grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "t")
            shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
            // The grower's own product: the shop does not see it by name.
            flower = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: grower.id), actor: "t")
            lot = try store.createLot(NewLot(licenseKey: grower.id, productKey: flower.id, qty: "100 g"), actor: "t")
        }
    }

    @Test func aTransferIsMadeHeaderFirstAndItsChosenIdReplays() throws {
        let box = try Box()
        let header = NewOutgoingTransfer(targetLicenseKey: "R-2", name: "Monday run", departAt: "2026-12-01T09:00:00Z", id: "B2B-1")
        let transfer = try box.store.createOutgoingTransfer(header, license: box.grower.id, actor: "t")
        #expect(transfer.id == "B2B-1" && transfer.stat == 200 && transfer.items.isEmpty)
        #expect(transfer.sourceLicenseID == box.grower.id && transfer.targetLicenseID == box.shop.id)
        #expect(try box.store.createOutgoingTransfer(header, license: box.grower.id, actor: "t") == transfer)
        var other = header
        other.name = "Tuesday run"
        #expect(throws: StoreError.conflict("transfer id 'B2B-1' is already taken by another transfer (name 'Monday run' here, 'Tuesday run' asked); choose another id")) {
            try box.store.createOutgoingTransfer(other, license: box.grower.id, actor: "t")
        }
        #expect(throws: StoreError.invalid("a transfer's target is its source, license G-1 Green Acres; expected another license")) {
            try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "G-1"), license: box.grower.id, actor: "t")
        }
        #expect(throws: StoreError.notFound(kind: "license", key: "X-9")) {
            try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "X-9"), license: box.grower.id, actor: "t")
        }
        #expect(throws: StoreError.self) {
            try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-2", departAt: "next tuesday"), license: box.grower.id, actor: "t")
        }
        #expect(try box.store.outgoingTransfers(license: box.grower.id).rows.map(\.id) == ["B2B-1"])
        #expect(try box.store.outgoingTransfers(license: box.shop.id).rows.isEmpty)
        #expect(try box.store.outgoingTransfer(id: "B2B-1", license: box.shop.id) == nil)
    }

    @Test func itemsTakeOnlyWhatTheSendersLiveLotsHold() throws {
        let box = try Box()
        let transfer = try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: box.shop.id), license: box.grower.id, actor: "t")
        let first = try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "60 g",
                                                  unitPrice: "4.50", itemID: "ITEM-1", actor: "t")
        #expect(first.id == "ITEM-1" && first.qty == 600_000 && first.uom == "g" && first.unitPrice == 45_000)
        #expect(try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "60 g",
                                              unitPrice: "4.5", itemID: "ITEM-1", actor: "t") == first)
        // 60 g already go; 50 more is more than the lot's 100 g.
        #expect(throws: StoreError.invalid("lot \(box.lot.id) holds 100 g; cannot take 110 g")) {
            try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "50 g", actor: "t")
        }
        let shopProduct = try box.store.addProduct(NewProduct(name: "Jar", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                              licenseKey: box.shop.id), actor: "t")
        let shopLot = try box.store.createLot(NewLot(licenseKey: box.shop.id, productKey: shopProduct.id, qty: "5"), actor: "t")
        #expect(throws: StoreError.notFound(kind: "lot", key: shopLot.id)) {
            try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: shopLot.id, qty: "1", actor: "t")
        }
        #expect(throws: StoreError.notFound(kind: "transfer", key: transfer.id)) {
            try box.store.addOutgoingItem(transfer: transfer.id, license: box.shop.id, lot: shopLot.id, qty: "1", actor: "t")
        }
        let before = try #require(try box.store.outgoingTransfer(id: transfer.id, license: box.grower.id))
        #expect(before.hash == RowHash.digest([
            "id": .text(transfer.id), "source": .reference(box.grower.id), "target": .reference(box.shop.id), "name": .null,
            "depart_at": .null, "arrive_at": .null, "stat": .integer(200), "created_at": .text(before.createdAt),
            "updated_at": .text(before.updatedAt),
        ]))
        Thread.sleep(forTimeInterval: 0.003)
        let second = try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "40 g", actor: "t")
        #expect(try box.store.outgoingTransfer(id: transfer.id, license: box.grower.id)?.hash != before.hash)
        #expect(try box.store.outgoingTransfer(id: transfer.id, license: box.grower.id)?.items.map(\.id) == [first.id, second.id].sorted())
        // Nothing left the lot yet: the stock goes at the commit.
        #expect(try box.store.lotView(id: box.lot.id, license: box.grower.id)?.lot.qty == 1_000_000)
    }

    @Test func theCommitTakesTheStockThroughTheLedgerAndTheTargetAcceptsIt() throws {
        let box = try Box()
        let transfer = try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "Corner Shop", id: "B2B-7"),
                                                            license: box.grower.id, actor: "t")
        #expect(throws: OperationRefused("transfer-empty", "transfer B2B-7 has no items; add an item (a lot and a quantity) before committing")) {
            try box.store.commitOutgoingTransfer(transfer.id, license: box.grower.id, actor: "t")
        }
        let item = try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "30 g", actor: "t")
        #expect(throws: StoreError.notFound(kind: "transfer", key: "B2B-7")) {
            try box.store.commitOutgoingTransfer(transfer.id, license: box.shop.id, actor: "t")
        }
        let committed = try box.store.commitOutgoingTransfer(transfer.id, license: box.grower.id, actor: "t")
        #expect(committed.stat == 307 && committed.items.map(\.stat) == [307])

        let sender = try box.store.lotDetail(box.lot.id)
        #expect(sender.lot.qty == 700_000)
        #expect(sender.ledger.last?.reasonCode == "transfer")
        #expect(sender.ledger.last?.refType == "b2b_outgoing" && sender.ledger.last?.refId == "B2B-7")
        #expect(try box.store.ledgerMismatches().isEmpty)
        #expect(throws: OperationRefused("transfer-closed", "transfer B2B-7 is already committed")) {
            try box.store.commitOutgoingTransfer(transfer.id, license: box.grower.id, actor: "t")
        }
        #expect(throws: OperationRefused("transfer-closed", "transfer B2B-7 is committed; no more items")) {
            try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "1 g", actor: "t")
        }
        #expect(try box.store.lotDetail(box.lot.id).lot.qty == 700_000)

        // The shop has the incoming transfer with the same id and accepts it into its own lots.
        let incoming = try box.store.transfer("B2B-7")
        #expect(incoming.sourceLicenseID == box.grower.id && incoming.targetLicenseID == box.shop.id && incoming.stat == 200)
        #expect(incoming.items.map(\.packageID) == [box.lot.id])
        #expect(incoming.items.map(\.expected) == [300_000])
        let shelf = try box.store.addSection(name: "Shelf", licenseKey: box.shop.id, actor: "t")
        let accepted = try box.store.acceptTransfer("B2B-7", everything: true, sectionKey: "Shelf", actor: "shop")
        #expect(accepted.lots.count == 1 && accepted.stillOpen == 0)
        let receivedID = try #require(accepted.lots.first).lotID
        let received = try #require(try box.store.lotView(id: receivedID, license: box.shop.id))
        #expect(received.lot.qty == 300_000 && received.uom == "g")
        #expect(received.lot.productId == box.flower.id && received.lot.sectionId == shelf.id && received.lot.origin == "received")
        #expect(try box.store.lotDetail(received.lot.id).externalIDs.map(\.value) == [box.lot.id])
        #expect(try box.store.transfer("B2B-7").stat == 307)
        #expect(item.lotID == box.lot.id)
    }

    @Test func anAcceptMayNameTheLotsAndAReplayOfItWritesNothing() throws {
        let box = try Box()
        let transfer = try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-2"), license: box.grower.id, actor: "t")
        let first = try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "10 g", actor: "t")
        let second = try box.store.addOutgoingItem(transfer: transfer.id, license: box.grower.id, lot: box.lot.id, qty: "20 g", actor: "t")
        _ = try box.store.commitOutgoingTransfer(transfer.id, license: box.grower.id, actor: "t")
        #expect(throws: StoreError.notFound(kind: "transfer item", key: "NOT-AN-ITEM")) {
            try box.store.acceptTransfer(transfer.id, everything: true, lotIDs: ["NOT-AN-ITEM": "LOT-X"], actor: "shop")
        }
        #expect(throws: StoreError.conflict("lot id '\(box.lot.id)' for item \(first.id) is already taken by another lot; choose another id")) {
            try box.store.acceptTransfer(transfer.id, everything: true, lotIDs: [first.id: box.lot.id], actor: "shop")
        }
        let names = [first.id: "SHOP-LOT-1", second.id: "SHOP-LOT-2"]
        let accepted = try box.store.acceptTransfer(transfer.id, everything: true, lotIDs: names, actor: "shop")
        #expect(Set(accepted.lots.map(\.lotID)) == ["SHOP-LOT-1", "SHOP-LOT-2"])
        #expect(try box.store.lotView(id: "SHOP-LOT-2", license: box.shop.id)?.lot.qty == 200_000)
        let cursor = try box.store.latestCursor()
        let again = try box.store.acceptTransfer(transfer.id, everything: true, lotIDs: names, actor: "shop")
        #expect(Set(again.lots.map(\.lotID)) == ["SHOP-LOT-1", "SHOP-LOT-2"])
        #expect(Set(again.lots.map(\.qty)) == [100_000, 200_000])
        #expect(try box.store.latestCursor() == cursor)
        // Another lot for an accepted item is no replay: the transfer is closed.
        #expect(throws: OperationRefused("transfer-closed", "transfer \(transfer.id) was already accepted")) {
            try box.store.acceptTransfer(transfer.id, everything: true, lotIDs: [first.id: "SHOP-LOT-9"], actor: "shop")
        }
    }

    @Test func anUncommittedTransferIsDeletedInTwoStepsACommittedOneNever() throws {
        let box = try Box()
        let open = try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-2"), license: box.grower.id, actor: "t")
        _ = try box.store.addOutgoingItem(transfer: open.id, license: box.grower.id, lot: box.lot.id, qty: "5 g", actor: "t")
        #expect(throws: StoreError.notFound(kind: "transfer", key: open.id)) {
            try box.store.deleteOutgoingTransfer(open.id, license: box.shop.id, actor: "t")
        }
        #expect(try box.store.deleteOutgoingTransfer(open.id, license: box.grower.id, actor: "t") == .requested)
        #expect(throws: OperationRefused("transfer-deleted", "transfer \(open.id) is deleted (stat 410); it cannot be committed")) {
            try box.store.commitOutgoingTransfer(open.id, license: box.grower.id, actor: "t")
        }
        #expect(throws: OperationRefused("transfer-deleted", "transfer \(open.id) is deleted (stat 410); no more items")) {
            try box.store.addOutgoingItem(transfer: open.id, license: box.grower.id, lot: box.lot.id, qty: "1 g", actor: "t")
        }
        #expect(try box.store.deleteOutgoingTransfer(open.id, license: box.grower.id, actor: "t") == .confirmed)
        #expect(try box.store.deleteOutgoingTransfer(open.id, license: box.grower.id, actor: "t") == .locked)
        #expect(try box.store.outgoingTransfer(id: open.id, license: box.grower.id)?.stat == 423)
        #expect(try box.store.lotView(id: box.lot.id, license: box.grower.id)?.lot.qty == 1_000_000)

        let sent = try box.store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-2"), license: box.grower.id, actor: "t")
        _ = try box.store.addOutgoingItem(transfer: sent.id, license: box.grower.id, lot: box.lot.id, qty: "5 g", actor: "t")
        _ = try box.store.commitOutgoingTransfer(sent.id, license: box.grower.id, actor: "t")
        #expect(throws: OperationRefused("transfer-committed", "transfer \(sent.id) is committed and its stock has left; it cannot be deleted")) {
            try box.store.deleteOutgoingTransfer(sent.id, license: box.grower.id, actor: "t")
        }
    }
}
