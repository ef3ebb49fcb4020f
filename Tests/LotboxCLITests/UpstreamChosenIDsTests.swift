import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox towards an upstream that chooses its own ids, as cre does: the upstream is a real `lotbox serve`
/// with `[api] client_ids = "ignore"`, the box a real `lotbox serve` with `[upstream] client_ids = "ignored"`.
/// Afterwards every object of the box is paired in its id map with an upstream object under another id, and the
/// upstream's objects equal the box's through that map, with nothing twice, even when the box was SIGKILLed right
/// after the upstream made an object and before the box recorded its id.
@Suite(.serialized, .timeLimit(.minutes(8))) struct UpstreamChosenIDsTests {
    let sync = UpstreamSyncTests()
    let trade = UpstreamTradeSyncTests()

    /// The upstream chooses its ids; the box is told so.
    func chooseIDs(_ pair: UpstreamSyncTests.Pair) throws {
        let up = try String(contentsOfFile: pair.upConfig, encoding: .utf8)
        try up.replacingOccurrences(of: "[api]\n", with: "[api]\nclient_ids = \"ignore\"\n").write(toFile: pair.upConfig, atomically: true, encoding: .utf8)
        let box = try String(contentsOfFile: pair.boxConfig, encoding: .utf8)
        try box.replacingOccurrences(of: "[upstream]\n", with: "[upstream]\nclient_ids = \"ignored\"\n")
            .write(toFile: pair.boxConfig, atomically: true, encoding: .utf8)
        for (cli, config) in [(pair.up, pair.upConfig), (pair.box, pair.boxConfig)] {
            let check = try cli.lotbox("config", "check", "--config", config)
            try #require(check.status == 0, "config check: \(check.out) \(check.err)")
        }
        #expect(try String(contentsOfFile: pair.upConfig, encoding: .utf8).contains("client_ids = \"ignore\""))
        #expect(try String(contentsOfFile: pair.boxConfig, encoding: .utf8).contains("client_ids = \"ignored\""))
    }

    /// `column` of the box's row through the id map of `kind` (the upstream's id; the box's own where the map has
    /// none: the well-known rows both stores share, a sender's package).
    static func mapped(_ column: String, _ kind: String) -> String {
        "coalesce((SELECT upstream_id FROM outbox_id_map WHERE kind = '\(kind)' AND local_id = \(column) AND upstream_id != ''), \(column), '')"
    }

    /// Pairs of queries, the box's through the map and the upstream's, whose rows must be the same (as sets).
    static let comparisons: [(box: String, up: String)] = [
        ("SELECT \(mapped("id", "section")), name, type FROM section", "SELECT id, name, type FROM section"),
        ("SELECT \(mapped("id", "variety")), name, type FROM variety", "SELECT id, name, type FROM variety"),
        ("SELECT \(mapped("id", "product")), name, type, package_type, package_unit_qom, package_unit_uom, package_pack_qom, unit_price FROM product",
         "SELECT id, name, type, package_type, package_unit_qom, package_unit_uom, package_pack_qom, unit_price FROM product"),
        ("""
         SELECT \(mapped("id", "lot")), \(mapped("product_id", "product")), \(mapped("variety_id", "variety")), \(mapped("section_id", "section")),
                qty, qty_initial, stat FROM inventory
         """, "SELECT id, product_id, coalesce(variety_id, ''), coalesce(section_id, ''), qty, qty_initial, stat FROM inventory"),
        ("SELECT \(mapped("inventory_id", "lot")), delta, reason_code FROM inventory_adjust ORDER BY inventory_id, id",
         "SELECT inventory_id, delta, reason_code FROM inventory_adjust ORDER BY inventory_id, id"),
    ]

    static let tradeComparisons: [(box: String, up: String)] = [
        ("SELECT \(mapped("id", "sale")), stat FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL", "SELECT id, stat FROM b2c_sale"),
        ("""
         SELECT \(mapped("b2c_sale_id", "sale")), \(mapped("inventory_id", "lot")), unit_count, unit_price FROM b2c_sale_item
          WHERE b2c_sale_id IN (SELECT id FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL)
         """, "SELECT b2c_sale_id, inventory_id, unit_count, unit_price FROM b2c_sale_item"),
        ("SELECT \(mapped("id", "transfer")), stat, name FROM b2b_outgoing", "SELECT id, stat, name FROM b2b_outgoing"),
        ("""
         SELECT \(mapped("id", "transfer_item")), \(mapped("b2b_outgoing_id", "transfer")), \(mapped("inventory_id", "lot")), qty, unit_price, stat
           FROM b2b_outgoing_item
         """, "SELECT id, b2b_outgoing_id, inventory_id, qty, unit_price, stat FROM b2b_outgoing_item"),
        ("SELECT \(mapped("id", "transfer")), stat FROM b2b_incoming", "SELECT id, stat FROM b2b_incoming"),
        ("""
         SELECT \(mapped("id", "transfer_item")), \(mapped("b2b_incoming_id", "transfer")), \(mapped("origin_inventory_id", "lot")),
                \(mapped("product_id", "product")), qty, qty_received, \(mapped("inventory_id", "lot")), stat FROM b2b_incoming_item
         """, "SELECT id, b2b_incoming_id, coalesce(origin_inventory_id, ''), product_id, qty, qty_received, coalesce(inventory_id, ''), stat FROM b2b_incoming_item"),
        // A result on lots of two licenses is one result per license upstream: each paired under its license.
        ("""
         SELECT m.upstream_id, \(mapped("r.license_id", "license")), r.certificate FROM outbox_id_map m JOIN lab_result r ON r.id = m.local_id
          WHERE m.kind LIKE 'lab_result:%' AND m.upstream_id != ''
         """, "SELECT id, license_id, certificate FROM lab_result"),
        ("""
         SELECT m.upstream_id, \(mapped("lri.inventory_id", "lot")) FROM outbox_id_map m
           JOIN lab_result_inventory lri ON lri.lab_result_id = m.local_id
           JOIN inventory i ON i.id = lri.inventory_id AND m.kind = 'lab_result:' || i.license_id
          WHERE m.upstream_id != ''
         """, "SELECT lab_result_id, inventory_id FROM lab_result_inventory"),
    ]

    /// The upstream's objects equal the box's through the id map, row for row (as sorted lists: a duplicate
    /// upstream is one row too many).
    func expectSameThroughTheMap(_ pair: UpstreamSyncTests.Pair, trading: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (boxQuery, upQuery) in Self.comparisons + (trading ? Self.tradeComparisons : []) {
            let ordered = boxQuery.contains("ORDER BY")
            let here = try sync.rows(pair.box, boxQuery), there = try sync.rows(pair.up, upQuery)
            let (a, b) = ordered ? (Self.groupedByLot(here), Self.groupedByLot(there)) : (here.sorted(), there.sorted())
            #expect(!here.isEmpty, "\(boxQuery)", sourceLocation: sourceLocation)
            #expect(a == b, "\(boxQuery)\nbox:      \(a)\nupstream: \(b)", sourceLocation: sourceLocation)
        }
    }

    /// Ledger rows per lot in their order, the lots sorted (the two stores' row ids differ).
    static func groupedByLot(_ rows: [String]) -> [String] {
        var byLot: [String: [String]] = [:]
        for row in rows { byLot[String(row.prefix { $0 != "|" }), default: []].append(row) }
        return byLot.keys.sorted().flatMap { byLot[$0] ?? [] }
    }

    /// Every object the box sent is paired with an upstream object under another id: the upstream chose them.
    func expectEveryObjectPaired(_ pair: UpstreamSyncTests.Pair, kinds: [(kind: String, table: String)],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (kind, table) in kinds {
            let unpaired = try sync.rows(pair.box, """
                SELECT id FROM \(table) WHERE id NOT LIKE '\(WellKnown.prefix)%'
                   AND id NOT IN (SELECT local_id FROM outbox_id_map WHERE kind = '\(kind)' AND upstream_id != '')
                """)
            #expect(unpaired.isEmpty, "\(kind)s without an upstream id: \(unpaired)", sourceLocation: sourceLocation)
            let same = try sync.rows(pair.box, "SELECT count(*) FROM outbox_id_map WHERE kind = '\(kind)' AND local_id = upstream_id")
            #expect(same == ["0"], "\(kind)s the upstream kept the box's id for: \(same)", sourceLocation: sourceLocation)
        }
    }

    @Test func everythingGoesUpUnderTheUpstreamsIDsThroughTheMap() async throws {
        try await offPool {
            let pair = try trade.setUp()
            try chooseIDs(pair)
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let cli = pair.box
            // Lots made, adjusted, split, converted, moved and voided, beside the trade.
            let vault = try cli.lotbox("section", "add", "Vault", "--license", "G-1")
            let shelf = try cli.lotbox("section", "add", "Shelf", "--license", "G-1")
            let haze = try cli.lotbox("variety", "add", "Haze", "--type", "Sativa", "--license", "G-1")
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--license", "G-1")
            let preroll = try cli.lotbox("product", "add", "Preroll", "--type", "Flower/Dry", "--license", "G-1")
            for made in [vault, shelf, haze, flower, preroll] { try #require(made.status == 0, "\(made.err)") }
            let lot = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "500 g", "--section", vault.line,
                                     "--variety", haze.line)
            let other = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "80 g")
            try #require(lot.status == 0 && other.status == 0, "\(lot.err) \(other.err)")
            #expect(try cli.lotbox("lot", "adjust", lot.line, "--by", "-2.5 g", "--reason", "moisture-loss", "--note", "dried").status == 0)
            let split = try cli.lotbox("lot", "split", lot.line, "--qty", "100 g")
            try #require(split.status == 0, "\(split.err)")
            #expect(try cli.lotbox("lot", "move", split.line, "--section", shelf.line).status == 0)
            let converted = try cli.lotbox("lot", "convert", "--from", "\(lot.line)=50g", "--from", "\(other.line)=30g",
                                           "--product", preroll.line, "--qty", "75 g")
            try #require(converted.status == 0, "\(converted.err)")
            #expect(try cli.lotbox("lot", "void", other.line).status == 0)
            _ = try trade.trade(pair, sales: 2, tag: "C")
            let drained = try sync.waitDrained(pair, seconds: 120)
            let after = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(after)\n\(box.output)")
            try expectEveryObjectPaired(pair, kinds: [("section", "section"), ("variety", "variety"), ("product", "product"), ("lot", "inventory"),
                                                      ("sale", "(SELECT id FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL)"), ("transfer", "b2b_outgoing"),
                                                      // The partner and the lab: made there under ids the upstream chose.
                                                      ("license", "(SELECT id FROM license WHERE name LIKE 'Partner Farm%' OR name LIKE 'Evergreen%')")])
            try expectSameThroughTheMap(pair, trading: true)
            // The lab result on lots of two licenses is one result per license upstream.
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM lab_result") == ["2"])
            // Voided upstream in two steps too, stock back; the split and the convert kept their lineage there.
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM b2c_sale WHERE stat = 410") == ["1"])
            let lineage = "SELECT \(Self.mapped("inventory_id", "lot")), \(Self.mapped("inventory_id_output", "lot")), type, qty FROM inventory_family"
            #expect(try sync.rows(pair.box, lineage).sorted()
                == sync.rows(pair.up, "SELECT inventory_id, inventory_id_output, type, qty FROM inventory_family").sorted())
        }
    }

    /// The box SIGKILLed right after the upstream made an object and before the box recorded its id, three
    /// times in one run: each next try finds the object upstream and makes no second one.
    @Test func aBoxKilledBeforeItRecordedTheUpstreamsIDMakesNoDuplicate() async throws {
        try await offPool {
            let pair = try trade.setUp()
            try chooseIDs(pair)
            let upstream = try sync.startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let first = try sync.startBox(pair)
            first.stop(seconds: 10)
            let cli = pair.box
            let vault = try cli.lotbox("section", "add", "Vault", "--license", "G-1")
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--license", "G-1")
            try #require(vault.status == 0 && flower.status == 0, "\(vault.err) \(flower.err)")
            var lots: [String] = []
            for index in 1...40 {
                // Two lots of each quantity: a lookup must tell them apart by what nothing here is paired with.
                let made = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "\(100 + index / 2) g",
                                          "--section", vault.line)
                try #require(made.status == 0, "\(made.err)")
                lots.append(made.line)
            }
            #expect(try cli.lotbox("lot", "split", lots[0], "--qty", "10 g").status == 0)
            _ = try trade.trade(pair, sales: 2, tag: "K")

            // Killed after the 3rd, 15th and 10th creates the upstream answered in that run.
            var orphans: [Int] = []
            for after in [3, 15, 10] {
                let box = try APIServer.start(config: pair.boxConfig, folder: pair.box.folder, port: 0,
                                              environment: ["LOTBOX_TEST_KILL_AFTER_UPSTREAM_CREATES": "\(after)"])
                let deadline = Date().addingTimeInterval(90)
                while box.process.isRunning && Date() < deadline { usleep(100_000) }
                #expect(!box.process.isRunning, "the box was not killed after \(after) creates:\n\(box.output)")
                if box.process.isRunning { sync.killNow(box) }
                // The upstream holds lots the box has not paired: the ones made just before the kill.
                let pairedLots = Int(try sync.rows(cli, "SELECT count(*) FROM outbox_id_map WHERE kind = 'lot' AND upstream_id != ''").first ?? "") ?? -1
                let upstreamLots = Int(try sync.rows(pair.up, "SELECT count(*) FROM inventory").first ?? "") ?? -1
                let marked = Int(try sync.rows(cli, "SELECT count(*) FROM outbox_id_map WHERE upstream_id = ''").first ?? "") ?? 0
                #expect(marked > 0, "after \(after): no create was pending its id")
                orphans.append(upstreamLots - pairedLots)
            }
            #expect(orphans.contains { $0 > 0 }, "no kill left an upstream lot unpaired: \(orphans)")
            let box = try sync.startBox(pair)
            defer { box.stop(seconds: 10) }
            let drained = try sync.waitDrained(pair, seconds: 120)
            let after = try sync.status(pair)
            #expect(drained, "the outbox did not drain: \(after)\n\(box.output)")
            #expect(try sync.rows(cli, "SELECT count(*) FROM outbox_id_map WHERE upstream_id = ''") == ["0"])
            try expectEveryObjectPaired(pair, kinds: [("section", "section"), ("product", "product"), ("lot", "inventory"),
                                                      ("sale", "(SELECT id FROM b2c_sale WHERE json_extract(meta, '$.canceled') IS NULL)"), ("transfer", "b2b_outgoing")])
            try expectSameThroughTheMap(pair, trading: true)
            // Not one upstream object twice: as many lots, sales and transfers there as here.
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM inventory") == sync.rows(cli, "SELECT count(*) FROM inventory"))
            #expect(try sync.rows(pair.up, "SELECT count(*) FROM b2b_outgoing") == sync.rows(cli, "SELECT count(*) FROM b2b_outgoing"))
        }
    }
}
