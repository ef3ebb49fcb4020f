import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// Incoming B2B transfers over real HTTP: the 12-key shape, license scoping, and accepting
/// through the dock's operation into real lots.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct B2BRouteTests {
    static let twelveKeys: Set<String> = ["id", "source", "target", "name", "method", "depart_at", "arrive_at", "created_at", "stat",
                                          "hash", "transfer_outgoing_stat", "line_item_list"]

    /// A grower sends to a shop on the same box: header, item, commit (its stock leaves), and
    /// the shop accepts the incoming transfer the commit handed it.
    @Test func anOutgoingTransferIsMadeCommittedAndAcceptedByItsTarget() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: flower.id, sectionKey: grower.section.id, qty: "1000 g"),
                                             actor: "test")
        let sid = try await server.session(grower), shopSid = try await server.session(shop)

        for (body, status, field) in [([:], 400, "'license_id_target'"), (["license_id_target": "NO-SUCH"], 404, "'license_id_target'"),
                                      (["license_id_target": grower.license.id], 403, "license_id_target"),
                                      (["license_id_target": shop.license.id, "license_id_source": shop.license.id], 403, "license_id_source"),
                                      (["license_id_target": shop.license.id, "depart_at": "soon"], 400, "depart_at")] as [([String: Any], Int, String)] {
            let refused = try await server.call("POST", "/b2b", sid: sid, json: body)
            #expect(refused.status == status, "\(body): \(refused.text)")
            #expect(refused.note.contains(field), "\(refused.note)")
        }
        let made = try await server.call("POST", "/b2b", sid: sid, json: ["license_id_target": shop.license.id, "id": "XFER-1",
                                                                         "depart_at": "2026-11-30T10:00:00Z"])
        #expect(made.status == 201, "\(made.text)")
        #expect(Set(made.data?.keys.map { $0 } ?? []) == ["id", "source", "target", "depart_at", "arrive_at"])
        #expect(made.data?["id"] as? String == "XFER-1")

        #expect(try await server.call("POST", "/b2b/XFER-1/commit", sid: shopSid).status == 404, "the target cannot commit the sender's transfer")
        #expect(try await server.call("POST", "/b2b/XFER-1/commit", sid: sid).status == 409, "nothing on it yet")
        let tooMuch = try await server.call("POST", "/b2b/XFER-1", sid: sid, json: ["inventory_id": lot.id, "qty": 2000])
        #expect(tooMuch.status == 400, "\(tooMuch.text)")
        #expect(tooMuch.note.contains("'qty'"), "\(tooMuch.note)")
        let added = try await server.form("POST", "/b2b/XFER-1", sid: sid, "inventory_id=\(lot.id)&qty=250")
        #expect(added.status == 201, "\(added.text)")
        #expect(Set(added.data?.keys.map { $0 } ?? []) == Self.twelveKeys)
        #expect((added.data?["line_item_list"] as? [[String: Any]])?.map { $0["qty"] as? String } == ["250.0000"])
        #expect(try server.store.lot(id: lot.id)?.qty == 1000 * 10_000, "nothing leaves before the commit")

        let committed = try await server.call("POST", "/b2b/XFER-1", sid: sid, json: ["status": "commit"])
        #expect(committed.status == 202, "\(committed.text)")
        #expect(committed.data?["stat"] as? Int == 307)
        #expect(try server.store.lot(id: lot.id)?.qty == 750 * 10_000)
        #expect(try await server.call("POST", "/b2b/XFER-1/commit", sid: sid).status == 409, "committed once")

        let incoming = try await server.call("GET", "/b2b/incoming", sid: shopSid)
        #expect(incoming.list?.map { $0["id"] as? String } == ["XFER-1"])
        #expect(incoming.list?.first?["transfer_outgoing_stat"] as? Int == 307)
        let accepted = try await server.call("POST", "/b2b/XFER-1/accept", sid: shopSid, json: ["section_id": shop.section.id])
        #expect(accepted.status == 201, "\(accepted.text)")
        #expect(try server.store.lots(LotFilter(licenseKey: shop.license.id)).map(\.lot.qty) == [250 * 10_000])

        // The other way round: an incoming header the shop makes itself, from the grower.
        let header = try await server.call("POST", "/b2b", sid: shopSid, json: ["license_id_source": grower.license.id, "name": "Expected"])
        #expect(header.status == 201, "\(header.text)")
        let headerID = try #require(header.data?["id"] as? String)
        #expect((header.data?["source"] as? [String: Any])?["id"] as? String == grower.license.id)
        let shown = try await server.call("GET", "/b2b/incoming/\(headerID)", sid: shopSid)
        #expect(shown.data?["stat"] as? Int == 100, "a draft until its lines are in and it is committed")
        #expect((shown.data?["line_item_list"] as? [Any])?.isEmpty == true)
        #expect(try await server.call("GET", "/b2b/\(headerID)", sid: sid).status == 404, "the sender has no outgoing side of it")
        await server.stop()
    }

    /// Two clients accepting one transfer at once: one 201, one 409, one lot per item.
    @Test func concurrentAcceptsReceiveOnce() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let eighth = try server.store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g"), actor: "test")
        let id = try server.store.createTransfer(NewTransfer(sourceLicenseKey: grower.license.id, targetLicenseKey: shop.license.id,
                                                             items: [NewTransferItem(packageID: "PKG-RACE-1", productKey: eighth.id, qty: "12")]),
                                                 actor: "test")
        let sid = try await server.session(shop), other = try await server.session(shop)
        async let first = server.call("POST", "/b2b/\(id)/accept", sid: sid)
        async let second = server.call("POST", "/b2b/\(id)/accept", sid: other)
        let statuses = try await [first.status, second.status].sorted()
        #expect(statuses == [201, 409], "\(statuses)")
        #expect(try server.store.lots(LotFilter(licenseKey: shop.license.id)).map(\.lot.qty) == [12 * 10_000])
        await server.stop()
    }

    @Test func anIncomingTransferIsListedShownAndAcceptedIntoLots() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let other = try server.party("Other")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let eighth = try server.store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g"), actor: "test")
        let id = try server.store.createTransfer(NewTransfer(
            sourceLicenseKey: grower.license.id, targetLicenseKey: shop.license.id, name: "Manifest 7", departAt: "2026-11-29T10:00:00Z",
            items: [NewTransferItem(packageID: "PKG-FLOWER-1", productKey: flower.id, qty: "450 g", unitPrice: "2.5"),
                    NewTransferItem(packageID: "PKG-EIGHTH-1", productKey: eighth.id, qty: "24")]), actor: "test")
        let sid = try await server.session(shop)
        let otherSid = try await server.session(other)

        let open = try await server.call("GET", "/b2b/incoming", sid: sid)
        #expect(open.status == 200)
        #expect(open.list?.map { $0["id"] as? String } == [id])
        #expect(open.list?.nonEmptyAllSatisfy { Set($0.keys) == Self.twelveKeys } == true, "\(open.text)")
        #expect(try await server.call("GET", "/b2b?type=incoming", sid: sid).list?.count == 1)
        #expect(try await server.call("GET", "/b2b", sid: sid).list?.map { $0["id"] as? String } == [id], "both sides together")
        #expect(try await server.call("GET", "/b2b/incoming/\(id)", sid: sid).data?["id"] as? String == id)
        #expect(try await server.call("GET", "/b2b", sid: otherSid).list?.isEmpty == true, "another license sees none")
        #expect(try await server.call("GET", "/b2b?type=outgoing", sid: sid).list?.isEmpty == true)

        let shown = try await server.call("GET", "/b2b/\(id)", sid: sid)
        #expect(shown.status == 200)
        let before = try #require(shown.data)
        #expect(Set(before.keys) == Self.twelveKeys)
        #expect((before["source"] as? [String: Any])?["id"] as? String == grower.license.id)
        #expect(before["name"] as? String == "Manifest 7")
        #expect(before["stat"] as? Int == 200)
        #expect(before["transfer_outgoing_stat"] is NSNull)
        let items = before["line_item_list"] as? [[String: Any]] ?? []
        #expect(items.map { $0["qty"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["24.0000", "450.0000"])
        #expect(items.contains { $0["unit_price"] as? String == "2.5000" })

        // Another license: not found, and it cannot accept.
        #expect(try await server.call("GET", "/b2b/\(id)", sid: otherSid).status == 404)
        #expect(try await server.call("GET", "/b2b/incoming", sid: otherSid).list?.isEmpty == true)
        let stolen = try await server.call("POST", "/b2b/\(id)/accept", sid: otherSid, json: ["section_id": other.section.id])
        #expect(stolen.status == 404, "\(stolen.text)")

        // A section of another license (403), an unknown one (404), an id of the wrong kind (400):
        // each names the field, and nothing is accepted.
        for (body, status) in [(["section_id": other.section.id], 403), (["section_id": "NO-SUCH-SECTION"], 404),
                               (["section_id": ["a"]], 400)] as [([String: Any], Int)] {
            let refused = try await server.call("POST", "/b2b/\(id)/accept", sid: sid, json: body)
            #expect(refused.status == status, "\(body): \(refused.text)")
            #expect(refused.note.contains("'section_id'"), "\(refused.note)")
        }
        #expect(try server.store.transfer(id).stat == 200)
        #expect(try server.store.lots(LotFilter(licenseKey: shop.license.id)).isEmpty)

        let accepted = try await server.form("POST", "/b2b/\(id)/accept", sid: sid, "section_id=\(shop.section.id)")
        #expect(accepted.status == 201, "\(accepted.text)")
        let after = try #require(accepted.data)
        #expect(Set(after.keys) == Self.twelveKeys)
        #expect(after["stat"] as? Int == 307)
        #expect(after["hash"] as? String != before["hash"] as? String)
        let lotIDs = (after["line_item_list"] as? [[String: Any]] ?? []).compactMap { ($0["inventory"] as? [String: Any])?["id"] as? String }
        #expect(lotIDs.count == 2)
        for lotID in lotIDs {
            let lot = try #require(try server.store.lot(id: lotID))
            #expect(lot.licenseId == shop.license.id)
            #expect(lot.sectionId == shop.section.id)
        }
        let lots = try server.store.lots(LotFilter(licenseKey: shop.license.id)).map(\.lot)
        #expect(lots.map(\.qty).sorted() == [24 * 10_000, 450 * 10_000])

        #expect(try await server.call("GET", "/b2b/incoming", sid: sid).list?.isEmpty == true, "an accepted transfer is no longer open")
        #expect(try await server.call("GET", "/b2b/incoming?stat=307", sid: sid).list?.count == 1)
        let twice = try await server.call("POST", "/b2b/\(id)/accept", sid: sid)
        #expect(twice.status == 409, "\(twice.text)")
        #expect(try server.store.lots(LotFilter(licenseKey: shop.license.id)).count == 2, "accepting twice made no more lots")

        #expect(try await server.call("GET", "/b2b?type=sideways", sid: sid).status == 400)
        #expect(try await server.call("GET", "/b2b?type=", sid: sid).status == 400)
        #expect(try await server.call("GET", "/b2b/NO-SUCH", sid: sid).status == 404)
        await server.stop()
    }
}
