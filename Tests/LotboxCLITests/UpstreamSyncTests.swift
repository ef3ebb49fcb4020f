import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox end to end: a box (`lotbox serve` with `[upstream]`, its own store) and its upstream (a second real
/// `lotbox serve` with its API on another loopback port and its own store). Changes made on the box with the CLI
/// reach the upstream by themselves; afterwards the upstream's objects equal the box's (ids, quantities, states),
/// with no duplicates, whatever happened to either daemon meanwhile.
@Suite(.serialized, .timeLimit(.minutes(10))) struct UpstreamSyncTests {
    struct Pair {
        let box: CLITests
        let up: CLITests
        let boxConfig: String
        let upConfig: String
        let port: Int
    }

    /// The upstream's company, license and contact the box acts as; its server key; the box's client key listed
    /// on the upstream under service "shop-1"; each daemon's config.
    /// `tls`: the upstream serves HTTPS with a certificate for 127.0.0.1 signed by a private CA (the openssl
    /// shell's), which the box pins as its `ca_file` (`pinned`, when given, pins another certificate instead).
    func setUp(kinds: [String]? = nil, tls: Bool = false, pinned: String? = nil) throws -> Pair {
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
        let certificate = up.folder + "/api.crt"
        let authority = up.folder + "/ca.crt"
        if tls { try Self.certificateSignedByACA(folder: up.folder, certificate: certificate, authority: authority) }
        let upConfig = up.folder + "/lotbox.toml"
        try """
            store = "\(up.db)"
            templates = "\(ServeFaultTests.templates)"

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(serverKey)"
            \(tls ? "tls_certificate = \"\(certificate)\"\ntls_key = \"\(certificate).key\"" : "")

            [[api.clients]]
            service = "shop-1"
            keys = ["\(boxKey.line)"]
            """.write(toFile: upConfig, atomically: true, encoding: .utf8)
        let boxConfig = box.folder + "/lotbox.toml"
        try """
            store = "\(box.db)"
            templates = "\(ServeFaultTests.templates)"

            [upstream]
            origin = "\(tls ? "https" : "http")://127.0.0.1:\(port)"
            \(tls ? "ca_file = \"\(pinned ?? authority)\"" : "")
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

    /// A private CA and a server certificate for 127.0.0.1 it signed (EC P-256), made by the openssl shell; the
    /// key at `certificate`.key, mode 0600.
    static func certificateSignedByACA(folder: String, certificate: String, authority: String) throws {
        let openssl = "/usr/bin/openssl"
        let steps: [[String]] = [
            ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", folder + "/ca.key"],
            ["req", "-x509", "-new", "-key", folder + "/ca.key", "-subj", "/CN=Head Office CA", "-days", "30", "-out", authority,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", certificate + ".key"],
            ["req", "-new", "-key", certificate + ".key", "-subj", "/CN=127.0.0.1", "-out", folder + "/api.csr"],
            ["x509", "-req", "-in", folder + "/api.csr", "-CA", authority, "-CAkey", folder + "/ca.key", "-CAcreateserial", "-days", "30",
             "-out", certificate, "-extfile", folder + "/api.ext"],
        ]
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            .write(toFile: folder + "/api.ext", atomically: true, encoding: .utf8)
        for step in steps {
            let result = try runProgram(openssl, step, deadline: 60)
            try #require(result.status == 0, "openssl \(step.joined(separator: " ")): \(result.err)")
        }
        chmod(certificate + ".key", 0o600)
    }

    func startUpstream(_ pair: Pair, tls: Bool = false) throws -> APIServer {
        let server = try APIServer.start(config: pair.upConfig, folder: pair.up.folder, port: pair.port)
        if tls {
            // The plain-HTTP health poll cannot reach an HTTPS listener: wait for serve's log line.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, server.process.isRunning, !server.output.contains("the API listens on https://") { usleep(100_000) }
            try #require(server.output.contains("the API listens on https://"), "the upstream did not start: \(server.output)")
            return server
        }
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

    /// Waits until nothing waits, for as long as events keep going up: false when none was sent
    /// for `stall` seconds, or after `limit` seconds in all. A debug build drains a 10,000-event
    /// backlog beside a full test run at tens of events a second; a fixed deadline measured the
    /// machine's load, not the worker.
    func waitDrainedWhileProgressing(_ pair: Pair, stall: Double = 60, limit: Double = 360) throws -> (drained: Bool, perSecond: Double) {
        let start = Date(), first = try sent(pair)
        var last = first, lastChange = Date()
        while Date().timeIntervalSince(start) < limit && Date().timeIntervalSince(lastChange) < stall {
            let now = try status(pair)
            let done = (now["sent"] as? Int) ?? last
            if (now["waiting"] as? Int) == 0 && (now["held"] as? Int) == 0 {
                return (true, Double(done - first) / max(Date().timeIntervalSince(start), 0.001))
            }
            if done != last { (last, lastChange) = (done, Date()) }
            usleep(200_000)
        }
        return (false, Double(last - first) / max(Date().timeIntervalSince(start), 0.001))
    }

    func rows(_ cli: CLITests, _ sql: String) throws -> [String] {
        let result = try cli.runProgram("/usr/bin/sqlite3", [cli.db, sql])
        try #require(result.status == 0, "\(result.err)")
        return result.out.split(separator: "\n").map(String.init)
    }

    /// The upstream holds exactly the box's sections, varieties, products and lots: ids, names, quantities, states.
    /// `upstreamOnly`: ids the upstream made itself, left out of the comparison.
    func expectSameObjects(_ pair: Pair, upstreamOnly: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let queries = [
            "SELECT id, name, type FROM section ORDER BY id",
            "SELECT id, name, type FROM variety ORDER BY id",
            "SELECT id, name, type, package_type, package_unit_qom, package_unit_uom, package_pack_qom, unit_price FROM product ORDER BY id",
            "SELECT id, product_id, variety_id, section_id, qty, qty_initial, stat FROM inventory ORDER BY id",
        ]
        for query in queries {
            let here = try rows(pair.box, query)
            let there = try rows(pair.up, query).filter { !upstreamOnly.contains(String($0.prefix { $0 != "|" })) }
            #expect(!here.isEmpty, "\(query)", sourceLocation: sourceLocation)
            #expect(here == there, "\(query)\nbox:      \(here)\nupstream: \(there)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyChangeReachesTheUpstreamWithItsIDs() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let cli = pair.box
            // Made before the box had an upstream: the first upstream takes them too, as they happened.
            let earlier = try cli.lotbox("product", "add", "Earlier", "--type", "Flower/Dry", "--license", "G-1")
            try #require(earlier.status == 0, "\(earlier.err)")
            let old = try cli.lotbox("lot", "create", "--license", "G-1", "--product", earlier.line, "--qty", "40 g")
            try #require(old.status == 0, "\(old.err)")
            #expect(try cli.lotbox("lot", "adjust", old.line, "--by", "-4 g", "--reason", "waste", "--note", "stems").status == 0)
            #expect(try cli.lotbox("lot", "split", old.line, "--qty", "6 g").status == 0)
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
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

            // A lab result goes up after the lot it covers, its lab added to the upstream's directory first.
            let lab = try cli.lotbox("lab", "add", "--lab", "Evergreen Labs", "--sampled", "2026-11-20", "--lot", split.line, "--thc", "0.5%")
            try #require(lab.status == 0, "\(lab.err)")
            #expect(try cli.lotbox("lot", "adjust", split.line, "--by", "-1 g", "--reason", "audit", "--note", "after the lab").status == 0)

            let drained = try waitDrained(pair, seconds: 60)
            let after = try status(pair)
            #expect(drained, "the outbox did not drain: \(after)\n\(box.output)")
            let results = "SELECT r.id, r.license_id, lri.inventory_id FROM lab_result r JOIN lab_result_inventory lri ON lri.lab_result_id = r.id"
            #expect(try rows(pair.up, results) == rows(pair.box, results) && rows(pair.box, results).count == 1)
            try expectSameObjects(pair)
            // The split and the convert went up as such: the upstream has the lineage too.
            let family = "SELECT inventory_id, inventory_id_output, type, qty FROM inventory_family ORDER BY inventory_id_output, inventory_id"
            let lineage = try rows(pair.box, family), upstreamLineage = try rows(pair.up, family)
            #expect(lineage.count == 3 && lineage == upstreamLineage, "\(lineage) \(upstreamLineage)")
            // The adjust went up with its reason.
            let reasons = try rows(pair.up, "SELECT reason_code FROM inventory_adjust WHERE inventory_id = '\(lot.line)' ORDER BY id")
            #expect(reasons.first == "moisture-loss", "\(reasons)")
            let shown = try cli.lotbox("status")
            #expect(shown.out.contains("upstream: http://127.0.0.1:\(pair.port): 0 events waiting, 0 held;"), "\(shown.out)")
        }
    }

    /// A COA given another lot after it went up (`lotbox lab cover`) goes up again: the upstream's result, under the
    /// same id, covers both lots. Covering the lot again writes nothing on the box and sends nothing.
    @Test func aLabResultGivenAnotherLotLaterCoversItUpstreamToo() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            let cli = pair.box
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--license", "G-1")
            try #require(flower.status == 0, "\(flower.err)")
            let tested = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "100 g")
            let repacked = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "20 g")
            try #require(tested.status == 0 && repacked.status == 0, "\(tested.err) \(repacked.err)")
            let lab = try cli.lotbox("lab", "add", "--lab", "Evergreen Labs", "--sampled", "2026-11-20", "--lot", tested.line, "--thc", "0.5%")
            try #require(lab.status == 0, "\(lab.err)")
            let links = "SELECT lab_result_id || '|' || inventory_id FROM lab_result_inventory ORDER BY 1"
            let first = try waitDrained(pair, seconds: 60)
            let afterFirst = try status(pair)
            try #require(first, "\(afterFirst)\n\(box.output)")
            #expect(try rows(pair.up, links) == ["\(lab.line)|\(tested.line)"])

            let cover = try cli.lotbox("lab", "cover", lab.line, "--lot", repacked.line)
            #expect(cover.status == 0 && cover.line == repacked.line, "\(cover.out) \(cover.err)")
            let drained = try waitDrained(pair, seconds: 60)
            let afterCover = try status(pair)
            #expect(drained, "\(afterCover)\n\(box.output)")
            let here = try rows(cli, links), there = try rows(pair.up, links)
            #expect(here.count == 2 && there == here, "\(here) \(there)")
            // The upstream recorded the result once and added the lot to it, audited.
            #expect(try rows(pair.up, "SELECT count(*) FROM lab_result") == ["1"])
            #expect(try rows(pair.up, "SELECT action FROM audit_log WHERE object_type = 'lab_result' ORDER BY id") == ["create", "update"])

            let outbox = try rows(cli, "SELECT count(*) FROM outbox")
            let again = try cli.lotbox("lab", "cover", lab.line, "--lot", repacked.line)
            #expect(again.status == 0 && again.out.isEmpty && again.err.contains("covers lot \(repacked.line) already"), "\(again.out) \(again.err)")
            #expect(try rows(cli, "SELECT count(*) FROM outbox") == outbox)
            try expectSameObjects(pair)
        }
    }

    /// A section, a variety and a product renamed on the box (and a section made quarantine, a product repriced) are
    /// updated on the upstream under the same ids; every one of those events sent again changes nothing there.
    @Test func renamesGoUpAndTheirReplaysChangeNothing() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            var box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            let cli = pair.box
            let vault = try cli.lotbox("section", "add", "Vault", "--license", "G-1")
            let haze = try cli.lotbox("variety", "add", "Haze", "--type", "Sativa", "--license", "G-1")
            let flower = try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", "--price", "10", "--license", "G-1")
            for made in [vault, haze, flower] { try #require(made.status == 0, "\(made.err)") }
            let lot = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "100 g", "--section", vault.line,
                                     "--variety", haze.line)
            try #require(lot.status == 0, "\(lot.err)")
            var drained = try waitDrained(pair, seconds: 60)
            var now = try status(pair)
            try #require(drained, "\(now)\n\(box.output)")

            #expect(try cli.lotbox("section", "set", vault.line, "--name", "Vault East", "--type", "inventory-quarantine").status == 0)
            #expect(try cli.lotbox("variety", "set", haze.line, "--name", "Super Haze").status == 0)
            #expect(try cli.lotbox("product", "set", flower.line, "--name", "Flower Prime", "--price", "12.5").status == 0)
            // A lot renamed twice (the API's PATCH and the staff screens rename through the store), another cleared.
            let other = try cli.lotbox("lot", "create", "--license", "G-1", "--product", flower.line, "--qty", "20 g", "--name", "Shake")
            try #require(other.status == 0, "\(other.err)")
            let store = try LotStore(path: cli.db)
            try store.renameLot(lot.line, name: "Haze batch 7", actor: "test")
            try store.renameLot(lot.line, name: "Haze batch 7b", actor: "test")
            try store.renameLot(other.line, name: nil, actor: "test")
            drained = try waitDrained(pair, seconds: 60)
            now = try status(pair)
            #expect(drained, "\(now)\n\(box.output)")
            try expectSameObjects(pair)
            #expect(try rows(pair.up, "SELECT name FROM section WHERE id = '\(vault.line)'") == ["Vault East"])
            #expect(try rows(pair.up, "SELECT name FROM variety WHERE id = '\(haze.line)'") == ["Super Haze"])
            #expect(try rows(pair.up, "SELECT name FROM product WHERE id = '\(flower.line)'") == ["Flower Prime"])
            let names = "SELECT id, coalesce(name, '(none)') FROM inventory ORDER BY id"
            #expect(try rows(pair.up, names) == rows(cli, names))
            #expect(try rows(pair.up, "SELECT coalesce(name, '(none)') FROM inventory WHERE id IN ('\(lot.line)', '\(other.line)') ORDER BY id")
                == [lot.line, other.line].sorted().map { $0 == lot.line ? "Haze batch 7b" : "(none)" })
            #expect(try rows(cli, "SELECT count(*) FROM outbox WHERE kind = 'lot' AND action = 'rename'") == ["3"])
            box.stop(seconds: 10)

            // Every section, variety and product event again, creations first: the upstream writes nothing.
            let changes = try rows(pair.up, "SELECT count(*) FROM audit_log")
            _ = try cli.runProgram("/usr/bin/sqlite3", [cli.db, "UPDATE outbox SET state = 'pending', sent_at = NULL WHERE kind IN ('section', 'variety', 'product') OR action = 'rename'"])
            let again = (try status(pair)["waiting"] as? Int) ?? 0
            #expect(again >= 9, "\(again) events to send again")
            box = try startBox(pair)
            drained = try waitDrained(pair, seconds: 60)
            now = try status(pair)
            #expect(drained, "the replay did not drain: \(now)\n\(box.output)")
            try expectSameObjects(pair)
            #expect(try rows(pair.up, "SELECT count(*) FROM audit_log") == changes, "the replay wrote on the upstream")
        }
    }

    /// `count` lots written by another program (the sqlite3 shell) in one transaction, each then adjusted once:
    /// 2 × count outbox events behind the box's section and product.
    func backlog(_ pair: Pair, count: Int, prefix: String) throws {
        let cli = pair.box
        let section = try cli.lotbox("section", "add", "Backlog \(prefix)", "--license", "G-1")
        let product = try cli.lotbox("product", "add", "Backlog \(prefix)", "--type", "Flower/Dry", "--license", "G-1")
        try #require(section.status == 0 && product.status == 0, "\(section.err) \(product.err)")
        let license = try rows(cli, "SELECT id FROM license WHERE code = 'G-1'").first ?? ""
        let sql = """
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO inventory (id, license_id, product_id, section_id, qty, qty_initial)
              SELECT printf('\(prefix)%08d', i), '\(license)', '\(product.line)', '\(section.line)', 100000 + i, 100000 + i FROM n;
            INSERT INTO inventory_adjust (inventory_id, delta, reason_code, note, actor)
              SELECT id, -10000, 'audit', 'recount', 'sql' FROM inventory WHERE id LIKE '\(prefix)%' ORDER BY id;
            COMMIT;
            """
        let written = try cli.runProgram("/usr/bin/sqlite3", [cli.db, sql])
        try #require(written.status == 0, "\(written.err)")
    }

    func sent(_ pair: Pair) throws -> Int { (try status(pair)["sent"] as? Int) ?? 0 }

    /// Waits until at least `more` further events were sent (the drain is under way), with a deadline.
    func waitForProgress(_ pair: Pair, more: Int, seconds: Double) throws -> Bool {
        let start = try sent(pair)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try sent(pair) >= start + more { return true }
            usleep(50_000)
        }
        return false
    }

    func killNow(_ server: APIServer) {
        kill(server.process.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while server.process.isRunning && Date() < deadline { usleep(20_000) }
    }

    @Test func everyEventArrivesExactlyOnceThroughKillsRestartsAndAStoppedUpstream() async throws {
        try await offPool {
            let pair = try setUp()
            var upstream = try startUpstream(pair)
            // Serve turns the outbox on; the backlog is written while no worker runs.
            let first = try startBox(pair)
            first.stop(seconds: 10)
            try backlog(pair, count: 5000, prefix: "01FAULT")   // 10,000 events
            let total = (try status(pair)["waiting"] as? Int) ?? 0
            #expect(total >= 10_000)

            // The box SIGKILLed mid-drain, three times.
            for round in 1...3 {
                let box = try startBox(pair)
                #expect(try waitForProgress(pair, more: 150, seconds: 60), "round \(round): no progress\n\(box.output)")
                killNow(box)
            }
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            // The upstream killed mid-drain and started again on its port.
            #expect(try waitForProgress(pair, more: 150, seconds: 60), "no progress before the upstream is killed\n\(box.output)")
            killNow(upstream)
            usleep(1_500_000)
            upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            #expect(try waitForProgress(pair, more: 150, seconds: 60), "no progress after the upstream came back\n\(box.output)")
            // The upstream stopped: requests time out (timeout_seconds = 2); nothing is sent meanwhile.
            kill(upstream.process.processIdentifier, SIGSTOP)
            usleep(500_000)
            let frozen = try sent(pair)
            usleep(4_000_000)
            #expect(try sent(pair) <= frozen + 100)   // at most the batch in hand when it stopped
            // `upstream status` says so, with the reason.
            var away = try status(pair)
            let stopped = Date().addingTimeInterval(10)
            while Date() < stopped, away["reachable"] as? Bool != false {
                usleep(200_000)
                away = try status(pair)
            }
            #expect(away["reachable"] as? Bool == false && ((away["reach_error"] as? String)?.isEmpty == false), "\(away)")
            kill(upstream.process.processIdentifier, SIGCONT)

            let (drained, rate) = try waitDrainedWhileProgressing(pair)
            let after = try status(pair)
            #expect(drained, "the outbox did not drain (\(Int(rate)) events/s at the end): \(after)\n\(box.output)")
            try expectSameObjects(pair)
            // Exactly once: every ledger row once on the upstream, none twice.
            let ledger = "SELECT inventory_id, delta, reason_code FROM inventory_adjust ORDER BY inventory_id, id"
            let here = try rows(pair.box, ledger), there = try rows(pair.up, ledger)
            #expect(here.count == 5000 && here == there, "box \(here.count) ledger rows, upstream \(there.count)")
            #expect(after["reachable"] as? Bool == true, "\(after)")
        }
    }

    /// The upstream refuses one product (its license there already has a product of that name): that product and
    /// the lot made of it wait, held with the upstream's reason; everything else flows past. Once the clash is
    /// fixed on the upstream, `upstream retry` sends it and what it held; `upstream skip` gives one up. Both audited.
    /// `lotbox doctor`'s upstream row follows what the box's worker finds: not tried before `serve`
    /// runs, an error while the upstream does not answer, ok once it answers and the box drained.
    @Test func doctorSaysWhetherTheUpstreamAnswers() async throws {
        try await offPool {
            let pair = try setUp()
            func upstreamRow() throws -> (status: Int32, row: [String: String]) {
                let result = try pair.box.lotbox("doctor", "--config", pair.boxConfig, "--json")
                let checks = try pair.box.json(result)["checks"] as? [[String: String]] ?? []
                return (result.status, checks.first { $0["check"] == "upstream" } ?? [:])
            }
            // The box answers /metrics too, so its sync gauges can be read beside doctor's row.
            let apiKey = pair.box.folder + "/api.key", tokenFile = pair.box.folder + "/metrics.token"
            #expect(try pair.box.lotbox("api", "keygen", "--out", apiKey).status == 0)
            try (MetricsServeTests.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
            chmod(tokenFile, 0o640)
            let boxPort = try APIServer.freePort()
            let backups = pair.box.folder + "/backups"
            try (String(contentsOfFile: pair.boxConfig, encoding: .utf8)
                 + "\n\n[api]\nlisten = \"127.0.0.1:\(boxPort)\"\nkey = \"\(apiKey)\"\nmetrics_token_file = \"\(tokenFile)\"\n"
                 + "\n[backup]\nfolder = \"\(backups)\"\n")
                .write(toFile: pair.boxConfig, atomically: true, encoding: .utf8)
            // A backup carries the upstream client key beside the store, with its mode.
            let backup = try pair.box.lotbox("backup", "--config", pair.boxConfig)
            #expect(backup.status == 0, "\(backup.err)")
            let keys = try FileManager.default.contentsOfDirectory(atPath: backups).filter { $0.hasSuffix(".keys") }
            let upstreamKey = backups + "/" + (keys.first ?? "none") + "/upstream.key"
            #expect((try? FileManager.default.attributesOfItem(atPath: upstreamKey)[.posixPermissions] as? Int) == 0o600, "\(keys) \(backup.out)")
            func gauge(_ name: String) -> Double? {
                let scrape = LoopbackHTTP.get(port: boxPort, path: "/metrics", timeout: 10, headers: ["Authorization": "Bearer \(MetricsServeTests.token)"])
                return MetricsServeTests.value(scrape?.body ?? "", name)
            }
            var seen = try upstreamRow()
            #expect(seen.row["status"] == "warning" && (seen.row["detail"] ?? "").contains("not tried yet"), "\(seen)")
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            #expect(try pair.box.lotbox("section", "add", "Doctor Vault", "--license", "G-1").status == 0)
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, (try status(pair)["reachable"] as? Bool) != false { usleep(200_000) }
            seen = try upstreamRow()
            #expect(seen.status == 2 && seen.row["status"] == "error" && (seen.row["detail"] ?? "").contains("does not answer"), "\(seen)")
            #expect(gauge("lotbox_sync_upstream_up") == 0 && (gauge("lotbox_sync_waiting_events") ?? 0) >= 1, "the sync gauges while the upstream is down")
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            #expect(try waitDrained(pair, seconds: 90))
            seen = try upstreamRow()
            #expect(seen.row["status"] == "ok" && (seen.row["detail"] ?? "").contains("answers"), "\(seen)")
            #expect(gauge("lotbox_sync_upstream_up") == 1 && gauge("lotbox_sync_waiting_events") == 0 && gauge("lotbox_sync_held_events") == 0,
                    "the sync gauges once drained")
        }
    }

    @Test func aRefusedObjectHoldsOnlyItselfAndWhatNeedsIt() async throws {
        try await offPool {
            let pair = try setUp()
            let upstream = try startUpstream(pair)
            defer { upstream.stop(seconds: 10) }
            let clash = try pair.up.lotbox("product", "add", "Clash", "--type", "Flower/Dry", "--license", "G-900001")
            try #require(clash.status == 0, "\(clash.err)")
            let box = try startBox(pair)
            defer { box.stop(seconds: 10) }
            let cli = pair.box
            let refused = try cli.lotbox("product", "add", "Clash", "--type", "Flower/Dry", "--license", "G-1")
            let fine = try cli.lotbox("product", "add", "Fine", "--type", "Flower/Dry", "--license", "G-1")
            try #require(refused.status == 0 && fine.status == 0)
            let waiting = try cli.lotbox("lot", "create", "--license", "G-1", "--product", refused.line, "--qty", "10 g")
            let flowing = try cli.lotbox("lot", "create", "--license", "G-1", "--product", fine.line, "--qty", "20 g")
            try #require(waiting.status == 0 && flowing.status == 0)
            #expect(try cli.lotbox("lot", "adjust", flowing.line, "--by", "-1 g", "--reason", "audit", "--note", "recount").status == 0)

            let deadline = Date().addingTimeInterval(60)
            var now = try status(pair)
            while Date() < deadline, !((now["held"] as? Int) == 1 && (now["waiting"] as? Int) == 2) {
                usleep(200_000)
                now = try status(pair)
            }
            #expect(now["held"] as? Int == 1 && now["waiting"] as? Int == 2, "\(now)")
            // The held product's lot waits with it (2 waiting, 1 held); the rest went up.
            #expect(try rows(pair.up, "SELECT qty FROM inventory WHERE id = '\(flowing.line)'") == ["190000"])
            #expect(try rows(pair.up, "SELECT count(*) FROM inventory WHERE id = '\(waiting.line)'") == ["0"])
            let held = try cli.lotbox("upstream", "list", "--held", "--json")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(held.out.utf8)) as? [[String: Any]], "\(held.out)")
            #expect(list.count == 1)
            let event = try #require(list.first)
            #expect(event["object_id"] as? String == refused.line)
            #expect((event["reason"] as? String)?.contains("409") == true, "\(event)")
            let heldID = try #require(event["id"] as? Int)
            let text = try cli.lotbox("upstream", "status")
            #expect(text.out.contains("held \(heldID) product \(refused.line)"), "\(text.out)")

            // Bad input: one line, non-zero, nothing written.
            let unknown = try cli.lotbox("upstream", "retry", "999999")
            #expect(unknown.status == 1 && unknown.err.contains("999999") && unknown.err.split(separator: "\n").count == 1, "\(unknown.err)")

            // The upstream's clash renamed; retried, the product and its lot go up.
            _ = try pair.up.runProgram("/usr/bin/sqlite3", [pair.up.db, "UPDATE product SET name = 'Clash (head office)' WHERE id = '\(clash.line)'"])
            #expect(try cli.lotbox("upstream", "retry", "\(heldID)").status == 0)
            let drained = try waitDrained(pair, seconds: 60)
            let after = try status(pair)
            #expect(drained, "\(after)")
            try expectSameObjects(pair, upstreamOnly: [clash.line])
            let audit = try rows(cli, "SELECT action || ' ' || object_id FROM audit_log WHERE action LIKE 'outbox-%'")
            #expect(audit == ["outbox-retry \(refused.line)"])

            // Skipped: a product refused again is given up on, audited; it is never sent.
            _ = try pair.up.runProgram("/usr/bin/sqlite3", [pair.up.db, "INSERT INTO product (id, license_id, name, type, package_type, package_unit_uom) SELECT 'UP-ONLY', license_id, 'Second Clash', type, 'bulk', 'g' FROM product WHERE id = '\(clash.line)'"])
            let second = try cli.lotbox("product", "add", "Second Clash", "--type", "Flower/Dry", "--license", "G-1")
            try #require(second.status == 0)
            var heldAgain: [[String: Any]] = []
            let again = Date().addingTimeInterval(60)
            while Date() < again, heldAgain.isEmpty {
                usleep(200_000)
                heldAgain = (try? JSONSerialization.jsonObject(with: Data(try cli.lotbox("upstream", "list", "--held", "--json").out.utf8)) as? [[String: Any]]) ?? []
            }
            let secondID = try #require(heldAgain.first?["id"] as? Int, "never held")
            #expect(try cli.lotbox("upstream", "skip", "\(secondID)").status == 0)
            #expect(try status(pair)["held"] as? Int == 0)
            let skips = try rows(cli, "SELECT action || ' ' || object_id FROM audit_log WHERE action = 'outbox-skip'")
            #expect(skips == ["outbox-skip \(second.line)"])
        }
    }

    /// Over HTTPS with the upstream's CA pinned as `ca_file`, the box's events go up; with another certificate
    /// pinned (a self-signed one of `api cert`), nothing does and `upstream status` says why.
    @Test func overTLSOnlyThePinnedCertificateIsTrusted() async throws {
        try await offPool {
            let stranger = try CLITests()
            let other = stranger.folder + "/other.crt"
            let made = try stranger.lotbox("api", "cert", "--out", other, "--host", "127.0.0.1")
            try #require(made.status == 0, "\(made.err)")
            for (pin, trusted) in [(nil as String?, true), (other, false)] {
                let pair = try setUp(tls: true, pinned: pin)
                let upstream = try startUpstream(pair, tls: true)
                defer { upstream.stop(seconds: 10) }
                let box = try startBox(pair)
                defer { box.stop(seconds: 10) }
                let vault = try pair.box.lotbox("section", "add", "Vault", "--license", "G-1")
                try #require(vault.status == 0, "\(vault.err)")
                if trusted {
                    let drained = try waitDrained(pair, seconds: 60)
                    let after = try status(pair)
                    #expect(drained && after["reachable"] as? Bool == true, "\(after)\n\(box.output)")
                    #expect(try rows(pair.up, "SELECT name FROM section WHERE id = '\(vault.line)'") == ["Vault"])
                } else {
                    var now = try status(pair)
                    let deadline = Date().addingTimeInterval(30)
                    while Date() < deadline, now["reachable"] as? Bool != false {
                        usleep(200_000)
                        now = try status(pair)
                    }
                    #expect(now["reachable"] as? Bool == false && now["waiting"] as? Int == 1, "\(now)")
                    #expect(try rows(pair.up, "SELECT count(*) FROM section WHERE id = '\(vault.line)'") == ["0"])
                }
            }
        }
    }
}
