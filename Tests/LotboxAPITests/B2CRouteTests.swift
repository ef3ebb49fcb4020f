import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// B2C sales over real HTTP against a real store: the kiosk's operations behind the routes,
/// the two-step void, license scoping, and bad bodies refused with nothing written.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct B2CRouteTests {
    /// A retail license with a priced each product (an eighth at $35) and a lot of 10.
    struct Shop {
        let server: TradeTestServer
        let party: TradeTestServer.Party
        let lot: Lot
        let sid: String
    }

    func shop(_ server: TradeTestServer, _ name: String) async throws -> Shop {
        let party = try server.party(name)
        let product = try server.store.addProduct(NewProduct(name: "\(name) Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                             unitPrice: "35", licenseKey: party.license.id), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: party.license.id, productKey: product.id, sectionKey: party.section.id, qty: "10"),
                                             actor: "test")
        return Shop(server: server, party: party, lot: lot, sid: try await server.session(party))
    }

    func qty(_ server: TradeTestServer, _ lot: Lot) throws -> Int64? { try server.store.lot(id: lot.id)?.qty }

    @Test func aSaleOpensTakesLinesCommitsAndVoidsInTwoSteps() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        let sid = a.sid

        let opened = try await server.call("POST", "/b2c", sid: sid, json: ["id": "SALE-CHOSEN-1"])
        #expect(opened.status == 201, "\(opened.text)")
        #expect(opened.data?["id"] as? String == "SALE-CHOSEN-1")
        #expect(opened.data?["stat"] as? Int == 100)

        let first = try await server.call("POST", "/b2c/SALE-CHOSEN-1/item", sid: sid,
                                          json: ["inventory_id": a.lot.id, "unit_count": 2, "unit_price": "30"])
        #expect(first.status == 201, "\(first.text)")
        let firstLines = first.data?["item_list"] as? [[String: Any]] ?? []
        #expect(firstLines.count == 1)
        #expect(firstLines.first?["unit_count"] as? String == "2.0000")
        #expect(firstLines.first?["unit_price"] as? String == "30.0000")
        #expect((firstLines.first?["inventory"] as? [String: Any])?["id"] as? String == a.lot.id)

        // The same route through a PHP-style form, the product's own price, `qty` for the count.
        let second = try await server.form("POST", "/b2c/SALE-CHOSEN-1", sid: sid, "inventory%5Bid%5D=\(a.lot.id)&qty=1")
        #expect(second.status == 201, "\(second.text)")
        #expect((second.data?["item_list"] as? [[String: Any]])?.count == 2)

        let read = try await server.call("GET", "/b2c/SALE-CHOSEN-1", sid: sid)
        #expect(read.status == 200)
        #expect(read.data?["total"] as? String == "95.0000")
        #expect((read.data?["hash"] as? String)?.count == 64)
        #expect(try qty(server, a.lot) == 10 * 10_000, "nothing leaves the shelf before the commit")

        let committed = try await server.call("POST", "/b2c/SALE-CHOSEN-1/commit", sid: sid)
        #expect(committed.status == 200, "\(committed.text)")
        #expect(committed.data?["stat"] as? Int == 200)
        #expect(committed.data?["execute_at"] is String)
        #expect(committed.data?["hash"] as? String != read.data?["hash"] as? String)
        #expect(try qty(server, a.lot) == 7 * 10_000)

        let again = try await server.call("POST", "/b2c/SALE-CHOSEN-1/item", sid: sid, json: ["inventory_id": a.lot.id])
        #expect(again.status == 409, "a committed sale takes no more lines: \(again.text)")

        let requested = try await server.call("DELETE", "/b2c/SALE-CHOSEN-1", sid: sid)
        #expect(requested.status == 423, "\(requested.text)")
        #expect(requested.data?["stat"] as? Int == 423)
        #expect(try qty(server, a.lot) == 7 * 10_000, "a requested void puts nothing back yet")

        let confirmed = try await server.call("DELETE", "/b2c/SALE-CHOSEN-1", sid: sid)
        #expect(confirmed.status == 410, "\(confirmed.text)")
        #expect(confirmed.data?["stat"] as? Int == 410)
        #expect(try qty(server, a.lot) == 10 * 10_000)

        let later = try await server.call("DELETE", "/b2c/SALE-CHOSEN-1", sid: sid)
        #expect(later.status == 410)
        #expect(try qty(server, a.lot) == 10 * 10_000, "a third DELETE puts nothing back twice")

        let listed = try await server.call("GET", "/b2c", sid: sid)
        #expect(listed.list?.map { $0["id"] as? String } == ["SALE-CHOSEN-1"])
        await server.stop()
    }

    @Test func saleOpenedWithItsLinesAndAnOpenSaleCanceled() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        let opened = try await server.call("POST", "/b2c", sid: a.sid, json: [
            "inventory_id": a.lot.id, "unit_count": "1", "unit_price": 20,
            "item_list": [["inventory": ["id": a.lot.id], "qty": 2]],
        ])
        #expect(opened.status == 201, "\(opened.text)")
        let id = try #require(opened.data?["id"] as? String)
        #expect((opened.data?["item_list"] as? [[String: Any]])?.map { $0["unit_count"] as? String } == ["1.0000", "2.0000"])
        #expect(opened.data?["subtotal"] as? String == "90.0000")

        let canceled = try await server.call("DELETE", "/b2c/\(id)", sid: a.sid)
        #expect(canceled.status == 200, "\(canceled.text)")
        #expect(canceled.data?["stat"] as? Int == 410)
        #expect(try qty(server, a.lot) == 10 * 10_000)
        #expect(try await server.call("DELETE", "/b2c/\(id)", sid: a.sid).status == 410, "canceled already")

        // A PHP-style form with a list of lines reaches the same handler.
        let lot = a.lot.id
        let form = try await server.form("POST", "/b2c", sid: a.sid, "id=FORM-1&item_list%5B0%5D%5Binventory_id%5D=\(lot)&item_list%5B0%5D%5Bunit_count%5D=1"
                                         + "&item_list%5B1%5D%5Binventory%5D%5Bid%5D=\(lot)&item_list%5B1%5D%5Bunit_count%5D=2&item_list%5B1%5D%5Bunit_price%5D=10")
        #expect(form.status == 201, "\(form.text)")
        #expect(form.data?["id"] as? String == "FORM-1")
        #expect(form.data?["subtotal"] as? String == "55.0000")
        let head = try await server.raw("HEAD", "/b2c/FORM-1", sid: a.sid, body: nil, contentType: nil)
        #expect(head.status == 200)
        #expect(try await server.raw("HEAD", "/b2c/NO-SUCH", sid: a.sid, body: nil, contentType: nil).status == 404)

        let empty = try await server.call("POST", "/b2c", sid: a.sid)
        let emptyID = try #require(empty.data?["id"] as? String)
        #expect(empty.status == 201)
        let dropped = try await server.call("DELETE", "/b2c/\(emptyID)", sid: a.sid)
        #expect(dropped.status == 200)
        #expect(dropped.json?["data"] is NSNull)
        #expect(try await server.call("GET", "/b2c/\(emptyID)", sid: a.sid).status == 404, "an empty open sale leaves nothing")
        await server.stop()
    }

    /// Two clients committing one sale at once: the store's transaction lets one through.
    @Test func concurrentCommitsSellOnce() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        let opened = try await server.call("POST", "/b2c", sid: a.sid, json: ["id": "RACE-1", "inventory_id": a.lot.id, "unit_count": 7])
        #expect(opened.status == 201, "\(opened.text)")
        let other = try await server.session(a.party)
        async let first = server.call("POST", "/b2c/RACE-1/commit", sid: a.sid)
        async let second = server.call("POST", "/b2c/RACE-1/commit", sid: other)
        let statuses = try await [first.status, second.status].sorted()
        #expect(statuses == [200, 409], "\(statuses)")
        #expect(try qty(server, a.lot) == 3 * 10_000, "the lot went down once")
        await server.stop()
    }

    @Test func anotherLicensesSaleAndLotAreNotFound() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        let b = try await shop(server, "Beta")
        let opened = try await server.call("POST", "/b2c", sid: a.sid, json: ["inventory_id": a.lot.id])
        let id = try #require(opened.data?["id"] as? String)

        for (method, path, body) in [("GET", "/b2c/\(id)", nil), ("POST", "/b2c/\(id)/item", ["inventory_id": b.lot.id]),
                                     ("POST", "/b2c/\(id)", ["inventory_id": b.lot.id]), ("POST", "/b2c/\(id)/commit", nil),
                                     ("DELETE", "/b2c/\(id)", nil)] as [(String, String, [String: Any]?)] {
            let reply = try await server.call(method, path, sid: b.sid, json: body)
            #expect(reply.status == 404, "\(method) \(path) as another license: \(reply.status) \(reply.text)")
            #expect(reply.json?["data"] is NSNull)
        }
        #expect(try await server.call("GET", "/b2c", sid: b.sid).list?.isEmpty == true)
        #expect(try server.store.apiSale(id: id, license: a.party.license.id)?.sale.stat == 100, "A's sale is untouched")

        // B cannot sell A's lot: 403 naming the field (as inventory's sources), and no sale is left behind.
        let stolen = try await server.call("POST", "/b2c", sid: b.sid, json: ["inventory_id": a.lot.id, "unit_count": 1])
        #expect(stolen.status == 403)
        #expect(stolen.note.contains("'inventory_id'"), "\(stolen.note)")
        #expect(try server.store.apiSales(license: b.party.license.id, limit: 10, offset: 0).isEmpty)
        await server.stop()
    }

    @Test func badBodiesAreRefusedNamingTheFieldAndWriteNothing() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        let opened = try await server.call("POST", "/b2c", sid: a.sid, json: ["id": "S-1"])
        #expect(opened.status == 201)

        let cases: [(json: [String: Any], status: Int, field: String)] = [
            ([:], 400, "'inventory_id'"),
            (["inventory_id": ["x", "y"]], 400, "'inventory_id'"),
            (["inventory_id": "NO-SUCH-LOT"], 403, "'inventory_id'"),
            (["inventory_id": a.lot.id, "unit_count": "abc"], 400, "'unit_count'"),
            (["inventory_id": a.lot.id, "unit_count": ["n": 1]], 400, "'unit_count'"),
            (["inventory_id": a.lot.id, "unit_count": 0], 400, "'unit_count'"),
            (["inventory_id": a.lot.id, "unit_count": "1.5"], 400, "'unit_count'"),
            (["inventory_id": a.lot.id, "unit_price": "-3"], 400, "'unit_price'"),
            (["inventory_id": a.lot.id, "unit_price": true], 400, "'unit_price'"),
            (["inventory_id": a.lot.id, "unit_count": 11], 409, "holds"),
        ]
        for (json, status, field) in cases {
            let reply = try await server.call("POST", "/b2c/S-1/item", sid: a.sid, json: json)
            #expect(reply.status == status, "\(json): \(reply.status) \(reply.text)")
            #expect(reply.note.contains(field), "\(json): note '\(reply.note)' should name \(field)")
            #expect(reply.json?["data"] is NSNull)
        }
        let notJSON = try await server.raw("POST", "/b2c/S-1/item", sid: a.sid, body: Data("{inventory_id".utf8), contentType: "application/json")
        #expect(notJSON.status == 400)

        let opens: [(json: [String: Any], status: Int, field: String)] = [
            // S-1 is open without a contact: the same id with one is another sale (a replay of the same open is 200).
            (["id": "S-1", "contact": a.party.contact.id], 409, "S-1"),
            (["id": "has space"], 400, "'id'"),
            (["id": "a/b"], 400, "'id'"),
            (["id": String(repeating: "A", count: 65)], 400, "'id'"),
            (["id": ["a"]], 400, "'id'"),
            (["contact": "NO-SUCH-CONTACT"], 404, "'contact'"),
            (["item_list": "lines"], 400, "'item_list'"),
            (["item_list": [["inventory_id": a.lot.id], ["inventory_id": a.lot.id, "unit_count": "x"]]], 400, "'item_list[1].unit_count'"),
            (["item_list": [["inventory_id": a.lot.id], ["inventory_id": a.lot.id, "unit_count": 10]]], 409, "item_list[1]"),
            (["inventory_id": a.lot.id, "unit_count": 3, "item_list": [["inventory_id": a.lot.id, "unit_price": "x"]]], 400, "'item_list[0].unit_price'"),
            (["inventory_id": a.lot.id, "unit_count": 3, "item_list": [["inventory_id": "NO-SUCH-LOT"]]], 403, "'item_list[0].inventory_id'"),
            (["inventory_id": "NO-SUCH-LOT", "item_list": [["inventory_id": a.lot.id]]], 403, "'inventory_id'"),
        ]
        for (json, status, field) in opens {
            let reply = try await server.call("POST", "/b2c", sid: a.sid, json: json)
            #expect(reply.status == status, "\(json): \(reply.status) \(reply.text)")
            #expect(reply.note.contains(field), "\(json): note '\(reply.note)' should name \(field)")
        }
        let sales = try server.store.apiSales(license: a.party.license.id, limit: 10, offset: 0)
        #expect(sales.map(\.sale.id) == ["S-1"], "no refused open left a sale")
        #expect(sales.first?.sale.lines.isEmpty == true, "no refused line was added")

        let emptyCommit = try await server.call("POST", "/b2c/S-1/commit", sid: a.sid)
        #expect(emptyCommit.status == 409, "\(emptyCommit.text)")
        #expect(try server.store.apiSale(id: "S-1", license: a.party.license.id)?.sale.stat == 100)
        #expect(try await server.call("GET", "/b2c?stat=abc", sid: a.sid).status == 400)
        #expect(try await server.call("GET", "/b2c?limit=0", sid: a.sid).status == 400)
        #expect(try await server.call("PUT", "/b2c/S-1", sid: a.sid).status == 405)
        await server.stop()
    }
    /// How a sale was paid, over the API: no body is cash, exact; `cash_given` works out the
    /// change; another tender's name is taken for the total. Each bad value is a 400 naming its
    /// field, and the sale stays open with nothing recorded.
    @Test func theTenderIsRecordedOnTheSale() async throws {
        let server = try await TradeTestServer()
        let a = try await shop(server, "Alpha")
        for id in ["T-CASH", "T-CARD", "T-EXACT"] {
            let opened = try await server.call("POST", "/b2c", sid: a.sid, json: ["id": id, "inventory_id": a.lot.id, "unit_count": 1])
            #expect(opened.status == 201, "\(opened.text)")
            #expect(opened.data?["tender"] is NSNull, "an open sale has no tender: \(opened.text)")
        }
        let refusals: [(json: [String: Any], field: String, says: String)] = [
            (["tender": ""], "'tender'", "is empty"),
            (["tender": "   "], "'tender'", "is empty"),
            (["tender": String(repeating: "g", count: 41)], "'tender'", "at most 40"),
            (["tender": "card\u{7}"], "'tender'", "control character"),
            (["tender": ["cash"]], "'tender'", "text"),
            (["tender": "card", "cash_given": "50"], "'cash_given'", "only for cash"),
            (["cash_given": "-5"], "'cash_given'", "not an amount"),
            (["cash_given": "12.345"], "'cash_given'", "in cents"),
            (["cash_given": 20], "'cash_given'", "cash given $20.00 is less than the total $35.00"),
        ]
        for (json, field, says) in refusals {
            let reply = try await server.call("POST", "/b2c/T-CASH/commit", sid: a.sid, json: json)
            #expect(reply.status == 400, "\(json): \(reply.status) \(reply.text)")
            #expect(reply.note.contains(field) && reply.note.contains(says), "\(json): note '\(reply.note)'")
        }
        let open = try server.store.apiSale(id: "T-CASH", license: a.party.license.id)?.sale
        #expect(open?.stat == 100 && open?.tender == nil, "a refused tender left \(String(describing: open))")
        #expect(try qty(server, a.lot) == 10 * 10_000)

        let cash = try await server.call("POST", "/b2c/T-CASH/commit", sid: a.sid, json: ["tender": "CASH", "cash_given": "$50.00"])
        #expect(cash.status == 200, "\(cash.text)")
        let cashTender = cash.data?["tender"] as? [String: Any]
        #expect(cashTender?["kind"] as? String == "cash" && cashTender?["given"] as? String == "50.0000"
                && cashTender?["change"] as? String == "15.0000", "\(cash.text)")
        let card = try await server.call("POST", "/b2c/T-CARD/commit", sid: a.sid, json: ["tender": "card"])
        let cardTender = card.data?["tender"] as? [String: Any]
        #expect(card.status == 200 && cardTender?["kind"] as? String == "card" && cardTender?["given"] as? String == "35.0000"
                && cardTender?["change"] as? String == "0.0000", "\(card.text)")
        let exact = try await server.call("POST", "/b2c/T-EXACT/commit", sid: a.sid)
        let exactTender = exact.data?["tender"] as? [String: Any]
        #expect(exact.status == 200 && exactTender?["kind"] as? String == "cash" && exactTender?["given"] as? String == "35.0000"
                && exactTender?["change"] as? String == "0.0000", "\(exact.text)")
        // The read gives what was recorded.
        let read = try await server.call("GET", "/b2c/T-CASH", sid: a.sid)
        #expect((read.data?["tender"] as? [String: Any])?["change"] as? String == "15.0000", "\(read.text)")
        await server.stop()
    }
}
