import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

/// Lab metrics, samples and results over real HTTP: a result recorded through the CLI's
/// operation, read back by the license whose lots it covers and by no other.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads, .serialized)
struct LabRouteTests {
    static let thca = "018NY6XC00LMB0JPRM2SF8F9F2"

    @Test func aResultIsRecordedForOwnLotsAndReadOnlyByThatLicense() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let other = try server.party("Other")
        let lab = try server.party("Lab", type: "lab")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: grower.license.id, productKey: flower.id, sectionKey: grower.section.id, qty: "1000 g"),
                                             actor: "test")
        let otherLot = try server.store.createLot(NewLot(licenseKey: other.license.id, productKey: flower.id, sectionKey: other.section.id, qty: "5 g"),
                                                  actor: "test")
        let sid = try await server.session(grower)
        let otherSid = try await server.session(other)

        let metrics = try await server.call("GET", "/lab/metric", sid: sid)
        #expect(metrics.status == 200)
        let metricIDs = Set(metrics.list?.compactMap { $0["id"] as? String } ?? [])
        #expect(metricIDs.contains(Self.thca) && metricIDs.contains(WellKnown.totalTHC))
        #expect(try await server.call("GET", "/lab/metric?q=terpene", sid: sid).list?.nonEmptyAllSatisfy { $0["type"] as? String == "Terpene" } == true)

        let good: [String: Any] = [
            "license": ["id": lab.license.id], "sampled_on": "2026-11-20", "inventory_list": [lot.id],
            "certificate": "https://lab.example/coa/42", "name": "COA-42",
            "metric_list": [["lab_metric_id": Self.thca, "qom": 24.1, "uom": "pct"],
                            ["name": "d9-THC", "qom": "0.5", "uom": "pct"],
                            ["name": "Myrcene", "qom": 0.8],
                            ["lab_metric": ["id": LabCatalog.panels[0].id], "status": "pass"]],
        ]

        // Each refusal names its field, and writes nothing.
        let refusals: [(String, Any?, Int, String)] = [
            ("license", nil, 400, "'license'"),
            ("license", "NO-SUCH-LAB", 404, "'license'"),
            ("sampled_on", "yesterday", 400, "'sampled_on'"),
            ("sampled_on", nil, 400, "'sampled_on'"),
            ("inventory_list", [otherLot.id], 403, "'inventory_list'"),
            ("inventory_list", [], 400, "'inventory_list'"),
            ("inventory_list", "one", 400, "'inventory_list'"),
            ("metric_list", [["lab_metric_id": "NO-SUCH-METRIC", "qom": 1]], 400, "'metric_list[0]'"),
            ("metric_list", [["lab_metric_id": Self.thca, "qom": "lots"]], 400, "'metric_list[0].qom'"),
            ("metric_list", [["lab_metric_id": Self.thca, "qom": 24, "uom": "furlongs"]], 400, "'metric_list[0].uom'"),
            ("metric_list", [["lab_metric_id": LabCatalog.panels[0].id, "status": "maybe"]], 400, "'metric_list[0].status'"),
            ("metric_list", [["qom": 1]], 400, "'metric_list[0].lab_metric_id'"),
            ("certificate", "not a link", 400, "'certificate'"),
        ]
        for (field, value, status, named) in refusals {
            var body = good
            body[field] = value
            let reply = try await server.call("POST", "/lab/result", sid: sid, json: body)
            #expect(reply.status == status, "\(field)=\(String(describing: value)): \(reply.status) \(reply.text)")
            #expect(reply.note.contains(named), "\(field): note '\(reply.note)' should name \(named)")
        }
        #expect(try server.store.labResults(license: grower.license.id).isEmpty, "no refused result was recorded")

        let created = try await server.call("POST", "/lab/result", sid: sid, json: good)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.data?["id"] as? String)
        #expect((created.data?["inventory_list"] as? [[String: Any]])?.map { $0["id"] as? String } == [lot.id])
        #expect((created.data?["license"] as? [String: Any])?["id"] as? String == lab.license.id)
        let metricsOut = created.data?["metric_list"] as? [[String: Any]] ?? []
        #expect(metricsOut.contains { ($0["lab_metric"] as? [String: Any])?["id"] as? String == Self.thca && $0["qom"] as? String == "24.1000" })
        #expect(metricsOut.contains { $0["status"] as? String == "pass" })

        // The CLI's operation ran: the lot's potency is THC + 0.877 × THCA = 0.5 + 21.1357.
        let summary = try #require(try server.store.latestLabResult(forLot: lot.id))
        #expect(summary.id == id)
        #expect(summary.thc?.description == "21.6357%")

        let read = try await server.call("GET", "/lab/result/\(id)", sid: sid)
        #expect(read.status == 200)
        #expect(read.data?["hash"] as? String == created.data?["hash"] as? String)
        #expect(try await server.call("GET", "/lab/result", sid: sid).list?.map { $0["id"] as? String } == [id])
        #expect(try await server.call("GET", "/lab/result/\(id)", sid: otherSid).status == 404)
        #expect(try await server.call("GET", "/lab/result", sid: otherSid).list?.isEmpty == true)

        let labSid = try await server.session(lab)
        let asLab = try await server.call("GET", "/lab/result/\(id)", sid: labSid)
        #expect(asLab.status == 200, "the lab reads what it issued")
        #expect((asLab.data?["inventory_list"] as? [Any])?.isEmpty == true, "but not the ids of another license's lots")

        #expect(try await server.call("GET", "/lab/sample", sid: sid).list?.isEmpty == true)
        #expect(try await server.call("GET", "/lab/sample/NO-SUCH", sid: sid).status == 404)
        await server.stop()
    }

    /// A box sends a result covering lots of two of its licenses once per license, under one id (a session
    /// writes its own lots only): the second license's share adds its lots to the same result when the
    /// certificate is the same; a replay writes nothing; other content under the id is a conflict.
    @Test func oneResultCoversLotsOfTwoLicensesEachSendingItsShare() async throws {
        let server = try await TradeTestServer()
        let grower = try server.party("Grower", type: "grower")
        let shop = try server.party("Shop")
        let third = try server.party("Third")
        let lab = try server.party("Lab", type: "lab")
        let flower = try server.store.addProduct(NewProduct(name: "Bulk Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        var lots: [String] = []
        for party in [grower, shop, third] {
            lots.append(try server.store.createLot(NewLot(licenseKey: party.license.id, productKey: flower.id, sectionKey: party.section.id,
                                                          qty: "100 g"), actor: "test").id)
        }
        let sids = [try await server.session(grower), try await server.session(shop)]
        func body(_ lot: String, thca: String = "24.1") -> [String: Any] {
            ["id": "COA-SHARED", "license": lab.license.id, "sampled_on": "2026-11-20", "inventory_list": [lot],
             "certificate": "https://lab.example/coa/7", "metric_list": [["lab_metric_id": Self.thca, "qom": thca, "uom": "pct"]]]
        }
        #expect(try await server.call("POST", "/lab/result", sid: sids[0], json: body(lots[0])).status == 201)
        let changes = try await server.call("POST", "/lab/result", sid: sids[1], json: body(lots[1], thca: "25"))
        #expect(changes.status == 409 && changes.note.contains("other content"), "\(changes.status) \(changes.text)")
        let shared = try await server.call("POST", "/lab/result", sid: sids[1], json: body(lots[1]))
        #expect(shared.status == 201, "\(shared.text)")
        #expect((shared.data?["inventory_list"] as? [[String: Any]])?.map { $0["id"] as? String } == [lots[1]], "only the shop's own lot is shown to it")
        // A replay of either share is answered 200: nothing written.
        for (sid, lot) in [(sids[0], lots[0]), (sids[1], lots[1])] {
            let again = try await server.call("POST", "/lab/result", sid: sid, json: body(lot))
            #expect(again.status == 200 && again.note.contains("nothing written"), "\(again.text)")
        }
        // The shop's share is in: the same lots of it again replay, other lots of it are a conflict.
        let more = try server.store.createLot(NewLot(licenseKey: shop.license.id, productKey: flower.id, sectionKey: shop.section.id, qty: "1 g"),
                                              actor: "test")
        #expect(try await server.call("POST", "/lab/result", sid: sids[1], json: body(more.id)).status == 409)
        let covering = try [lots[0], lots[1], lots[2], more.id].map { try server.store.latestLabResult(forLot: $0)?.id ?? "-" }
        #expect(covering == ["COA-SHARED", "COA-SHARED", "-", "-"], "\(covering)")
        await server.stop()
    }
}
