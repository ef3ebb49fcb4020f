import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// A second lotbox syncing replays every call it made: `POST /b2c` again under the same client
/// id must not open a second sale. The same open is answered 200 with the sale as it is; a
/// different one under the id is 409 naming what differs, and nothing is written either way.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct B2CReplayRouteTests {
    @Test func theSameOpenAgainIsAnsweredWithTheSaleADifferentOneIsRefused() async throws {
        let server = try await TradeTestServer()
        let shop = try server.party("Shop")
        let other = try server.party("Other")
        let eighth = try server.store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                            unitPrice: "35", licenseKey: shop.license.id), actor: "test")
        let flower = try server.store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                            unitPrice: "10", licenseKey: shop.license.id), actor: "test")
        let bags = try server.store.createLot(NewLot(licenseKey: shop.license.id, productKey: eighth.id, sectionKey: shop.section.id, qty: "10"),
                                              actor: "test")
        let bulk = try server.store.createLot(NewLot(licenseKey: shop.license.id, productKey: flower.id, sectionKey: shop.section.id, qty: "100 g"),
                                              actor: "test")
        let sid = try await server.session(shop), otherSid = try await server.session(other)

        let body: [String: Any] = ["id": "SYNC-1", "contact": shop.contact.id,
                                   "item_list": [["inventory_id": bags.id, "unit_count": 2], ["inventory_id": bulk.id, "qty": "3.5", "unit_price": 9]]]
        let opened = try await server.call("POST", "/b2c", sid: sid, json: body)
        #expect(opened.status == 201, "\(opened.text)")
        let replayed = try await server.call("POST", "/b2c", sid: sid, json: body)
        #expect(replayed.status == 200, "\(replayed.text)")
        #expect(replayed.data?["id"] as? String == "SYNC-1")
        #expect(replayed.data?["hash"] as? String == opened.data?["hash"] as? String, "nothing was written")
        #expect(try await server.call("GET", "/b2c", sid: sid).list?.count == 1)

        // The same open spelled as a form, with the quantity's unit written out: the same lines.
        let form = "id=SYNC-1&contact=\(shop.contact.id)&item_list%5B0%5D%5Binventory_id%5D=\(bags.id)&item_list%5B0%5D%5Bunit_count%5D=2"
            + "&item_list%5B1%5D%5Binventory_id%5D=\(bulk.id)&item_list%5B1%5D%5Bqty%5D=3.5%20g&item_list%5B1%5D%5Bunit_price%5D=9.00"
        #expect(try await server.form("POST", "/b2c", sid: sid, form).status == 200)

        // Lines added after the open, and the commit, do not make the replay differ.
        #expect(try await server.call("POST", "/b2c/SYNC-1/item", sid: sid, json: ["inventory_id": bags.id]).status == 201)
        #expect(try await server.call("POST", "/b2c/SYNC-1/commit", sid: sid).status == 200)
        let afterCommit = try await server.call("POST", "/b2c", sid: sid, json: body)
        #expect(afterCommit.status == 200, "\(afterCommit.text)")
        #expect(afterCommit.data?["stat"] as? Int == 200)
        #expect((afterCommit.data?["item_list"] as? [Any])?.count == 3)
        #expect(try server.store.lot(id: bags.id)?.qty == 7 * 10_000, "sold once: 2 + 1")

        for (change, named) in [(["item_list": [["inventory_id": bags.id, "unit_count": 3]]], "quantity"),
                                (["item_list": [["inventory_id": bags.id, "unit_count": 2, "unit_price": 30]]], "unit price"),
                                (["contact": other.contact.id], "contact"),
                                (["item_list": [["inventory_id": bulk.id, "qty": 3.5]]], "lot")] as [([String: Any], String)] {
            let asked = body.merging(change) { _, new in new }
            let refused = try await server.call("POST", "/b2c", sid: sid, json: asked)
            #expect(refused.status == 409, "\(change): \(refused.text)")
            #expect(refused.note.contains(named), "\(change): \(refused.note)")
        }
        let longer = try await server.call("POST", "/b2c", sid: sid,
                                           json: body.merging(["item_list": (body["item_list"] as? [Any] ?? []) + [["inventory_id": bags.id], ["inventory_id": bags.id]]]) { _, new in new })
        #expect(longer.status == 409, "more lines than the sale has: \(longer.text)")

        // Another license replaying the id: its own conflict, the sale not shown.
        let stranger = try await server.call("POST", "/b2c", sid: otherSid, json: ["id": "SYNC-1"])
        #expect(stranger.status == 409, "\(stranger.text)")
        #expect(stranger.data == nil)
        #expect(try await server.call("GET", "/b2c", sid: sid).list?.count == 1)
        #expect(try await server.call("GET", "/b2c", sid: otherSid).list?.isEmpty == true)
        #expect(try server.store.lot(id: bags.id)?.qty == 7 * 10_000)
        await server.stop()
    }
}
