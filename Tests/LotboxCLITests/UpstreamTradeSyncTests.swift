import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Sales, transfers and lab results going up through the outbox, end to end: the box (`lotbox serve` with
/// `[upstream]`, its store changed by the CLI and by the store's own operations, as a kiosk, a dock and the
/// API change it) and its upstream (a second real `lotbox serve`). Two local licenses, both mapped: a grower
/// (G-1) and a shop. Afterwards the upstream's sales, transfers, lab results and every lot's ledger
/// equal the box's, under the box's ids, with nothing twice.
@Suite(.serialized, .timeLimit(.minutes(8))) struct UpstreamTradeSyncTests {
    let sync = UpstreamSyncTests()

    /// The pair of UpstreamSyncTests with a second local license, R-2, mapped to the upstream's "Shop Two".
    func setUp() throws -> UpstreamSyncTests.Pair {
        let pair = try sync.setUp()
        let company = try sync.rows(pair.up, "SELECT id FROM company WHERE name = 'Head Office Inc'").first ?? ""
        let contact = try sync.rows(pair.up, "SELECT id FROM contact WHERE name = 'Shop One Box'").first ?? ""
        let shop = try pair.up.lotbox("license", "add", "Shop Two", "--code", "R-900002", "--type", "retail", "--company", company)
        let local = try pair.box.lotbox("license", "add", "Corner Shop", "--code", "R-2", "--type", "retail")
        try #require(shop.status == 0 && local.status == 0, "\(shop.err) \(local.err)")
        let handle = try #require(FileHandle(forWritingAtPath: pair.boxConfig))
        handle.seekToEndOfFile()
        handle.write(Data("""

            [[upstream.licenses]]
            local = "R-2"
            company_id = "\(company)"
            license_id = "\(shop.line)"
            contact_id = "\(contact)"
            """.utf8))
        try handle.close()
        let check = try pair.box.lotbox("config", "check", "--config", pair.boxConfig)
        try #require(check.status == 0, "config check: \(check.out) \(check.err)")
        return pair
    }

    /// The box's trade as the upstream must hold it: rows of both stores, compared as text.
    static let tradeQueries = [
        // A sale canceled while open sold nothing and never goes up.
        "SELECT id, stat FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL ORDER BY id",
        """
        SELECT id, b2c_sale_id, inventory_id, unit_count, unit_price FROM b2c_sale_item
         WHERE b2c_sale_id IN (SELECT id FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL) ORDER BY id
        """,
        "SELECT id, stat, name FROM b2b_outgoing ORDER BY id",
        "SELECT id, b2b_outgoing_id, inventory_id, qty, unit_price, stat FROM b2b_outgoing_item ORDER BY id",
        "SELECT id, stat FROM b2b_incoming ORDER BY id",
        "SELECT id, b2b_incoming_id, origin_inventory_id, product_id, qty, qty_received, inventory_id, stat FROM b2b_incoming_item ORDER BY id",
        "SELECT id, license_id, certificate FROM lab_result ORDER BY id",
        "SELECT lab_result_id, inventory_id FROM lab_result_inventory ORDER BY lab_result_id, inventory_id",
        "SELECT lab_result_id, lab_metric_id, qom, uom, status FROM lab_result_metric ORDER BY lab_result_id, lab_metric_id",
        "SELECT inventory_id, delta, reason_code FROM inventory_adjust ORDER BY inventory_id, id",
    ]

    func expectSameTrade(_ pair: UpstreamSyncTests.Pair, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try sync.expectSameObjects(pair, sourceLocation: sourceLocation)
        for query in Self.tradeQueries {
            let here = try sync.rows(pair.box, query), there = try sync.rows(pair.up, query)
            #expect(!here.isEmpty, "\(query)", sourceLocation: sourceLocation)
            #expect(here == there, "\(query)\nbox:      \(here)\nupstream: \(there)", sourceLocation: sourceLocation)
        }
    }

    /// What the box makes: a transfer from the grower to the shop (committed, then accepted at the dock), a paper
    /// manifest from a partner (one package counted and accepted, the other later), sales (one committed, one
    /// committed and voided, one canceled while open), a lab result, and adjusts around them.
    struct Trade {
        var sales: [String] = []
        var canceled = ""
        var transfer = ""
        var manifest = ""
    }

    func trade(_ pair: UpstreamSyncTests.Pair, sales count: Int = 2, tag: String = "A") throws -> Trade {
        let cli = pair.box
        let store = try LotStore(path: cli.db)
        let grower = try store.licenseID(named: "G-1"), shop = try store.licenseID(named: "R-2")
        let vault = try cli.lotbox("section", "add", "Vault \(tag)", "--license", "G-1")
        let shelf = try cli.lotbox("section", "add", "Shelf \(tag)", "--license", "R-2")
        let flower = try cli.lotbox("product", "add", "Flower \(tag)", "--type", "Flower/Dry", "--price", "10", "--license", "G-1")
        let eighth = try cli.lotbox("product", "add", "Eighth \(tag)", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                    "--price", "35", "--license", "R-2")
        for made in [vault, shelf, flower, eighth] { try #require(made.status == 0, "\(made.err)") }
        let bulk = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "1000 g", "--section", vault.line)
        try #require(bulk.status == 0, "\(bulk.err)")

        // Grower → shop on this box: committed by the grower, accepted at the shop's dock.
        var made = Trade()
        let outgoing = try store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: shop, name: "Weekly \(tag)"), license: grower, actor: "grower")
        _ = try store.addOutgoingItem(transfer: outgoing.id, license: grower, lot: bulk.line, qty: "800 g", unitPrice: "2.6455", actor: "grower")
        _ = try store.addOutgoingItem(transfer: outgoing.id, license: grower, lot: bulk.line, qty: "100 g", actor: "grower")
        _ = try store.commitOutgoingTransfer(outgoing.id, license: grower, actor: "grower")
        made.transfer = outgoing.id
        #expect(try cli.lotbox("lot", "adjust", bulk.line, "--by", "-5 g", "--reason", "waste", "--note", "after the transfer").status == 0)
        let accepted = try cli.lotbox("b2b", "accept", outgoing.id, "--all", "--section", shelf.line, "--json")
        try #require(accepted.status == 0, "\(accepted.err)")
        let received = try #require((try cli.json(accepted)["lots"] as? [[String: Any]])?.compactMap { $0["lot"] as? String }, "\(accepted.out)")
        try #require(received.count == 2)

        // A paper manifest from a partner the upstream has never heard of: one package counted and accepted, the
        // other accepted later (a partial acceptance first).
        let partner = try cli.lotbox("license", "add", "Partner Farm \(tag)", "--code", "P-77\(tag)", "--type", "grower")
        try #require(partner.status == 0, "\(partner.err)")
        let manifest = try cli.lotbox("b2b", "create", "--from", partner.line, "--to", "R-2", "--item", "PKG-\(tag)-1,\(eighth.line),160",
                                      "--item", "PKG-\(tag)-2,\(eighth.line),140", "--name", "Partner \(tag)")
        try #require(manifest.status == 0, "\(manifest.err)")
        made.manifest = manifest.line
        _ = try store.receive(transfer: manifest.line, packageIDs: ["PKG-\(tag)-1"], unitCode: nil, quantity: "158", scanLogID: nil, station: nil, actor: "dock")
        _ = try store.acceptTransfer(manifest.line, sectionKey: shelf.line, actor: "dock")
        #expect(try cli.lotbox("b2b", "accept", manifest.line, "--all", "--section", shelf.line).status == 0)
        let packaged = try sync.rows(cli, "SELECT inventory_id FROM b2b_incoming_item WHERE b2b_incoming_id = '\(manifest.line)' ORDER BY id")

        // A lab result, by a lab the upstream does not know, on lots of both licenses: the received bulk lot (the
        // shop's) and what is left of the grower's lot it came from. It goes up once per license.
        let lab = try cli.lotbox("lab", "add", "--lab", "Evergreen \(tag)", "--sampled", "2026-11-20", "--lot", received[0], "--lot", bulk.line, "--thc", "0.5%",
                                 "--thca", "24.1%", "--cbd", "ND", "--panel", "pesticides=pass", "--coa", "https://lab.example/coa/\(tag)")
        try #require(lab.status == 0, "\(lab.err)")

        // Sales at the shop: by weight from the received bulk lot and by the unit from the manifest's packages.
        for index in 0..<count {
            let sale = try store.openSale(license: shop, station: "till", employee: "ana", actor: "kiosk")
            try store.recordAgeCheck(sale: sale, outcome: "passed", actor: "kiosk")
            _ = try store.addToSale(sale, lot: received[0], quantity: "3.5 g", limit: nil, actor: "kiosk")
            _ = try store.addToSale(sale, lot: packaged[index % packaged.count], quantity: nil, limit: nil, actor: "kiosk")
            _ = try store.commitSale(sale, taxes: [], receipt: nil, actor: "kiosk")
            made.sales.append(sale)
        }
        // A sale voided in OpenTHC's two steps, and one canceled while open (never sold: it never goes up).
        _ = try store.voidSale(made.sales[0], actor: "manager")
        _ = try store.voidSale(made.sales[0], actor: "manager")
        made.canceled = try store.openSale(license: shop, station: "till", employee: "ana", actor: "kiosk")
        _ = try store.addToSale(made.canceled, lot: packaged[0], quantity: nil, limit: nil, actor: "kiosk")
        try store.cancelSale(made.canceled, actor: "kiosk")
        #expect(try cli.lotbox("lot", "adjust", received[0], "--by", "-1 g", "--reason", "audit", "--note", "after the sales").status == 0)
        return made
    }

    @Test func salesTransfersAndLabResultsGoUpWithTheBoxsIDs() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let made = try trade(pair)
            let drained = try sync.waitDrained(pair, seconds: 90)
            let after = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(after)\n\(box.output)")
            try expectSameTrade(pair)
            // Voided in two steps upstream too, stock back; the canceled sale never went up.
            #expect(try sync.rows(pair.up, "SELECT stat FROM b2c_sale WHERE id = '\(made.sales[0])'") == ["410"])
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM b2c_sale WHERE id = '\(made.canceled)'") == ["0"])
            // Nothing of the kiosk's customer went up: no contact, no age check, no employee or station.
            let kept = try sync.rows(pair.up, "SELECT coalesce(contact_id, '-') || ' ' || coalesce(meta, '') FROM b2c_sale")
            #expect(kept.count == 2 && kept.nonEmptyAllSatisfy { $0.hasPrefix("- ") && !$0.contains("age_check") && !$0.contains("ana") && !$0.contains("till") },
                    "\(kept)")
            // The lab result covering lots of both licenses is one result upstream too, with both lots.
            let covered = "SELECT i.license_id FROM lab_result_inventory lri JOIN inventory i ON i.id = lri.inventory_id ORDER BY 1"
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM lab_result") == ["1"])
            let licensesCovered = try sync.rows(pair.up, covered)
            #expect(licensesCovered.count == 2 && Set(licensesCovered).count == 2, "\(licensesCovered)")
            // The partner and the lab reached the upstream's directory under the box's ids.
            let partners = "SELECT id, name FROM license WHERE name LIKE 'Partner Farm%' OR name LIKE 'Evergreen%' ORDER BY id"
            #expect(try sync.rows(pair.up, partners) == sync.rows(pair.box, partners))
            // Each transfer is on the upstream's side of the license it belongs to.
            let shopID = try sync.rows(pair.up, "SELECT id FROM license WHERE code = 'R-900002'").first ?? ""
            #expect(try sync.rows(pair.up, "SELECT target_license_id FROM b2b_incoming WHERE id IN ('\(made.transfer)', '\(made.manifest)')") == [shopID, shopID])
        }
    }

    /// Sent again, nothing changes: the box SIGKILLed mid-drain (events sent but not yet recorded go again), then
    /// every sale, transfer, lab result, lot creation and trade share sent a second time on purpose.
    @Test func aReplayAfterTheBoxIsKilledMidDrainChangesNothing() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let first = try sync.startBox(pair)
            first.stop(seconds: 10)
            _ = try trade(pair, sales: 200, tag: "K")
            for round in 1...2 {
                let box = try sync.startBox(pair)
                #expect(try sync.waitForProgress(pair, more: 20, seconds: 60), "round \(round): no progress\n\(box.output)")
                sync.killNow(box)
            }
            var box = try sync.startBox(pair)
            var drained = try sync.waitDrained(pair, seconds: 120)
            var now = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(now)\n\(box.output)")
            try expectSameTrade(pair)
            box.stop(seconds: 10)
            let changes = try sync.rows(pair.up, "SELECT count(*) FROM audit_log")

            let again = """
                UPDATE outbox SET state = 'pending', sent_at = NULL WHERE kind IN ('sale', 'transfer', 'lab_result')
                   OR (kind = 'lot' AND action = 'create')
                   OR (kind = 'lot' AND action = 'adjust' AND ref IN (SELECT id FROM inventory_adjust WHERE reason_code IN ('sale', 'sale-void', 'transfer')))
                """
            _ = try pair.box.runProgram("/usr/bin/sqlite3", [pair.box.db, again])
            let resent = (try sync.status(pair)["waiting"] as? Int) ?? 0
            #expect(resent > 100, "\(resent) events to send again")
            box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            drained = try sync.waitDrained(pair, seconds: 120)
            now = try sync.status(pair)
            #expect(drained, "the replay did not drain: \(now)\n\(box.output)")
            try expectSameTrade(pair)
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM audit_log") == changes, "the replay wrote on the upstream")
        }
    }

    /// A state bridge in front of the upstream refuses lab results (403): the lab result is held, its kind with
    /// it, and everything after it (a sale from the lot it covers, an adjust) still goes up.
    @Test func anUpstreamRefusingLabResultsHoldsOnlyThem() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let bridgePort = try APIServer.freePort()
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Support/refusing_proxy.py").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script, String(bridgePort), String(pair.port), "POST /lab/result"]
            let log = pair.up.folder + "/bridge.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let output = try #require(FileHandle(forWritingAtPath: log))
            process.standardOutput = output
            process.standardError = output
            try spawnLock.withLock { try process.run() }
            let bridge = APIServer(process: process, port: bridgePort, log: log)
            defer { bridge.stop(seconds: 5) }
            try #require(bridge.waitUntilHealthy(seconds: 30), "the bridge did not start: \(bridge.output)")
            let config = try String(contentsOfFile: pair.boxConfig, encoding: .utf8)
                .replacingOccurrences(of: "http://127.0.0.1:\(pair.port)", with: "http://127.0.0.1:\(bridgePort)")
            try config.write(toFile: pair.boxConfig, atomically: true, encoding: .utf8)
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let made = try trade(pair, sales: 1, tag: "L")
            let deadline = Date().addingTimeInterval(90)
            var now = try sync.status(pair)
            // Waiting: the result's creation, held, and a cover row (v13) for each lot it covers, behind it.
            let covers = Int(try sync.rows(pair.box, "SELECT count(*) FROM lab_result_inventory").first ?? "") ?? -1
            #expect(covers >= 1)
            while Date() < deadline, !((now["held"] as? Int) == 1 && (now["waiting"] as? Int) == 1 + covers) {
                usleep(200_000)
                now = try sync.status(pair)
            }
            #expect(now["held"] as? Int == 1 && now["waiting"] as? Int == 1 + covers, "\(now)\n\(box.output)")
            let held = try #require((now["held_events"] as? [[String: Any]])?.first, "\(now)")
            #expect(held["kind"] as? String == "lab_result" && held["hold_scope"] as? String == "kind", "\(held)")
            #expect((held["reason"] as? String)?.contains("403") == true && (held["reason"] as? String)?.contains("takes no lab results") == true, "\(held)")
            // Everything but the lab result is on the upstream.
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM lab_result") == ["0"])
            #expect(try sync.rows(pair.up, "SELECT stat FROM b2c_sale WHERE id = '\(made.sales[0])'") == ["410"])
            try sync.expectSameObjects(pair)
            for query in Self.tradeQueries where !query.contains("lab_result") {
                #expect(try sync.rows(pair.box, query) == sync.rows(pair.up, query), "\(query)")
            }
        }
    }
}
