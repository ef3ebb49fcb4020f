import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

/// A transfer made on the upstream for one of the box's licenses comes down to the box's dock by itself, is
/// counted in with a dock scan and accepted there, and the acceptance goes back up: the upstream's transfer is
/// accepted with the lot the box made, under the box's id, in the box's section, at what the box counted.
@Suite(.serialized, .timeLimit(.minutes(6))) struct UpstreamManifestPullTests {
    let trade = UpstreamTradeSyncTests()
    var sync: UpstreamSyncTests { trade.sync }

    @Test func aManifestOnTheUpstreamIsPulledScannedInAndItsAcceptanceGoesUp() async throws {
        try await offPool {
            let pair = try trade.setUp()
            // Head office ships from its own grower license to the upstream's "Shop Two" (the box's R-2).
            let company = try sync.rows(pair.up, "SELECT id FROM company WHERE name = 'Head Office Inc'").first ?? ""
            let grower = try pair.up.lotbox("license", "add", "Head Grower", "--code", "HG-1", "--type", "grower", "--company", company)
            try #require(grower.status == 0, "\(grower.err)")
            let product = try pair.up.lotbox("product", "add", "Blue Dream", "--type", "Flower/Dry", "--license", "HG-1")
            let vault = try pair.up.lotbox("section", "add", "HQ Vault", "--license", "HG-1")
            try #require(product.status == 0 && vault.status == 0, "\(product.err) \(vault.err)")
            let lot = try pair.up.lotbox("lot", "create", "--license", "HG-1", "--product", product.line, "--qty", "2000 g", "--section", vault.line)
            try #require(lot.status == 0, "\(lot.err)")
            let upStore = try LotStore(path: pair.up.db)
            let shipped = try upStore.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-900002", name: "From HQ"),
                                                             license: grower.line, actor: "hq")
            _ = try upStore.addOutgoingItem(transfer: shipped.id, license: grower.line, lot: lot.line, qty: "500 g", actor: "hq")
            _ = try upStore.commitOutgoingTransfer(shipped.id, license: grower.line, actor: "hq")

            // The box: its own product of that name (the manifest's product is found by name), a dock for R-2.
            let cli = pair.box
            let mine = try cli.lotbox("product", "add", "Blue Dream", "--type", "Flower/Dry", "--license", "R-2")
            let dockSection = try cli.lotbox("section", "add", "Receiving", "--license", "R-2")
            try #require(mine.status == 0 && dockSection.status == 0, "\(mine.err) \(dockSection.err)")
            let config = try String(contentsOfFile: pair.boxConfig, encoding: .utf8)
                .replacingOccurrences(of: "templates = \"\(ServeFaultTests.templates)\"",
                                      with: "templates = \"\(ServeFaultTests.templates)\"\nscanner_directory = \"\(cli.folder)/no-udev\"")
                + "\n\n[[stations]]\nname = \"dock\"\nkind = \"dock\"\nlicense = \"R-2\"\n"
            try config.write(toFile: pair.boxConfig, atomically: true, encoding: .utf8)
            let check = try cli.lotbox("config", "check", "--config", pair.boxConfig)
            try #require(check.status == 0, "\(check.out) \(check.err)")

            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            // It comes down by itself, ready to scan.
            let deadline = Date().addingTimeInterval(60)
            var shown = try cli.lotbox("b2b", "show", shipped.id, "--json")
            while Date() < deadline, shown.status != 0 {
                usleep(250_000)
                shown = try cli.lotbox("b2b", "show", shipped.id, "--json")
            }
            try #require(shown.status == 0, "the transfer never came down: \(shown.err)\n\(box.output)")
            let atDock = try cli.json(shown)
            #expect(atDock["stat"] as? Int == 200)
            let items = try #require(atDock["item_list"] as? [[String: Any]])
            #expect(items.count == 1 && (items.first?["product"] as? [String: Any])?["id"] as? String == mine.line, "\(items)")
            // The sender's product is head office's: the box's of that name is used, and the log says so.
            #expect(box.output.contains("product(s) \(product.line) 'Blue Dream' are not in the id map"), "\(box.output)")

            // Scanned in at the dock (the sender's package: head office's lot id), 480 g weighed, accepted.
            #expect(try cli.lotbox("station", "open", "dock", shipped.id, "--config", pair.boxConfig).status == 0)
            #expect(try cli.lotbox("station", "scan", "dock", "LOTBOX:QTY:480g", "--config", pair.boxConfig).status == 0)
            let counted = try cli.lotbox("station", "scan", "dock", lot.line, "--config", pair.boxConfig)
            #expect(counted.status == 0, "\(counted.out) \(counted.err)")
            let accepted = try cli.lotbox("b2b", "accept", shipped.id, "--section", dockSection.line, "--json")
            try #require(accepted.status == 0, "\(accepted.err)")
            let made = try #require((try cli.json(accepted)["lots"] as? [[String: Any]])?.first?["lot"] as? String, "\(accepted.out)")

            let drained = try sync.waitDrained(pair, seconds: 60)
            let now = try sync.status(pair)
            #expect(drained, "\(now)\n\(box.output)")
            // The acceptance is on the upstream: the same lot id, section, quantities and state; the transfer accepted.
            let received = "SELECT id, section_id, qty, qty_initial, stat FROM inventory WHERE id = '\(made)'"
            #expect(try sync.rows(pair.up, received) == sync.rows(cli, received) && sync.rows(cli, received).count == 1)
            #expect(try sync.rows(pair.up, "SELECT stat, inventory_id, qty_received FROM b2b_incoming_item WHERE b2b_incoming_id = '\(shipped.id)'")
                    == ["307|\(made)|4800000"])
            #expect(try sync.rows(pair.up, "SELECT stat FROM b2b_incoming WHERE id = '\(shipped.id)'") == ["307"])
            // Not brought down twice.
            #expect(try sync.rows(cli, "SELECT count(*) FROM b2b_incoming") == ["1"])

            // The lot is the shop's product here and head office's there (a receipt of the sender's product),
            // and the acceptance paired the two.
            #expect(try sync.rows(cli, "SELECT product_id FROM inventory WHERE id = '\(made)'") == [mine.line])
            #expect(try sync.rows(pair.up, "SELECT product_id FROM inventory WHERE id = '\(made)'") == [product.line])
            #expect(try sync.rows(cli, "SELECT local_id, upstream_id FROM outbox_id_map WHERE kind LIKE 'received_product:%'")
                    == ["\(mine.line)|\(product.line)"])
            // So the next manifest of that product comes down as the shop's product, though the shop renamed it
            // since (no name matches any more) and nothing is matched by name.
            #expect(try cli.lotbox("product", "set", mine.line, "--name", "House Blue Dream").status == 0)
            let second = try upStore.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: "R-900002", name: "From HQ again"),
                                                            license: grower.line, actor: "hq")
            _ = try upStore.addOutgoingItem(transfer: second.id, license: grower.line, lot: lot.line, qty: "100 g", actor: "hq")
            _ = try upStore.commitOutgoingTransfer(second.id, license: grower.line, actor: "hq")
            let again = Date().addingTimeInterval(60)
            var next = try cli.lotbox("b2b", "show", second.id, "--json")
            while Date() < again, next.status != 0 {
                usleep(250_000)
                next = try cli.lotbox("b2b", "show", second.id, "--json")
            }
            try #require(next.status == 0, "the second transfer never came down: \(next.err)\n\(box.output)")
            let nextItems = try #require(try cli.json(next)["item_list"] as? [[String: Any]])
            #expect(nextItems.count == 1 && (nextItems.first?["product"] as? [String: Any])?["id"] as? String == mine.line, "\(nextItems)")
            #expect(!box.output.contains("transfer \(second.id) from the upstream: product(s)"), "\(box.output)")
        }
    }

    /// A paper manifest typed in on the upstream through its API (head office's software, as the box's shop there:
    /// `POST /b2b` from a partner, its lines naming the shop's products, the commit to the dock) has no manifest
    /// file: the box reads it from the upstream's JSON, the partner from the directory and each product's name and
    /// unit from the upstream. It comes down, is scanned in at the dock and accepted, and the acceptance shows on
    /// the upstream.
    @Test func aManifestTypedInOnTheUpstreamComesDownFromItsJSON() async throws {
        try await offPool {
            let pair = try trade.setUp()
            let cli = pair.box
            let flower = try cli.lotbox("product", "add", "Blue Dream", "--type", "Flower/Dry", "--license", "R-2")
            let gummies = try cli.lotbox("product", "add", "Eighths", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                         "--license", "R-2")
            let dockSection = try cli.lotbox("section", "add", "Receiving", "--license", "R-2")
            try #require(flower.status == 0 && gummies.status == 0 && dockSection.status == 0, "\(flower.err) \(gummies.err) \(dockSection.err)")
            let config = try String(contentsOfFile: pair.boxConfig, encoding: .utf8)
                .replacingOccurrences(of: "templates = \"\(ServeFaultTests.templates)\"",
                                      with: "templates = \"\(ServeFaultTests.templates)\"\nscanner_directory = \"\(cli.folder)/no-udev\"")
                + "\n\n[[stations]]\nname = \"dock\"\nkind = \"dock\"\nlicense = \"R-2\"\n"
            try config.write(toFile: pair.boxConfig, atomically: true, encoding: .utf8)
            let check = try cli.lotbox("config", "check", "--config", pair.boxConfig)
            try #require(check.status == 0, "\(check.out) \(check.err)")

            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            // The shop's products reach the upstream under the box's ids first.
            let productsUp = try sync.waitDrained(pair, seconds: 60)
            let before = try sync.status(pair)
            try #require(productsUp, "\(before)\n\(box.output)")

            // Head office types in a paper manifest from a partner farm, as the box's shop on the upstream.
            let farm = try pair.up.lotbox("license", "add", "Valley Farm", "--code", "VF-9", "--type", "grower")
            try #require(farm.status == 0, "\(farm.err)")
            let transfer = "PAPER-VF-1"
            let typed = try asTheShopUpstream(pair, [
                ["POST", "/b2b", ["id": transfer, "license_id_source": farm.line, "name": "Valley paper manifest"]],
                ["POST", "/b2b/incoming/\(transfer)/item", ["id": "\(transfer)-A", "product": flower.line, "qty": "250",
                                                           "inventory_id": "1A4FF0100000022000000101", "unit_price": "2.5"]],
                ["POST", "/b2b/incoming/\(transfer)/item", ["id": "\(transfer)-B", "product": gummies.line, "qty": "20",
                                                           "inventory_id": "1A4FF0100000022000000102"]],
                ["POST", "/b2b/incoming/\(transfer)/commit", NSNull()],
            ])
            try #require(typed.status == 0, "typing the manifest in on the upstream: \(typed.out) \(typed.err)")
            #expect(try sync.rows(pair.up, "SELECT stat FROM b2b_incoming WHERE id = '\(transfer)'") == ["200"])
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM b2b_outgoing WHERE id = '\(transfer)'") == ["0"], "it has no sender's side")

            // It comes down by itself, ready to scan: the upstream's ids, the farm, the shop's own products.
            let deadline = Date().addingTimeInterval(60)
            var shown = try cli.lotbox("b2b", "show", transfer, "--json")
            while Date() < deadline, shown.status != 0 {
                usleep(250_000)
                shown = try cli.lotbox("b2b", "show", transfer, "--json")
            }
            try #require(shown.status == 0, "the typed-in transfer never came down: \(shown.err)\n\(box.output)")
            let lines = "SELECT id, origin_inventory_id, product_id, qty, unit_price, stat FROM b2b_incoming_item WHERE b2b_incoming_id = '\(transfer)' ORDER BY id"
            let linesHere = try sync.rows(cli, lines), linesThere = try sync.rows(pair.up, lines)
            #expect(linesHere == linesThere && linesHere.count == 2, "box: \(linesHere)\nupstream: \(linesThere)")
            #expect(try sync.rows(cli, "SELECT name, code FROM license WHERE id = '\(farm.line)'") == ["Valley Farm|VF-9"])

            // Scanned in at the dock (245 g of the flower weighed), accepted.
            #expect(try cli.lotbox("station", "open", "dock", transfer, "--config", pair.boxConfig).status == 0)
            #expect(try cli.lotbox("station", "scan", "dock", "LOTBOX:QTY:245g", "--config", pair.boxConfig).status == 0)
            let counted = try cli.lotbox("station", "scan", "dock", "1A4FF0100000022000000101", "--config", pair.boxConfig)
            #expect(counted.status == 0, "\(counted.out) \(counted.err)")
            let accepted = try cli.lotbox("b2b", "accept", transfer, "--all", "--section", dockSection.line, "--json")
            try #require(accepted.status == 0, "\(accepted.err)")

            let drained = try sync.waitDrained(pair, seconds: 60)
            let now = try sync.status(pair)
            #expect(drained, "\(now)\n\(box.output)")
            // The acceptance is on the upstream: each item names the box's lot, at what the dock counted; the lots
            // are there with the same product, section, quantities and state.
            let items = "SELECT id, stat, inventory_id, qty_received FROM b2b_incoming_item WHERE b2b_incoming_id = '\(transfer)' ORDER BY id"
            let here = try sync.rows(cli, items)
            #expect(here.count == 2 && here.first?.hasSuffix("|2450000") == true, "\(here)")
            let there = try sync.rows(pair.up, items)
            #expect(there == here, "upstream: \(there)")
            let lots = """
                SELECT id, product_id, section_id, qty, qty_initial, stat FROM inventory
                 WHERE id IN (SELECT inventory_id FROM b2b_incoming_item WHERE b2b_incoming_id = '\(transfer)') ORDER BY id
                """
            let lotsHere = try sync.rows(cli, lots), lotsThere = try sync.rows(pair.up, lots)
            #expect(lotsHere.count == 2 && lotsThere == lotsHere, "box: \(lotsHere)\nupstream: \(lotsThere)")
            #expect(try sync.rows(pair.up, "SELECT stat FROM b2b_incoming WHERE id = '\(transfer)'") == ["307"])
            #expect(try sync.rows(cli, "SELECT count(*) FROM b2b_incoming") == ["1"], "brought down once")
        }
    }
    /// Sends `calls` ([method, path, body]) to the upstream's API as the box's shop (R-2 there), through
    /// Tests/Support/upstream_calls.py with the box's own client key.
    func asTheShopUpstream(_ pair: UpstreamSyncTests.Pair, _ calls: [[Any]]) throws -> (status: Int32, out: String, err: String) {
        let config = try String(contentsOfFile: pair.boxConfig, encoding: .utf8)
        let shop = try sync.rows(pair.up, "SELECT id FROM license WHERE code = 'R-900002'").first ?? ""
        let company = try sync.rows(pair.up, "SELECT id FROM company WHERE name = 'Head Office Inc'").first ?? ""
        let contact = try sync.rows(pair.up, "SELECT id FROM contact WHERE name = 'Shop One Box'").first ?? ""
        let serverKey = try #require(config.split(separator: "\n").first { $0.hasPrefix("server_public_key") }?
            .split(separator: "\"").dropFirst().first.map(String.init), "no server_public_key in \(config)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/upstream_calls.py").path
        let input = String(decoding: try JSONSerialization.data(withJSONObject: calls), as: UTF8.self)
        return try runProgram(RealDecoder.python, [script, "http://127.0.0.1:\(pair.port)", serverKey, pair.box.folder + "/upstream.key",
                                                    "shop-1", company, shop, contact], input: input, deadline: 60)
    }

    /// A pulled transfer's product is the box's through the id map when the map has it (an upstream that chose
    /// its own ids), whatever its name there; a product neither mapped nor the box's own is found by name, and
    /// the log says so.
    @Test func aPulledTransfersProductsAreMappedByIDBeforeName() async throws {
        try await offPool {
            let pair = try trade.setUp()
            let cli = pair.box
            let bagged = try cli.lotbox("product", "add", "Eighths", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                        "--license", "R-2")
            let flower = try cli.lotbox("product", "add", "Blue Dream", "--type", "Flower/Dry", "--license", "R-2")
            try #require(bagged.status == 0 && flower.status == 0, "\(bagged.err) \(flower.err)")
            // The upstream's own products for the shop: one the box's map knows (under another name), one it does not.
            let theirs = try pair.up.lotbox("product", "add", "HQ Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                            "--license", "R-900002")
            let theirFlower = try pair.up.lotbox("product", "add", "Blue Dream", "--type", "Flower/Dry", "--license", "R-900002")
            let farm = try pair.up.lotbox("license", "add", "Valley Farm", "--code", "VF-9", "--type", "grower")
            try #require(theirs.status == 0 && theirFlower.status == 0 && farm.status == 0, "\(theirs.err) \(theirFlower.err) \(farm.err)")
            let mapped = try cli.runProgram("/usr/bin/sqlite3", [cli.db, """
                INSERT INTO outbox_id_map (kind, local_id, upstream_id) VALUES ('product', '\(bagged.line)', '\(theirs.line)')
                """])
            try #require(mapped.status == 0, "\(mapped.err)")

            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let transfer = "PAPER-MAP-1"
            let typed = try asTheShopUpstream(pair, [
                ["POST", "/b2b", ["id": transfer, "license_id_source": farm.line, "name": "Mapped"]],
                ["POST", "/b2b/incoming/\(transfer)/item", ["id": "\(transfer)-A", "product": theirs.line, "qty": "12",
                                                           "inventory_id": "1A4FF0100000022000000201"]],
                ["POST", "/b2b/incoming/\(transfer)/item", ["id": "\(transfer)-B", "product": theirFlower.line, "qty": "100",
                                                           "inventory_id": "1A4FF0100000022000000202"]],
                ["POST", "/b2b/incoming/\(transfer)/commit", NSNull()],
            ])
            try #require(typed.status == 0, "typing the manifest in on the upstream: \(typed.out) \(typed.err)")
            let deadline = Date().addingTimeInterval(60)
            var shown = try cli.lotbox("b2b", "show", transfer, "--json")
            while Date() < deadline, shown.status != 0 {
                usleep(250_000)
                shown = try cli.lotbox("b2b", "show", transfer, "--json")
            }
            try #require(shown.status == 0, "the transfer never came down: \(shown.err)\n\(box.output)")
            let products = try sync.rows(cli, "SELECT id || '=' || product_id FROM b2b_incoming_item WHERE b2b_incoming_id = '\(transfer)' ORDER BY id")
            #expect(products == ["\(transfer)-A=\(bagged.line)", "\(transfer)-B=\(flower.line)"], "\(products)")
            let said = box.output.split(separator: "\n").filter { $0.contains("not in the id map") }
            #expect(said.count == 1 && said.first?.contains(theirFlower.line) == true && said.first?.contains(theirs.line) == false,
                    "\(said)\n\(box.output)")
        }
    }
}
