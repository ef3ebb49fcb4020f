import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// The B2B routes that finish issue #12's list, over real HTTP on a real store: an incoming
/// transfer typed in from a paper manifest (draft, lines, commit to the dock, scanned and
/// accepted), `DELETE /b2b/{id}` on both sides, and the outgoing manifest as a file that the
/// real `lotbox` CLI imports into another store.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct B2BRecordedRouteTests {
    static let tag = "1A4FF0100000022000000777"

    @Test func aPaperManifestIsRecordedLineByLineCommittedToTheDockAndAccepted() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let flower = try server.store.addProduct(NewProduct(name: "Shop Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                            licenseKey: shop.license.id), actor: "test")
        let eighth = try server.store.addProduct(NewProduct(name: "Shop Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                            licenseKey: shop.license.id), actor: "test")
        let growerOnly = try server.store.addProduct(NewProduct(name: "Grower Trim", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                                licenseKey: grower.license.id), actor: "test")
        let sid = try await server.session(shop)

        let header = try await server.call("POST", "/b2b", sid: sid, json: ["license_id_source": grower.license.id, "id": "PAPER-1", "name": "Paper 12"])
        #expect(header.status == 201, "\(header.text)")
        #expect(try await server.call("GET", "/b2b/incoming", sid: sid).list?.isEmpty == true, "a draft is not at the dock")
        #expect(try await server.call("GET", "/b2b/incoming?stat=100", sid: sid).list?.map { $0["id"] as? String } == ["PAPER-1"])
        let early = try await server.call("POST", "/b2b/PAPER-1/accept", sid: sid, json: ["section_id": shop.section.id])
        #expect(early.status == 409, "\(early.text)")
        #expect(early.note.contains("still being recorded"), "\(early.note)")
        #expect(throws: OperationRefused.self) {
            try server.store.receive(transfer: "PAPER-1", packageIDs: [Self.tag], unitCode: nil, quantity: nil, scanLogID: nil, station: "dock", actor: "test")
        }
        let empty = try await server.call("POST", "/b2b/incoming/PAPER-1/commit", sid: sid)
        #expect(empty.status == 409, "\(empty.text)")
        #expect(empty.note.contains("no lines"), "\(empty.note)")

        // Bad lines: each names its field, and none is written.
        for (body, status, field) in [([:], 400, "'product'"), (["product": "No Such Thing", "qty": 1], 404, "'product'"),
                                      (["product": growerOnly.id, "qty": 1], 404, "'product'"),
                                      (["product": flower.id], 400, "'qty'"), (["product": flower.id, "qty": "lots"], 400, "'qty'"),
                                      (["product": flower.id, "qty": "2 ea"], 400, "'qty'"), (["product": flower.id, "qty": 0], 400, "'qty'"),
                                      (["product": flower.id, "qty": 5, "variety": "No Such Strain"], 404, "'variety'"),
                                      (["product": flower.id, "qty": 5, "id": "not an id!"], 400, "'id'"),
                                      (["product": flower.id, "qty": 5, "unit_price": "cheap"], 400, "'unit_price'")] as [([String: Any], Int, String)] {
            let refused = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: body)
            #expect(refused.status == status, "\(body): \(refused.text)")
            #expect(refused.note.contains(field), "\(body): \(refused.note)")
        }
        #expect(try server.store.transfer("PAPER-1").items.isEmpty)

        let line = ["product": "shop flower", "qty": 450, "inventory_id": Self.tag, "unit_price": "2.5", "id": "LINE-1"] as [String: Any]
        let first = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: line)
        #expect(first.status == 201, "\(first.text)")
        #expect(Set(first.data?.keys.map { $0 } ?? []) == B2BRouteTests.twelveKeys)
        let firstItems = first.data?["line_item_list"] as? [[String: Any]] ?? []
        #expect(firstItems.map { $0["id"] as? String } == ["LINE-1"])
        #expect(firstItems.first?["qty"] as? String == "450.0000")
        #expect(firstItems.first?["unit_price"] as? String == "2.5000")
        #expect((firstItems.first?["origin"] as? [String: Any])?["id"] as? String == Self.tag)
        #expect((firstItems.first?["product"] as? [String: Any])?["id"] as? String == flower.id)

        let replay = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: line)
        #expect(replay.status == 201, "\(replay.text)")
        #expect(replay.data?["hash"] as? String == first.data?["hash"] as? String, "a replay changes nothing")
        var changed = line
        changed["qty"] = 460
        let clash = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: changed)
        #expect(clash.status == 409, "\(clash.text)")
        #expect(clash.note.contains("LINE-1"), "\(clash.note)")
        let twice = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: ["product": flower.id, "qty": 1, "inventory_id": Self.tag])
        #expect(twice.status == 409, "the same package twice: \(twice.text)")

        // A form to POST /b2b/{id}, as an OpenTHC client sends it; no package id: the line's own.
        let second = try await server.form("POST", "/b2b/PAPER-1", sid: sid, "product=\(eighth.id)&qty=24")
        #expect(second.status == 201, "\(second.text)")
        let items = second.data?["line_item_list"] as? [[String: Any]] ?? []
        #expect(items.count == 2)
        let unlabeled = try #require(items.first { $0["id"] as? String != "LINE-1" })
        #expect((unlabeled["origin"] as? [String: Any])?["id"] as? String == unlabeled["id"] as? String)
        #expect(unlabeled["qty"] as? String == "24.0000")
        #expect(try server.store.transfer("PAPER-1").stat == 100)

        let committed = try await server.call("POST", "/b2b/incoming/PAPER-1/commit", sid: sid)
        #expect(committed.status == 202, "\(committed.text)")
        #expect(committed.data?["stat"] as? Int == 200)
        #expect(try await server.call("POST", "/b2b/PAPER-1/commit", sid: sid).status == 409, "committed once")
        let late = try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: sid, json: ["product": flower.id, "qty": 3])
        #expect(late.status == 409, "\(late.text)")
        #expect(late.note.contains("at the dock"), "\(late.note)")
        #expect(try await server.call("GET", "/b2b/incoming", sid: sid).list?.map { $0["id"] as? String } == ["PAPER-1"])

        // At the dock: the tagged package scans, then the transfer is accepted into lots.
        let counted = try server.store.receive(transfer: "PAPER-1", packageIDs: [Self.tag], unitCode: nil, quantity: nil, scanLogID: nil,
                                               station: "dock", actor: "test")
        #expect(counted.qty == 450 * 10_000)
        let accepted = try await server.call("POST", "/b2b/incoming/PAPER-1/accept", sid: sid, json: ["section_id": shop.section.id])
        #expect(accepted.status == 201, "\(accepted.text)")
        #expect(accepted.data?["stat"] as? Int == 307)
        let lots = try server.store.lots(LotFilter(licenseKey: shop.license.id)).map(\.lot)
        #expect(lots.map(\.qty).sorted() == [24 * 10_000, 450 * 10_000])
        #expect(lots.nonEmptyAllSatisfy { $0.sectionId == shop.section.id })

        // Another license never sees or touches it.
        let other = try server.party("Other")
        let otherSid = try await server.session(other)
        #expect(try await server.call("POST", "/b2b/incoming/PAPER-1/item", sid: otherSid, json: ["product": flower.id, "qty": 1]).status == 404)
        #expect(try await server.call("POST", "/b2b/incoming/PAPER-1/commit", sid: otherSid).status == 404)
        await server.stop()
    }

    @Test func aTransferNotYetCommittedOrAcceptedIsCanceledInTwoSteps() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let other = try server.party("Other")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: flower.id, sectionKey: grower.section.id, qty: "1000 g"),
                                             actor: "test")
        let sid = try await server.session(grower), shopSid = try await server.session(shop), otherSid = try await server.session(other)

        // An open outgoing transfer: canceled, its stock never left.
        #expect(try await server.call("POST", "/b2b", sid: sid, json: ["license_id_target": shop.license.id, "id": "XFER-OPEN"]).status == 201)
        #expect(try await server.call("POST", "/b2b/XFER-OPEN", sid: sid, json: ["inventory_id": lot.id, "qty": 100]).status == 201)
        #expect(try await server.call("DELETE", "/b2b/XFER-OPEN", sid: otherSid).status == 404, "another license's transfer")
        let requested = try await server.call("DELETE", "/b2b/XFER-OPEN", sid: sid)
        #expect(requested.status == 202, "\(requested.text)")
        #expect(requested.data?["stat"] as? Int == 410)
        let more = try await server.call("POST", "/b2b/XFER-OPEN", sid: sid, json: ["inventory_id": lot.id, "qty": 1])
        #expect(more.status == 409, "\(more.text)")
        #expect(try await server.call("POST", "/b2b/XFER-OPEN/commit", sid: sid).status == 409, "a canceled transfer is not committed")
        let confirmed = try await server.call("DELETE", "/b2b/XFER-OPEN", sid: sid)
        #expect(confirmed.status == 410, "\(confirmed.text)")
        #expect(confirmed.data?["stat"] as? Int == 423)
        #expect(try await server.call("DELETE", "/b2b/XFER-OPEN", sid: sid).status == 423)
        #expect(try await server.call("GET", "/b2b/XFER-OPEN", sid: sid).data?["stat"] as? Int == 423)
        #expect(try server.store.lot(id: lot.id)?.qty == 1000 * 10_000)
        #expect(try await server.call("GET", "/b2b/XFER-OPEN", sid: shopSid).status == 404, "never delivered")

        // A committed one: the stock has left; neither side may cancel it.
        #expect(try await server.call("POST", "/b2b", sid: sid, json: ["license_id_target": shop.license.id, "id": "XFER-SENT"]).status == 201)
        #expect(try await server.call("POST", "/b2b/XFER-SENT", sid: sid, json: ["inventory_id": lot.id, "qty": 250]).status == 201)
        #expect(try await server.call("POST", "/b2b/XFER-SENT/commit", sid: sid).status == 202)
        let sent = try await server.call("DELETE", "/b2b/XFER-SENT", sid: sid)
        #expect(sent.status == 409, "\(sent.text)")
        #expect(sent.note.contains("stock has left"), "\(sent.note)")
        let received = try await server.call("DELETE", "/b2b/XFER-SENT", sid: shopSid)
        #expect(received.status == 409, "\(received.text)")
        #expect(received.note.contains("committed by its sender"), "\(received.note)")
        #expect(try await server.call("GET", "/b2b/XFER-SENT", sid: shopSid).data?["stat"] as? Int == 200)
        #expect(try server.store.lot(id: lot.id)?.qty == 750 * 10_000)

        // An incoming one typed in by hand: canceled, then it cannot be accepted or scanned.
        #expect(try await server.call("POST", "/b2b", sid: shopSid, json: ["license_id_source": other.license.id, "id": "PAPER-X"]).status == 201)
        #expect(try await server.call("POST", "/b2b/incoming/PAPER-X/item", sid: shopSid,
                                      json: ["product": flower.id, "qty": 5, "inventory_id": "PKG-X-1"]).status == 201)
        #expect(try await server.call("POST", "/b2b/incoming/PAPER-X/commit", sid: shopSid).status == 202)
        #expect(try await server.call("DELETE", "/b2b/PAPER-X", sid: shopSid).status == 202)
        let refused = try await server.call("POST", "/b2b/PAPER-X/accept", sid: shopSid)
        #expect(refused.status == 409, "\(refused.text)")
        #expect(refused.note.contains("canceled"), "\(refused.note)")
        #expect(throws: OperationRefused.self) {
            try server.store.receive(transfer: "PAPER-X", packageIDs: ["PKG-X-1"], unitCode: nil, quantity: nil, scanLogID: nil, station: "dock", actor: "test")
        }
        #expect(try await server.call("DELETE", "/b2b/PAPER-X", sid: shopSid).status == 410)
        #expect(try await server.call("DELETE", "/b2b/PAPER-X", sid: shopSid).status == 423)
        #expect(try server.store.lots(LotFilter(licenseKey: shop.license.id)).isEmpty)

        // An accepted one: its lots are here.
        #expect(try await server.call("POST", "/b2b/XFER-SENT/accept", sid: shopSid).status == 201)
        let accepted = try await server.call("DELETE", "/b2b/XFER-SENT", sid: shopSid)
        #expect(accepted.status == 409, "\(accepted.text)")
        #expect(try await server.call("DELETE", "/b2b/NO-SUCH", sid: shopSid).status == 404)
        await server.stop()
    }

    /// The sender's box writes the manifest file; the real CLI imports it into the receiver's
    /// own store (another file, its own product ids), and the lines, price and COA arrive.
    @Test func theManifestFileIsImportedByTheCLIIntoAnotherStore() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                            licenseKey: grower.license.id), actor: "test")
        let eighth = try server.store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                            licenseKey: grower.license.id), actor: "test")
        let bulk = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: flower.id, sectionKey: grower.section.id, qty: "1000 g"),
                                              actor: "test")
        let bags = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: eighth.id, sectionKey: grower.section.id, qty: "40"),
                                              actor: "test")
        let coa = "https://evergreen.example/coa/EL-9"
        _ = try server.store.addLabResult(NewLabResult(labKey: "Evergreen Labs", sampledOn: "2026-11-20", lotKeys: [bulk.id], thc: "0.5%", thca: "25.1%",
                                                       coaURL: coa), actor: "test")
        let sid = try await server.session(grower), shopSid = try await server.session(shop)
        #expect(try await server.call("POST", "/b2b", sid: sid, json: ["license_id_target": shop.license.id, "id": "XFER-FILE", "name": "Run 4"]).status == 201)
        #expect(try await server.call("POST", "/b2b/XFER-FILE", sid: sid, json: ["inventory_id": bulk.id, "qty": 250, "unit_price": 3]).status == 201)
        #expect(try await server.call("POST", "/b2b/XFER-FILE", sid: sid, json: ["inventory_id": bags.id, "qty": 12]).status == 201)

        let file = try await server.call("GET", "/b2b/outgoing/XFER-FILE/file", sid: sid)
        #expect(file.status == 200, "\(file.text)")
        #expect(file.header("Content-Disposition") == "attachment; filename=\"b2b-XFER-FILE.json\"")
        #expect(file.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(file.data?["id"] as? String == "XFER-FILE")
        #expect(try await server.call("GET", "/b2b/outgoing/XFER-FILE/file", sid: shopSid).status == 404, "the sender's file only")
        #expect(try await server.call("GET", "/b2b/outgoing/NO-SUCH/file", sid: sid).status == 404)

        // The receiver's box: its own store, the shop's license under its OpenTHC id, and its
        // own products of the same names (other ids than the sender's).
        let folder = try TemporaryFolder.make()
        let other = folder + "/receiver.sqlite"
        do {
            let receiver = try LotStore(path: other, create: true)
            let company = try receiver.addCompany(name: "Shop Co", actor: "test")
            _ = try receiver.addLicense(name: "Shop License", code: "SHOP-1", typeKey: "retail", companyKey: company.id, id: shop.license.id, actor: "test")
            let mine = try receiver.addProduct(NewProduct(name: "bulk flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                          licenseKey: shop.license.id), actor: "test")
            #expect(mine.id != flower.id)
            _ = try receiver.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                   licenseKey: shop.license.id), actor: "test")
        }
        let path = folder + "/b2b-XFER-FILE.json"
        try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
        let binary = ProcessInfo.processInfo.environment["LOTBOX_BIN"] ?? ".build/debug/lotbox"
        let imported = try runProgram(binary, ["b2b", "import", path, "--db", other], deadline: 60)
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.trimmingCharacters(in: .whitespacesAndNewlines) == "XFER-FILE")

        let receiver = try LotStore(path: other)
        let arrived = try receiver.transferWithPrices("XFER-FILE")
        #expect(arrived.sourceLicenseID == grower.license.id)
        #expect(arrived.targetLicenseID == shop.license.id)
        let lines = arrived.items.map { "\($0.packageID) \($0.productName) \($0.expected) \($0.unitPrice.map(String.init) ?? "-")" }.sorted()
        #expect(lines == ["\(bags.id) Eighth 120000 -", "\(bulk.id) bulk flower 2500000 30000"].sorted(), "\(lines)")

        let accepted = try runProgram(binary, ["b2b", "accept", "XFER-FILE", "--all", "--db", other], deadline: 60)
        #expect(accepted.status == 0, "\(accepted.err)")
        let shown = try runProgram(binary, ["lot", "show", bulk.id, "--db", other], deadline: 60)
        #expect(shown.status == 0, "\(shown.err)")
        #expect(shown.out.contains(coa), "the sender's COA came with the package: \(shown.out)")
        await server.stop()
    }
}
