import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// A recall's read (the back office's recall screen): from a lot, every lot on the box made from
/// it (split, converted, received by the box's other license from a transfer) and every sale
/// holding one of them, with quantities and amounts; nothing of a lot that did not come from it.
@Suite(.timeLimit(.minutes(5))) struct RecallTests {
    @Test func aRecallReachesSplitsConvertsTransfersAndTheirSales() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "t")
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let eighth = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35",
                                                     licenseKey: grower.id), actor: "t")
        let roll = try store.addProduct(NewProduct(name: "Pre-roll", typeKey: "Flower/Bagged", packageType: .each, unit: "1 g", unitPrice: "12",
                                                   licenseKey: grower.id), actor: "t")
        let root = try store.createLot(NewLot(licenseKey: grower.id, productKey: eighth.id, qty: "10"), actor: "t")
        let unrelated = try store.createLot(NewLot(licenseKey: grower.id, productKey: eighth.id, qty: "10"), actor: "t")
        let split = try store.splitLot(root.id, qty: "5", actor: "t")
        let converted = try store.convertLots(sources: [(key: split.id, qty: "2")], productKey: roll.id, outputQty: "3", actor: "t")
        let transfer = try store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: shop.id, id: "B2B-R"), license: grower.id, actor: "t")
        _ = try store.addOutgoingItem(transfer: transfer.id, license: grower.id, lot: split.id, qty: "1", actor: "t")
        _ = try store.commitOutgoingTransfer(transfer.id, license: grower.id, actor: "t")
        let received = try #require(try store.acceptTransfer("B2B-R", everything: true, actor: "shop").lots.first).lotID
        var sales: [String] = []
        for (lot, count) in [(split.id, "2"), (converted.id, "1"), (unrelated.id, "1")] {
            let sale = try store.openSale(id: nil, license: grower.id, contact: nil, lines: [NewSaleLine(lotID: lot, quantity: count, unitPrice: nil)], actor: "t")
            _ = try store.commitSale(id: sale.sale.id, license: grower.id, actor: "t")
            sales.append(sale.sale.id)
        }

        let recall = try #require(try store.recall(lot: root.id, license: grower.id))
        #expect(recall.lots.map(\.id) == [root.id, split.id] + [converted.id, received].sorted())
        #expect(Dictionary(uniqueKeysWithValues: recall.lots.map { ($0.id, $0.how) })
                == [root.id: "recalled", split.id: "SPLT", converted.id: "CONV", received: "transfer"])
        #expect(recall.lots.first { $0.id == received }?.licenseID == shop.id)
        #expect(recall.lots.first { $0.id == received }?.parentID == split.id)
        #expect(recall.lots.first { $0.id == split.id }?.qty.description == "0 ea", "\(recall.lots)")
        #expect(Set(recall.sales.map(\.id)) == Set(sales.prefix(2)))
        let bySale = Dictionary(uniqueKeysWithValues: recall.sales.map { ($0.id, $0) })
        #expect(bySale[sales[0]]?.lotID == split.id && bySale[sales[0]]?.amount == 700_000 && bySale[sales[0]]?.qty.description == "2 ea")
        #expect(bySale[sales[1]]?.lotID == converted.id && bySale[sales[1]]?.amount == 120_000 && bySale[sales[1]]?.stat == Stat.live)

        // From the converted lot: itself and its own sale only. Another license's lot: nothing.
        let narrow = try #require(try store.recall(lot: converted.id, license: grower.id))
        #expect(narrow.lots.map(\.id) == [converted.id] && narrow.sales.map(\.id) == [sales[1]])
        #expect(try store.recall(lot: root.id, license: shop.id) == nil)
        #expect(try store.recall(lot: "NO-SUCH-LOT", license: grower.id) == nil)
    }
}
