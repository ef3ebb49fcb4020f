import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// What a box syncing to this one sends, over real HTTP: a sale's lines, a transfer's items, an
/// accepted item's lot and a lab result, each under the box's own id. The same call again is
/// answered with what is there and writes nothing; another object under the id is refused with
/// one line naming what differs.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct SyncReplayRouteTests {
    @Test func saleLinesKeepTheirIDsAndAReplayWritesNothing() async throws {
        let server = try await TradeTestServer()
        let shop = try server.party("Shop")
        let eighth = try server.store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                            unitPrice: "35", licenseKey: shop.license.id), actor: "test")
        let bags = try server.store.createLot(NewLot(licenseKey: shop.license.id, productKey: eighth.id, sectionKey: shop.section.id, qty: "10"),
                                              actor: "test")
        let sid = try await server.session(shop)
        let body: [String: Any] = ["id": "BOX-SALE-1", "item_list": [["id": "BOX-LINE-1", "inventory_id": bags.id, "unit_count": "2.0000", "unit_price": "29.5455"]]]
        let opened = try await server.call("POST", "/b2c", sid: sid, json: body)
        #expect(opened.status == 201, "\(opened.text)")
        #expect((opened.data?["item_list"] as? [[String: Any]])?.first?["id"] as? String == "BOX-LINE-1")
        #expect((opened.data?["item_list"] as? [[String: Any]])?.first?["unit_price"] as? String == "29.5455")
        #expect(try await server.call("POST", "/b2c", sid: sid, json: body).status == 200)
        let other = try await server.call("POST", "/b2c", sid: sid,
                                          json: ["id": "BOX-SALE-1", "item_list": [["id": "BOX-LINE-9", "inventory_id": bags.id, "unit_count": "2.0000", "unit_price": "29.5455"]]])
        #expect(other.status == 409 && other.note.contains("line 1 id"), "\(other.text)")
        // A line id taken by another sale, and one that is no id: refused, nothing added.
        let second = try await server.call("POST", "/b2c", sid: sid, json: ["id": "BOX-SALE-2"])
        #expect(second.status == 201)
        let taken = try await server.call("POST", "/b2c/BOX-SALE-2/item", sid: sid, json: ["id": "BOX-LINE-1", "inventory_id": bags.id])
        #expect(taken.status == 409 && taken.note.contains("BOX-LINE-1"), "\(taken.text)")
        let bad = try await server.call("POST", "/b2c/BOX-SALE-2/item", sid: sid, json: ["id": "no spaces", "inventory_id": bags.id])
        #expect(bad.status == 400 && bad.note.contains("'id'"), "\(bad.text)")
        #expect(try server.store.sale("BOX-SALE-2").lines.isEmpty)
        await server.stop()
    }

    @Test func itemsAndAcceptedLotsKeepTheBoxsIDs() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let lab = try server.party("Lab", type: "lab")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: flower.id, sectionKey: grower.section.id, qty: "1000 g"),
                                             actor: "test")
        let sid = try await server.session(grower), shopSid = try await server.session(shop)

        #expect(try await server.call("POST", "/b2b", sid: sid, json: ["id": "BOX-T-1", "license_id_target": shop.license.id]).status == 201)
        let item: [String: Any] = ["id": "BOX-ITEM-1", "inventory_id": lot.id, "qty": "300.0000", "unit_price": "2.6455"]
        #expect(try await server.call("POST", "/b2b/outgoing/BOX-T-1/item", sid: sid, json: item).status == 201)
        let again = try await server.call("POST", "/b2b/outgoing/BOX-T-1/item", sid: sid, json: item)
        #expect(again.status == 201 && (again.data?["line_item_list"] as? [Any])?.count == 1, "\(again.text)")
        var changed = item
        changed["qty"] = "200"
        let differs = try await server.call("POST", "/b2b/outgoing/BOX-T-1/item", sid: sid, json: changed)
        #expect(differs.status == 409 && differs.note.contains("qty"), "\(differs.text)")
        #expect(try await server.call("POST", "/b2b/BOX-T-1/commit", sid: sid).status == 202)
        #expect(try server.store.lot(id: lot.id)?.qty == 700 * 10_000)

        // The receiver names the lot its item becomes and what it received; unknown items and bad quantities are refused.
        for (body, status, named) in [(["item_list": [["id": "NO-ITEM", "inventory_id": "BOX-LOT-1"]]], 400, "NO-ITEM"),
                                      (["item_list": [["id": "BOX-ITEM-1", "inventory_id": "BOX-LOT-1", "qty": 0]]], 400, "item_list[0].qty"),
                                      (["item_list": [["inventory_id": "BOX-LOT-1"]]], 400, "item_list[0].id")] as [([String: Any], Int, String)] {
            let refused = try await server.call("POST", "/b2b/BOX-T-1/accept", sid: shopSid, json: body)
            #expect(refused.status == status && refused.note.contains(named), "\(body): \(refused.text)")
        }
        let accept: [String: Any] = ["section_id": shop.section.id, "item_list": [["id": "BOX-ITEM-1", "inventory_id": "BOX-LOT-1", "qty": "298.5"]]]
        let accepted = try await server.call("POST", "/b2b/BOX-T-1/accept", sid: shopSid, json: accept)
        #expect(accepted.status == 201, "\(accepted.text)")
        let received = try #require(try server.store.lot(id: "BOX-LOT-1"))
        #expect(received.qty == 2_985_000 && received.licenseId == shop.license.id && received.sectionId == shop.section.id)
        let cursor = try server.store.latestCursor()
        #expect(try await server.call("POST", "/b2b/BOX-T-1/accept", sid: shopSid, json: accept).status == 201)
        #expect(try server.store.latestCursor() == cursor, "the replayed accept wrote nothing")
        let other = try await server.call("POST", "/b2b/BOX-T-1/accept", sid: shopSid,
                                          json: ["item_list": [["id": "BOX-ITEM-1", "inventory_id": "BOX-LOT-2"]]])
        #expect(other.status == 409, "\(other.text)")

        // A lab result under the box's id: again, 200 and nothing written; other lots under the id, 409.
        let result: [String: Any] = ["id": "BOX-COA-1", "license": lab.license.id, "sampled_on": "2026-11-20", "inventory_list": ["BOX-LOT-1"],
                                     "metric_list": [["name": "d9-THC", "qom": "0.5", "uom": "pct"]]]
        let recorded = try await server.call("POST", "/lab/result", sid: shopSid, json: result)
        #expect(recorded.status == 201 && recorded.data?["id"] as? String == "BOX-COA-1", "\(recorded.text)")
        let labCursor = try server.store.latestCursor()
        #expect(try await server.call("POST", "/lab/result", sid: shopSid, json: result).status == 200)
        #expect(try server.store.latestCursor() == labCursor)
        #expect(try server.store.labResults(license: shop.license.id).map(\.id) == ["BOX-COA-1"])
        let moreLots = try server.store.createLot(NewLot(licenseKey: shop.license.id, productKey: flower.id, sectionKey: shop.section.id, qty: "5 g"),
                                                  actor: "test")
        var elsewhere = result
        elsewhere["inventory_list"] = [moreLots.id]
        let conflict = try await server.call("POST", "/lab/result", sid: shopSid, json: elsewhere)
        #expect(conflict.status == 409 && conflict.note.contains("BOX-COA-1"), "\(conflict.text)")
        await server.stop()
    }
}
