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
        }
    }
}
