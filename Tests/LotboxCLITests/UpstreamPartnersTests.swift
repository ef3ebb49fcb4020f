import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

/// Trading partners and labs between a box and its upstream, both real `lotbox serve`s: a partner the upstream
/// already knows (the same license code; a lab without a code by its name and type) is paired with it, not
/// created twice; one it does not know is created there and its id paired. Every call naming a partner names
/// the upstream's license: an outgoing transfer's target, a paper manifest's sender, a lab result's lab; and a
/// manifest pulled down from the upstream names the box's own license for a sender it knows. Run against an
/// upstream that chooses its own ids (as cre does) and one that keeps the box's.
@Suite(.serialized, .timeLimit(.minutes(10))) struct UpstreamPartnersTests {
    let chosen = UpstreamChosenIDsTests()
    var trade: UpstreamTradeSyncTests { chosen.trade }
    var sync: UpstreamSyncTests { chosen.sync }

    /// `column` (a local license id) as the upstream's: through the id map, the configured licenses' by hand.
    static func license(_ column: String) -> String { UpstreamChosenIDsTests.mapped(column, "license") }

    @Test(arguments: [true, false]) func partnersArePairedOrCreatedOnceAndNamedByTheUpstreamsIDs(choosing: Bool) async throws {
        try await offPool {
            let pair = try trade.setUp()
            if choosing { try chosen.chooseIDs(pair) }
            let up = pair.up, cli = pair.box

            // The upstream knows a farm (code P-KNOWN) and a lab (no code), typed in there by head office; the farm
            // ships to the upstream's "Shop Two" (the box's R-2).
            let knownThere = try up.lotbox("license", "add", "Known Farm", "--code", "P-KNOWN", "--type", "grower")
            let labThere = try up.lotbox("license", "add", "Evergreen Labs", "--type", "lab")
            try #require(knownThere.status == 0 && labThere.status == 0, "\(knownThere.err) \(labThere.err)")
            let kush = try up.lotbox("product", "add", "Known Kush", "--type", "Flower/Dry", "--license", "P-KNOWN")
            try #require(kush.status == 0, "\(kush.err)")
            let theirLot = try up.lotbox("lot", "create", "--license", "P-KNOWN", "--product", kush.line, "--qty", "900 g")
            try #require(theirLot.status == 0, "\(theirLot.err)")
            // Its lot's certificate, from that lab: it travels with the package.
            let theirLab = try up.lotbox("lab", "add", "--lab", "Evergreen Labs", "--sampled", "2026-11-18", "--lot", theirLot.line, "--thc", "0.3%",
                                         "--thca", "19.9%", "--coa", "https://lab.example/coa/K1")
            try #require(theirLab.status == 0, "\(theirLab.err)")
            let fromUp = try sync.rows(up, "SELECT id FROM lab_result").first ?? "-"
            let upStore = try LotStore(path: up.db)
            let shipped = try upStore.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-900002", name: "From Known Farm"),
                                                             license: knownThere.line, actor: "farm")
            _ = try upStore.addOutgoingItem(transfer: shipped.id, license: knownThere.line, lot: theirLot.line, qty: "300 g", actor: "farm")
            _ = try upStore.commitOutgoingTransfer(shipped.id, license: knownThere.line, actor: "farm")

            // The box has the same farm and lab under its own ids, and a partner the upstream has never heard of.
            let known = try cli.lotbox("license", "add", "Known Farm", "--code", "P-KNOWN", "--type", "grower")
            let fresh = try cli.lotbox("license", "add", "New Farm", "--code", "P-NEW", "--type", "retail")
            let labLicense = try cli.lotbox("license", "add", "Evergreen Labs", "--type", "lab")
            try #require(known.status == 0 && fresh.status == 0 && labLicense.status == 0, "\(known.err) \(fresh.err) \(labLicense.err)")
            let labHere = labLicense.line
            #expect(known.line != knownThere.line)
            // The box turns its outbox on (what follows goes up as it happens), then stops a while.
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let first = try sync.startBox(pair)
            first.stop(seconds: 10)
            let vault = try cli.lotbox("section", "add", "Vault", "--license", "G-1")
            let shelf = try cli.lotbox("section", "add", "Shelf", "--license", "R-2")
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--license", "G-1")
            let mine = try cli.lotbox("product", "add", "Known Kush", "--type", "Flower/Dry", "--license", "R-2")
            for made in [vault, shelf, flower, mine] { try #require(made.status == 0, "\(made.err)") }
            let bulk = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "1000 g", "--section", vault.line)
            let shopLot = try cli.lotbox("lot", "create", "--license", "R-2", "--product", mine.line, "--qty", "200 g", "--section", shelf.line)
            try #require(bulk.status == 0 && shopLot.status == 0, "\(bulk.err) \(shopLot.err)")

            // A lab result by the lab both sides know, on lots of both local licenses (one result per license on an
            // upstream that chooses its ids); then lots that inherit it: a split of each, and a lot the shop
            // receives from the grower.
            let lab = try cli.lotbox("lab", "add", "--lab", labHere, "--sampled", "2026-11-20", "--lot", bulk.line, "--lot", shopLot.line,
                                     "--thc", "0.4%", "--thca", "22.5%", "--coa", "https://lab.example/coa/P1")
            try #require(lab.status == 0, "\(lab.err)")
            let ownResult = try sync.rows(cli, "SELECT id FROM lab_result WHERE license_id = '\(labHere)' AND id != '\(fromUp)'").first ?? "-"
            #expect(try sync.rows(cli, "SELECT count(*) FROM license WHERE name = 'Evergreen Labs'") == ["1"])
            let growerSplit = try cli.lotbox("lot", "split", bulk.line, "--qty", "50 g")
            let shopSplit = try cli.lotbox("lot", "split", shopLot.line, "--qty", "20 g")
            try #require(growerSplit.status == 0 && shopSplit.status == 0, "\(growerSplit.err) \(shopSplit.err)")
            let store = try LotStore(path: cli.db)
            let grower = try store.licenseID(named: "G-1"), shop = try store.licenseID(named: "R-2")
            let inside = try store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: shop, name: "To the shop"), license: grower, actor: "grower")
            _ = try store.addOutgoingItem(transfer: inside.id, license: grower, lot: bulk.line, qty: "100 g", actor: "grower")
            _ = try store.commitOutgoingTransfer(inside.id, license: grower, actor: "grower")
            let accepted = try cli.lotbox("b2b", "accept", inside.id, "--all", "--section", shelf.line, "--json")
            try #require(accepted.status == 0, "\(accepted.err)")
            let received = try #require((try cli.json(accepted)["lots"] as? [[String: Any]])?.first?["lot"] as? String, "\(accepted.out)")

            // Transfers to the known farm and to the new one, and a paper manifest from the known farm.
            var outgoing: [String] = []
            for (target, name) in [(known.line, "To Known Farm"), (fresh.line, "To New Farm")] {
                let transfer = try store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: target, name: name), license: grower, actor: "grower")
                _ = try store.addOutgoingItem(transfer: transfer.id, license: grower, lot: bulk.line, qty: "10 g", actor: "grower")
                _ = try store.commitOutgoingTransfer(transfer.id, license: grower, actor: "grower")
                outgoing.append(transfer.id)
            }
            let paper = try cli.lotbox("b2b", "create", "--from", known.line, "--to", "R-2", "--item", "PKG-P-1,\(mine.line),40 g", "--name", "Paper from Known")
            try #require(paper.status == 0, "\(paper.err)")
            #expect(try cli.lotbox("b2b", "accept", paper.line, "--all", "--section", shelf.line).status == 0)

            var box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            // The farm's transfer comes down, under the box's own license for the farm, its certificate by the box's own
            // license for the lab (no code: the same name); accepted at the shop.
            let deadline = Date().addingTimeInterval(60)
            var shown = try cli.lotbox("b2b", "show", shipped.id, "--json")
            while Date() < deadline, shown.status != 0 {
                usleep(250_000)
                shown = try cli.lotbox("b2b", "show", shipped.id, "--json")
            }
            try #require(shown.status == 0, "the farm's transfer never came down: \(shown.err)\n\(box.output)")
            #expect(try sync.rows(cli, "SELECT source_license_id FROM b2b_incoming WHERE id = '\(shipped.id)'") == [known.line])
            #expect(try sync.rows(cli, "SELECT license_id FROM lab_result WHERE id = '\(fromUp)'") == [labHere])
            let arrived = try cli.lotbox("b2b", "accept", shipped.id, "--all", "--section", shelf.line, "--json")
            try #require(arrived.status == 0, "\(arrived.err)")
            let fromFarm = try #require((try cli.json(arrived)["lots"] as? [[String: Any]])?.first?["lot"] as? String, "\(arrived.out)")
            var drained = try sync.waitDrained(pair, seconds: 120)
            var now = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(now)\n\(box.output)")

            // Each partner is one license upstream: the known ones paired, the new one created (under an id the
            // upstream chose, when it chooses).
            for (name, count) in [("Known Farm", "1"), ("New Farm", "1"), ("Evergreen Labs", "1")] {
                #expect(try sync.rows(up, "SELECT count(*) FROM license WHERE name = '\(name)'") == [count], "\(name)")
                #expect(try sync.rows(cli, "SELECT count(*) FROM license WHERE name = '\(name)'") == [count], "\(name) here")
            }
            let partners = [known.line, fresh.line, labHere].map { "'\($0)'" }.joined(separator: ", ")
            let pairs = try sync.rows(cli, "SELECT local_id, upstream_id FROM outbox_id_map WHERE kind = 'license' AND local_id IN (\(partners))")
            #expect(Set(pairs) == [("\(known.line)|\(knownThere.line)"), ("\(labHere)|\(labThere.line)"),
                                  "\(fresh.line)|\(try sync.rows(up, "SELECT id FROM license WHERE code = 'P-NEW'").first ?? "-")"], "\(pairs)")
            let freshThere = try sync.rows(up, "SELECT id FROM license WHERE code = 'P-NEW'")
            #expect(freshThere.count == 1 && (freshThere.first == fresh.line) == !choosing, "\(freshThere) against \(fresh.line)")
            let directory = "SELECT \(Self.license("id")), coalesce(code, ''), name, type FROM license WHERE id IN (\(partners))"
            #expect(try sync.rows(cli, directory).sorted()
                == sync.rows(up, "SELECT id, coalesce(code, ''), name, type FROM license WHERE name IN ('Known Farm', 'New Farm', 'Evergreen Labs')").sorted())

            // Every call named the upstream's license: the transfers' targets, the paper manifest's sender, the lab.
            let transferID = UpstreamChosenIDsTests.mapped("id", "transfer")
            let targets = "SELECT \(transferID), \(Self.license("target_license_id")) FROM b2b_outgoing WHERE id IN ('\(outgoing.joined(separator: "', '"))')"
            let targetsHere = try sync.rows(cli, targets)
            #expect(targetsHere.count == 2)
            #expect(try targetsHere.sorted() == sync.rows(up, "SELECT id, target_license_id FROM b2b_outgoing WHERE name LIKE 'To % Farm'").sorted())
            let paperThere = try sync.rows(cli, "SELECT \(transferID) FROM b2b_incoming WHERE id = '\(paper.line)'").first ?? ""
            #expect(try sync.rows(up, "SELECT source_license_id, stat FROM b2b_incoming WHERE id = '\(paperThere)'") == ["\(knownThere.line)|307"])
            #expect(try sync.rows(up, "SELECT DISTINCT license_id FROM lab_result") == [labThere.line])
            #expect(try sync.rows(up, "SELECT stat FROM b2b_incoming WHERE id = '\(shipped.id)'") == ["307"])

            // The lab result: one per local license upstream when it chooses its ids, each kept in the map under
            // its license; lots that inherit it name the copy of the license they inherit it from.
            let copies = try sync.rows(cli, "SELECT kind, upstream_id FROM outbox_id_map WHERE kind LIKE 'lab_result:%' AND local_id = '\(ownResult)' ORDER BY kind")
            let cameDown = try sync.rows(cli, "SELECT kind, upstream_id FROM outbox_id_map WHERE local_id = '\(fromUp)'")
            let resultThere: (String) -> String
            if choosing {
                #expect(copies.count == 2 && Set(copies.map { $0.split(separator: "|").last ?? "" }).count == 2, "\(copies)")
                #expect(try sync.rows(up, "SELECT count(*) FROM lab_result") == ["3"])
                // The farm's certificate came down under the upstream's id: it is the shop's copy there, not made again.
                #expect(cameDown == ["lab_result:\(shop)|\(fromUp)"], "\(cameDown)")
                resultThere = { license in
                    copies.first { $0.hasPrefix("lab_result:\(license)|") }.map { String($0.split(separator: "|").last ?? "") } ?? "none for \(license)"
                }
            } else {
                #expect(copies.isEmpty, "\(copies)")
                #expect(try sync.rows(up, "SELECT count(*) FROM lab_result") == ["2"])
                #expect(cameDown.isEmpty, "\(cameDown)")
                resultThere = { _ in ownResult }
            }
            let lotThere = { (lot: String) throws -> String in
                try sync.rows(cli, "SELECT \(UpstreamChosenIDsTests.mapped("id", "lot")) FROM inventory WHERE id = '\(lot)'").first ?? ""
            }
            // Covered: the two lots it was recorded for, and the lot received from the grower's (the sender's copy).
            #expect(try sync.rows(cli, "SELECT inventory_id FROM lab_result_inventory WHERE lab_result_id = '\(ownResult)'").sorted()
                == [bulk.line, shopLot.line, received].sorted())
            let expected = try [(bulk.line, grower), (shopLot.line, shop), (received, grower)].map { "\(resultThere($0.1))|\(try lotThere($0.0))" }
            let coveredThere = try sync.rows(up, "SELECT lab_result_id, inventory_id FROM lab_result_inventory WHERE lab_result_id != '\(fromUp)' ORDER BY 1, 2")
            #expect(coveredThere == expected.sorted(), "upstream: \(coveredThere)\nexpected: \(expected.sorted())")
            #expect(try sync.rows(up, "SELECT lab_result_id FROM lab_result_inventory WHERE inventory_id = '\(try lotThere(fromFarm))'") == [fromUp])
            // A split names the result of its source: the copy of the split lot's own license.
            for (lot, license) in [(growerSplit.line, grower), (shopSplit.line, shop)] {
                #expect(try sync.rows(cli, "SELECT lab_result_id FROM inventory WHERE id = '\(lot)'") == [ownResult])
                let named = try sync.rows(up, "SELECT coalesce(lab_result_id, '-') FROM inventory WHERE id = '\(try lotThere(lot))'")
                #expect(named == [resultThere(license)], "lot \(lot) of \(license): \(named) against \(resultThere(license))")
            }

            // Everything sent again writes nothing upstream.
            box.stop(seconds: 10)
            let changes = try sync.rows(up, "SELECT count(*) FROM audit_log")
            _ = try cli.runProgram("/usr/bin/sqlite3", [cli.db, "UPDATE outbox SET state = 'pending', sent_at = NULL"])
            #expect(((try sync.status(pair)["waiting"] as? Int) ?? 0) > 20)
            box = try sync.startBox(pair)
            drained = try sync.waitDrained(pair, seconds: 120)
            now = try sync.status(pair)
            #expect(drained, "the replay did not drain: \(now)\n\(box.output)")
            #expect(try sync.rows(up, "SELECT count(*) FROM audit_log") == changes, "the replay wrote on the upstream")
            #expect(try sync.rows(up, "SELECT count(*) FROM license WHERE name IN ('Known Farm', 'New Farm', 'Evergreen Labs')") == ["3"])

            // The certificate given a lot made later (`lab cover`): a lotbox that keeps ids adds it to the result; one
            // that chooses its ids cannot be given more lots for a result, so the row is held, saying so.
            let later = try cli.lotbox("lot", "create", "--license", "R-2", "--product", mine.line, "--qty", "30 g", "--section", shelf.line)
            try #require(later.status == 0, "\(later.err)")
            let cover = try cli.lotbox("lab", "cover", ownResult, "--lot", later.line)
            #expect(cover.status == 0 && cover.line == later.line, "\(cover.out) \(cover.err)")
            drained = try sync.waitDrained(pair, seconds: 120, held: choosing ? 1 : 0)
            now = try sync.status(pair)
            #expect(drained, "\(now)\n\(box.output)")
            if choosing {
                let held = (now["held_events"] as? [[String: Any]])?.first
                #expect(held?["action"] as? String == "cover" && held?["ref"] as? String == later.line
                        && (held?["reason"] as? String)?.contains("cannot be given more lots for a result") == true, "\(now)")
                #expect(try sync.rows(up, "SELECT count(*) FROM lab_result_inventory WHERE inventory_id = '\(try lotThere(later.line))'") == ["0"])
            } else {
                #expect(try sync.rows(up, "SELECT lab_result_id FROM lab_result_inventory WHERE inventory_id = '\(later.line)'") == [ownResult])
            }
        }
    }
}
