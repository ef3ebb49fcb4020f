import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// `DELETE /company|license|contact/{id}` over real HTTP: OpenTHC's two steps (202, 410, then
/// 423), refused with 409 while anything live leans on the row, and a deleted identity no
/// longer opens a session.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct DirectoryDeleteRouteTests {
    @Test func aPartnerIsDeletedInTwoStepsOnceNothingLiveNeedsIt() async throws {
        let server = try await TradeTestServer()
        let shop = try server.party("Shop")
        let partner = try server.party("Partner", type: "grower")
        let flower = try server.store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: partner.license.id, productKey: flower.id, sectionKey: partner.section.id, qty: "10 g"),
                                             actor: "test")
        let sid = try await server.session(shop)
        let partnerSid = try await server.session(partner)

        // In use: the company has a license and a contact; the license stock and a session;
        // the contact a session. Each 409 names what holds it, and nothing moves.
        for (path, words) in [("/company/\(partner.company.id)", ["license", "contact", "session"]),
                              ("/license/\(partner.license.id)", ["live lot", "session"]),
                              ("/contact/\(partner.contact.id)", ["session"]),
                              ("/license/\(shop.license.id)", ["session"])] {
            let refused = try await server.call("DELETE", path, sid: sid)
            #expect(refused.status == 409, "\(path): \(refused.text)")
            #expect(words.nonEmptyAllSatisfy { refused.note.contains($0) }, "\(path): \(refused.note)")
        }
        #expect(try server.store.company(id: partner.company.id)?.stat == 200)
        #expect(try server.store.license(id: partner.license.id)?.stat == 200)

        // The partner's session ends, its stock goes; an open transfer to it still holds the license.
        #expect(try await server.call("GET", "/auth/shut", sid: partnerSid).status == 200)
        _ = try server.store.adjustLot(lot.id, .by("-10 g"), reason: .waste, note: "gone", actor: "test")
        let shopSid = sid
        #expect(try await server.call("POST", "/b2b", sid: shopSid, json: ["license_id_source": partner.license.id, "id": "IN-OPEN"]).status == 201)
        let held = try await server.call("DELETE", "/license/\(partner.license.id)", sid: sid)
        #expect(held.status == 409, "\(held.text)")
        #expect(held.note.contains("open transfer"), "\(held.note)")
        #expect(try await server.call("DELETE", "/b2b/IN-OPEN", sid: shopSid).status == 202)

        let requested = try await server.call("DELETE", "/license/\(partner.license.id)", sid: sid)
        #expect(requested.status == 202, "\(requested.text)")
        #expect(requested.data?["stat"] as? Int == 410)
        #expect(try await server.call("DELETE", "/license/\(partner.license.id)", sid: sid).status == 410)
        #expect(try await server.call("DELETE", "/license/\(partner.license.id)", sid: sid).status == 423)
        #expect(try server.store.license(id: partner.license.id)?.stat == 423)

        // If-Match guards a delete as it does a change.
        let wrongHash = try await server.raw("DELETE", "/contact/\(partner.contact.id)", sid: sid, body: nil, contentType: nil,
                                             headers: [("If-Match", String(repeating: "0", count: 64))])
        #expect(wrongHash.status == 412, "\(wrongHash.text)")
        #expect(try server.store.contact(id: partner.contact.id)?.stat == 200)
        #expect(try await server.call("DELETE", "/contact/\(partner.contact.id)", sid: sid).status == 202)
        let confirmed = try await server.call("DELETE", "/contact/\(partner.contact.id)", sid: sid)
        #expect(confirmed.status == 410, "\(confirmed.text)")
        #expect(confirmed.data?["stat"] as? Int == 423)

        // Now the company: nothing left under it.
        #expect(try await server.call("DELETE", "/company/\(partner.company.id)", sid: sid).status == 202)
        #expect(try await server.call("DELETE", "/company/\(partner.company.id)", sid: sid).status == 410)
        #expect(try await server.call("DELETE", "/company/\(partner.company.id)", sid: sid).status == 423)
        #expect(try await server.call("GET", "/company/\(partner.company.id)", sid: sid).status == 200, "kept: lots and the log name it")

        // A deleted identity opens no session, and a deleted partner takes nothing new.
        await #expect(throws: TestServerError.self) { try await server.session(partner) }
        for (path, body) in [("/license", ["name": "Late License", "type": "grower", "company": partner.company.id]),
                             ("/contact", ["name": "Late Clerk", "company": partner.company.id]),
                             ("/b2b", ["license_id_target": partner.license.id]), ("/b2b", ["license_id_source": partner.license.id]),
                             ("/b2c", ["contact": partner.contact.id])] as [(String, [String: Any])] {
            let refused = try await server.call("POST", path, sid: sid, json: body)
            #expect(refused.status == 409, "\(path) \(body): \(refused.text)")
            #expect(refused.note.contains("was deleted"), "\(path): \(refused.note)")
        }

        // The store's own rows and unknown ids.
        #expect(try await server.call("DELETE", "/company/\(WellKnown.systemCompany)", sid: sid).status == 403)
        #expect(try await server.call("DELETE", "/license/\(WellKnown.unknownLicense)", sid: sid).status == 403)
        for kind in ["company", "license", "contact"] {
            #expect(try await server.call("DELETE", "/\(kind)/NO-SUCH", sid: sid).status == 404)
        }
        await server.stop()
    }
}
