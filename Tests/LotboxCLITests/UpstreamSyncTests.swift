import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox end to end: a box (`lotbox serve` with `[upstream]`, its own store) and its upstream (a second real
/// `lotbox serve` with its API on another loopback port and its own store). Changes made on the box with the CLI
/// reach the upstream by themselves; afterwards the upstream's objects equal the box's (ids, quantities, states),
/// with no duplicates, whatever happened to either daemon meanwhile.
@Suite(.serialized, .timeLimit(.minutes(6))) struct UpstreamSyncTests {
    struct Pair {
        let box: CLITests
        let up: CLITests
        let boxConfig: String
        let upConfig: String
        let port: Int
    }

    /// The upstream's company, license and contact the box acts as; its server key; the box's client key listed
    /// on the upstream under service "shop-1"; each daemon's config.
    func setUp(kinds: [String]? = nil) throws -> Pair {
        let up = try CLITests()
        let box = try CLITests()
        for cli in [up, box] {
            let made = try cli.lotbox("init", "--time-zone", "America/Los_Angeles")
            try #require(made.status == 0, "\(made.err)")
        }
        let company = try up.lotbox("company", "add", "Head Office Inc")
        try #require(company.status == 0, "\(company.err)")
        let license = try up.lotbox("license", "add", "Shop One", "--code", "G-900001", "--type", "grower", "--company", company.line)
        try #require(license.status == 0, "\(license.err)")
        let contact = try up.lotbox("contact", "add", "Shop One Box", "--company", company.line)
        try #require(contact.status == 0, "\(contact.err)")
        let serverKey = up.folder + "/server.key"
        let keygen = try up.lotbox("api", "keygen", "--out", serverKey)
        try #require(keygen.status == 0 && keygen.line.count == 43, "\(keygen.err)")

        let local = try box.lotbox("license", "add", "Green Acres", "--code", "G-1", "--type", "grower")
        try #require(local.status == 0, "\(local.err)")
        let clientKey = box.folder + "/upstream.key"
        let boxKey = try box.lotbox("upstream", "keygen", "--out", clientKey)
        try #require(boxKey.status == 0 && boxKey.line.count == 43, "\(boxKey.err)")

        let port = try APIServer.freePort()
        let upConfig = up.folder + "/lotbox.toml"
        try """
            store = "\(up.db)"
            templates = "\(ServeFaultTests.templates)"

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(serverKey)"

            [[api.clients]]
            service = "shop-1"
            keys = ["\(boxKey.line)"]
            """.write(toFile: upConfig, atomically: true, encoding: .utf8)
        let boxConfig = box.folder + "/lotbox.toml"
        try """
            store = "\(box.db)"
            templates = "\(ServeFaultTests.templates)"

            [upstream]
            origin = "http://127.0.0.1:\(port)"
            service_id = "shop-1"
            client_key_file = "\(clientKey)"
            server_public_key = "\(keygen.line)"
            timeout_seconds = 2
            \(kinds.map { "kinds = [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? "")

            [[upstream.licenses]]
            local = "G-1"
            company_id = "\(company.line)"
            license_id = "\(license.line)"
            contact_id = "\(contact.line)"
            """.write(toFile: boxConfig, atomically: true, encoding: .utf8)
        let check = try box.lotbox("config", "check", "--config", boxConfig)
        try #require(check.status == 0, "config check: \(check.out) \(check.err)")
        return Pair(box: box, up: up, boxConfig: boxConfig, upConfig: upConfig, port: port)
    }

    func startUpstream(_ pair: Pair) throws -> APIServer {
        let server = try APIServer.start(config: pair.upConfig, folder: pair.up.folder, port: pair.port)
        try #require(server.waitUntilHealthy(seconds: 30), "the upstream did not start: \(server.output)")
        return server
    }

    /// The box's daemon, once it has turned the outbox on.
    func startBox(_ pair: Pair) throws -> APIServer {
        let server = try APIServer.start(config: pair.boxConfig, folder: pair.box.folder, port: 0)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && server.process.isRunning {
            if let status = try? pair.box.json(pair.box.lotbox("upstream", "status", "--json")), status["enabled"] as? Bool == true { return server }
            usleep(100_000)
        }
        Issue.record("the box's serve did not turn the outbox on: \(server.output)")
        throw APIServer.Failure(description: "box serve did not start")
    }

    func status(_ pair: Pair) throws -> [String: Any] {
        try pair.box.json(try pair.box.lotbox("upstream", "status", "--json"))
    }

    /// Waits (with a deadline) until nothing but held events waits.
    func waitDrained(_ pair: Pair, seconds: Double, held: Int = 0) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = try status(pair)
            if (now["waiting"] as? Int) == held && (now["held"] as? Int) == held { return true }
            usleep(200_000)
        }
        return false
    }

    func rows(_ cli: CLITests, _ sql: String) throws -> [String] {
        let result = try cli.runProgram("/usr/bin/sqlite3", [cli.db, sql])
        try #require(result.status == 0, "\(result.err)")
        return result.out.split(separator: "\n").map(String.init)
    }

    /// The upstream holds exactly the box's sections, varieties, products and lots: ids, names, quantities, states.
    func expectSameObjects(_ pair: Pair, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let queries = [
            "SELECT id, name, type FROM section ORDER BY id",
            "SELECT id, name, type FROM variety ORDER BY id",
            "SELECT id, name, type, package_type, package_unit_qom, package_unit_uom, package_pack_qom, unit_price FROM product ORDER BY id",
            "SELECT id, product_id, variety_id, section_id, qty, qty_initial, stat FROM inventory ORDER BY id",
        ]
        for query in queries {
            let here = try rows(pair.box, query), there = try rows(pair.up, query)
            #expect(!here.isEmpty, "\(query)", sourceLocation: sourceLocation)
            #expect(here == there, "\(query)\nbox:      \(here)\nupstream: \(there)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyChangeReachesTheUpstreamWithItsIDs() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            let cli = pair.box
            let vault = try cli.lotbox("section", "add", "Vault", "--license", "G-1")
            let shelf = try cli.lotbox("section", "add", "Shelf", "--license", "G-1")
            let haze = try cli.lotbox("variety", "add", "Haze", "--type", "Sativa", "--license", "G-1")
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--license", "G-1")
            let eighth = try cli.lotbox("product", "add", "Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g", "--price", "35", "--license", "G-1")
            for made in [vault, shelf, haze, flower, eighth] { try #require(made.status == 0, "\(made.err)") }
            let lot = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "500 g", "--section", vault.line, "--variety", haze.line)
            try #require(lot.status == 0, "\(lot.err)")
            #expect(try cli.lotbox("lot", "adjust", lot.line, "--by", "-2.5 g", "--reason", "moisture-loss", "--note", "dried").status == 0)
            let split = try cli.lotbox("lot", "split", lot.line, "--qty", "14 g")
            try #require(split.status == 0, "\(split.err)")
            let converted = try cli.lotbox("lot", "convert", "--from", "\(lot.line)=35g", "--product", eighth.line, "--qty", "10")
            try #require(converted.status == 0, "\(converted.err)")
            #expect(try cli.lotbox("lot", "move", split.line, "--section", shelf.line).status == 0)
            #expect(try cli.lotbox("product", "set", flower.line, "--price", "4.25").status == 0)
            let voided = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "3 g")
            try #require(voided.status == 0, "\(voided.err)")
            #expect(try cli.lotbox("lot", "void", voided.line).status == 0)
            #expect(try cli.lotbox("lot", "void", voided.line).status == 0)

            let drained = try waitDrained(pair, seconds: 60)
            let after = try status(pair)
            #expect(drained, "the outbox did not drain: \(after)\n\(box.output)")
            try expectSameObjects(pair)
            // The adjust went up with its reason.
            let reasons = try rows(pair.up, "SELECT reason_code FROM inventory_adjust WHERE inventory_id = '\(lot.line)' ORDER BY id")
            #expect(reasons.first == "moisture-loss", "\(reasons)")
            let shown = try cli.lotbox("status")
            #expect(shown.out.contains("upstream: http://127.0.0.1:\(pair.port): 0 events waiting"), "\(shown.out)")
        }
    }
}
