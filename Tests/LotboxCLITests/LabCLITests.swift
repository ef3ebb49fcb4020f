import Foundation
import LotboxTestSupport
import Testing

/// Lab results, quantities, money and states through the real `lotbox` binary.
@Suite(.serialized, .timeLimit(.minutes(10))) struct LabCLITests {
    func created(_ cli: CLITests, _ qty: String, product: String = "Flower") throws -> String {
        let result = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", product, "--qty", qty, "--section", "Vault")
        #expect(result.status == 0, "\(result.err)")
        return result.line
    }

    @Test func aLotSplitOffATestedBulkLotShowsItsPotency() throws {
        let cli = try CLITests()
        try cli.setUp()
        let bulk = try created(cli, "5 lb")
        let added = try cli.lotbox("lab", "add", "--lab", "Evergreen Labs", "--sampled", "2026-11-20", "--lot", bulk,
                                   "--thc", "0.5%", "--thca", "25.1%", "--cbd", "ND", "--cbda", "0.05%",
                                   "--terpene", "myrcene=0.81%", "--panel", "pesticides=pass", "--coa", "https://evergreen.example/coa/1")
        #expect(added.status == 0, "\(added.err)")
        #expect(added.line.count == 26)
        #expect(added.err.contains("added lab license 'Evergreen Labs'"), "\(added.err)")
        let eighth = try cli.lotbox("lot", "split", bulk, "--qty", "3.5 g").line
        let shown = try cli.lotbox("lot", "show", eighth)
        #expect(shown.out.contains("Potency: THC 22.5127%   CBD 0.0439%"), "\(shown.out)")
        #expect(!shown.out.contains("not tested"), "\(shown.out)")
        #expect(shown.out.contains("inherited"), "\(shown.out)")
        #expect(shown.out.contains("COA: https://evergreen.example/coa/1"), "\(shown.out)")
        #expect(shown.out.contains("Pesticides pass"), "\(shown.out)")
        let json = try cli.json(try cli.lotbox("lot", "show", eighth, "--json"))
        let lab = try #require(json["lab_result"] as? [String: Any], "\(json)")
        #expect(lab["id"] as? String == added.line)
        #expect((lab["total_thc"] as? [String: Any])?["qom"] as? String == "22.5127")
        #expect((lab["total_thc"] as? [String: Any])?["uom"] as? String == "pct")
        #expect(lab["inherited"] as? Bool == true)
        // The label data a template sees.
        let rendered = try cli.lotbox("label", "render", "--template", "package-4x6", "--lot", eighth, "--format", "png", "-o", cli.folder + "/eighth.png")
        #expect(rendered.status == 0, "\(rendered.err)")
        let untested = try created(cli, "10 g")
        #expect(try cli.lotbox("lot", "show", untested).out.contains("Potency: not tested"))
    }

    @Test func theCOAsOwnTotalWinsWithAWarning() throws {
        let cli = try CLITests()
        try cli.setUp()
        let lot = try created(cli, "100 g")
        let added = try cli.lotbox("lab", "add", "--lab", "Lab", "--sampled", "2026-11-20", "--lot", lot,
                                   "--thc", "0.5%", "--thca", "25.1%", "--total-thc", "22.9%", "--json")
        #expect(added.status == 0, "\(added.err)")
        #expect(added.err.contains("warning: the COA's Total THC 22.9% differs from THC + 0.877 × THCA = 22.5127%"), "\(added.err)")
        let json = try cli.json(added)
        #expect((json["total_thc"] as? [String: Any])?["qom"] as? String == "22.9000")
        #expect(try cli.lotbox("lot", "show", lot).out.contains("THC 22.9%"))
    }

    @Test(arguments: [
        (["--thca", "25.1"], "has no unit"),
        (["--thca", "125%"], "at most 100%"),
        (["--thca", "2%", "--coa", "not a link"], "not a web address"),
        (["--terpene", "myrcene"], "is not NAME=VALUE"),
        (["--panel", "pesticides=maybe"], "expected pass or fail"),
        (["--thca", "2%", "--sampled", "20/11/2026"], "not a date"),
    ])
    func badInputIsOneLineAndWritesNothing(extra: [String], message: String) throws {
        let cli = try CLITests()
        try cli.setUp()
        let lot = try created(cli, "100 g")
        let before = try cli.json(try cli.lotbox("status", "--json"))
        var arguments = ["add", "--lab", "Lab", "--lot", lot]
        if !extra.contains("--sampled") { arguments += ["--sampled", "2026-11-20"] }
        let result = try cli.lotbox("lab", arguments + extra)
        #expect(result.status != 0)
        #expect(result.err.split(separator: "\n").count == 1 && result.err.contains(message), "\(result.err)")
        #expect(try cli.json(try cli.lotbox("status", "--json"))["cursor"] as? Int == before["cursor"] as? Int)
        #expect(try cli.lotbox("license", "list").out.contains("Lab") == false)
        #expect(try cli.lotbox("lot", "show", lot).out.contains("Potency: not tested"))
    }

    @Test func quantitiesReadTheWayPeopleSayThem() throws {
        let cli = try CLITests()
        try cli.setUp()
        let bulk = try created(cli, "5 lb")
        let jars = try cli.lotbox("lot", "convert", "--from", "\(bulk)=350g", "--product", "Eighth", "--qty", "100").line
        let shown = try cli.lotbox("lot", "show", jars)
        #expect(shown.out.contains("qty: 100 ea of 100 ea"), "\(shown.out)")
        #expect(shown.out.contains("from: \(bulk) (converted, 350 g)"), "\(shown.out)")
        #expect(!shown.out.contains("350 ea"), "\(shown.out)")
        let json = try cli.json(try cli.lotbox("lot", "show", jars, "--json"))
        #expect(json["qty"] as? String == "100.0000" && json["uom"] as? String == "ea")
        let parent = try #require((json["parent_list"] as? [[String: Any]])?.first)
        #expect(parent["qty"] as? String == "350.0000" && parent["uom"] as? String == "g", "\(parent)")
        let ledger = try #require((json["ledger_list"] as? [[String: Any]])?.first)
        #expect(ledger["uom"] as? String == "ea", "\(ledger)")
        let products = try #require(try JSONSerialization.jsonObject(with: Data(try cli.lotbox("product", "list", "--json").out.utf8)) as? [[String: Any]])
        let eighthProduct = try #require(products.first { $0["name"] as? String == "Eighth" })
        let package = try #require(eighthProduct["package"] as? [String: Any])
        #expect((package["unit"] as? [String: Any])?["qty"] as? String == "3.5000", "\(eighthProduct)")
        #expect((package["unit"] as? [String: Any])?["uom"] as? String == "g", "\(eighthProduct)")
        #expect(eighthProduct["unit_price"] as? String == "35.0000" && eighthProduct["uom"] as? String == "ea", "\(eighthProduct)")
        // A lot created as 5 lb shows its amount in pounds when asked.
        let pounds = try cli.lotbox("lot", "show", bulk, "--unit", "lb")
        #expect(pounds.out.contains("of 5 lb (2267.9619 g)"), "\(pounds.out)")
        let listed = try cli.lotbox("lot", "list", "--unit", "lb")
        #expect(listed.out.contains("4.2284 lb"), "\(listed.out)")  // 2267.9619 - 350 = 1917.9619 g
        let wrong = try cli.lotbox("lot", "show", jars, "--unit", "lb")
        #expect(wrong.status != 0 && wrong.err.contains("--unit lb does not measure this lot"), "\(wrong.err)")
        // The maximum holds through adjust.
        let big = try created(cli, "999999999999 g")
        let over = try cli.lotbox("lot", "adjust", big, "--by", "1 g", "--reason", "correction", "--note", "recount")
        #expect(over.status != 0 && over.err.contains("999999999999.9999 g"), "\(over.err)")
        #expect(try cli.json(try cli.lotbox("lot", "show", big, "--json"))["qty"] as? String == "999999999999.0000")
    }

    @Test func statesAreWordsWithTheCodeInJSON() throws {
        let cli = try CLITests()
        try cli.setUp()
        let lot = try created(cli, "10 g")
        #expect(try cli.lotbox("lot", "show", lot).out.contains("state: live"))
        #expect(try cli.lotbox("section", "add", "Hold", "--type", "inventory-quarantine").status == 0)
        #expect(try cli.lotbox("lot", "move", lot, "--section", "Hold").status == 0)
        #expect(try cli.lotbox("lot", "show", lot).out.contains("state: live, in quarantine"))
        #expect(try cli.lotbox("lot", "list").out.contains("live, in quarantine"))
        let requested = try cli.lotbox("lot", "void", lot)
        #expect(requested.line == "void requested for \(lot); run again to confirm", "\(requested.out)")
        let shown = try cli.lotbox("lot", "show", lot)
        #expect(shown.out.contains("state: void requested"), "\(shown.out)")
        #expect(!shown.out.contains("stat 410"), "\(shown.out)")
        #expect(try cli.json(try cli.lotbox("lot", "show", lot, "--json"))["stat"] as? Int == 410)
        #expect(try cli.lotbox("lot", "void", lot).line == "void confirmed for \(lot)")
        let json = try cli.json(try cli.lotbox("lot", "show", lot, "--json"))
        #expect(json["stat"] as? Int == 423 && json["state"] as? String == "void", "\(json)")
        let again = try cli.lotbox("lot", "void", lot)
        #expect(again.status != 0 && again.err.contains("already void") && !again.err.contains("423"), "\(again.err)")
    }

    @Test func retailMoneyIsCentsAndWholesaleKeepsFourPlaces() throws {
        let cli = try CLITests()
        try cli.setUp()
        let refused = try cli.lotbox("product", "add", "Gram", "--type", "Flower/Bagged", "--package", "each", "--unit", "1 g", "--price", "0.005")
        #expect(refused.status != 0 && refused.err.contains("fraction of a cent"), "\(refused.err)")
        #expect(try cli.lotbox("product", "list").out.contains("Gram") == false)
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let config = try StationCLITests().config(cli)
        let lot = try cli.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        for _ in 0..<3 { #expect(try cli.lotbox("station", "scan", "kiosk", lot, "--config", config).status == 0) }
        let status = try cli.lotbox("station", "status", "--config", config)
        #expect(status.out.contains("subtotal $105.00"), "\(status.out)")
        #expect(!status.out.contains("105.0000"), "\(status.out)")
        // A manifest's $1,200 a pound is $2.6455 a gram, kept to four places.
        let manifest = cli.folder + "/manifest.json"
        try """
            {"id": "T-PRICE-1", "source": {"id": "SENDER-1", "name": "Hill Farm", "code": "HF-1"}, "target": {"id": "R-1"},
             "item_list": [{"inventory": {"id": "PKG-1"}, "product": {"name": "Flower"}, "qty": "2", "uom": "lb", "unit_price": 1200}]}
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(try cli.lotbox("b2b", "import", manifest).status == 0)
        let shown = try cli.lotbox("b2b", "show", "T-PRICE-1")
        #expect(shown.out.contains("$2.6455/g"), "\(shown.out)")
        let json = try cli.json(try cli.lotbox("b2b", "show", "T-PRICE-1", "--json"))
        #expect((json["item_list"] as? [[String: Any]])?.first?["unit_price"] as? String == "2.6455")
    }

    @Test func theExampleManifestsLabResultFollowsThePackageIntoTheReceivedLot() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("product", "add", "Blue Dream Flower", "--type", "Flower/Dry").status == 0)
        #expect(try cli.lotbox("product", "add", "Blue Dream 3.5g", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g").status == 0)
        let manifest = ReadmeTests.root.appendingPathComponent("docs/examples/manifest.json").path
        let imported = try cli.lotbox("b2b", "import", manifest)
        #expect(imported.status == 0, "\(imported.err)")
        let transfer = imported.line
        #expect(try cli.lotbox("b2b", "show", transfer).out.contains("$2.6455/g"))
        let accepted = try cli.json(try cli.lotbox("b2b", "accept", transfer, "--all", "--json"))
        let lots = try #require(accepted["lots"] as? [[String: Any]], "\(accepted)")
        let pound = try #require(lots.first { $0["package"] as? String == "1A4FF0100000022000000901" })
        #expect(pound["qty"] as? String == "453.5924" && pound["uom"] as? String == "g", "\(pound)")
        let jars = try #require(lots.first { $0["package"] as? String == "1A4FF0100000022000000902" })
        #expect(jars["qty"] as? String == "24.0000" && jars["uom"] as? String == "ea", "\(jars)")
        let received = try cli.lotbox("lot", "show", "1A4FF0100000022000000901")
        #expect(received.out.contains("Potency: THC 21.041%   CBD ND"), "\(received.out)")
        #expect(received.out.contains("by Cascade Analytical"), "\(received.out)")
        #expect(received.out.contains("COA: https://cascade-analytical.example/coa/CA-3391"), "\(received.out)")
        let other = try cli.lotbox("lot", "show", "1A4FF0100000022000000902")
        #expect(other.out.contains("Potency: not tested"), "\(other.out)")
        // A split of the received lot carries the sender's result on.
        let split = try cli.lotbox("lot", "split", "1A4FF0100000022000000901", "--qty", "3.5 g").line
        #expect(try cli.lotbox("lot", "show", split).out.contains("Potency: THC 21.041%"))
    }

    @Test func aRefusalNamesALicenseByCodeAndName() throws {
        let cli = try CLITests()
        try cli.setUp()
        #expect(try cli.lotbox("license", "add", "Hill Farm", "--code", "HF-9", "--type", "grower").status == 0)
        let mine = try created(cli, "10 g")
        let theirs = try cli.lotbox("lot", "create", "--license", "HF-9", "--product", "Flower", "--qty", "10 g").line
        let refused = try cli.lotbox("lot", "convert", "--from", "\(mine)=1g", "--from", "\(theirs)=1g", "--product", "Flower", "--qty", "2 g")
        #expect(refused.status != 0 && refused.err.contains("license HF-9 Hill Farm") && refused.err.contains("license G-412345 Green Acres"), "\(refused.err)")
        let licenses = try cli.lotbox("license", "list", "--json")
        let ids = (try JSONSerialization.jsonObject(with: Data(licenses.out.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(!ids.isEmpty && ids.nonEmptyAllSatisfy { !refused.err.contains($0) }, "\(refused.err)")
    }
    /// `lab cover`: a COA recorded for one lot is given another (a package repacked from the tested batch by hand),
    /// which then shows its potency; a lot covered already is said so; a bad result, lot or a void lot refuses the
    /// whole call in one line, nothing written.
    @Test func aCertificateIsGivenALotRecordedWithoutIt() throws {
        let cli = try CLITests()
        try cli.setUp()
        let tested = try created(cli, "1 lb")
        let repacked = try created(cli, "20 g")
        let voided = try created(cli, "5 g")
        #expect(try cli.lotbox("lot", "void", voided).status == 0)
        #expect(try cli.lotbox("lot", "void", voided).status == 0)
        let result = try cli.lotbox("lab", "add", "--lab", "Evergreen Labs", "--sampled", "2026-11-20", "--lot", tested, "--thca", "25%")
        try #require(result.status == 0, "\(result.err)")
        #expect(try cli.lotbox("lot", "show", repacked).out.contains("Potency: not tested"))
        let audits = "SELECT count(*) FROM audit_log"
        let links = "SELECT lab_result_id || '|' || inventory_id FROM lab_result_inventory ORDER BY 1"
        let before = (try cli.runProgram("/usr/bin/sqlite3", [cli.db, audits]).out, try cli.runProgram("/usr/bin/sqlite3", [cli.db, links]).out)
        for (arguments, expected) in [
            (["01NOSUCHRESULT000000000000", "--lot", repacked], "lab result '01NOSUCHRESULT000000000000' not found"),
            ([result.line, "--lot", repacked, "--lot", "NO-SUCH-LOT"], "NO-SUCH-LOT"),
            ([result.line, "--lot", repacked, "--lot", voided], "lot \(voided) is"),
        ] {
            let refused = try cli.runProgram(CLITests.binary, ["lab", "cover"] + arguments, environment: ["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"])
            #expect(refused.status != 0 && refused.err.split(separator: "\n").count == 1 && refused.err.lowercased().contains(expected.lowercased()),
                    "\(arguments): \(refused.err)")
            #expect((try cli.runProgram("/usr/bin/sqlite3", [cli.db, audits]).out, try cli.runProgram("/usr/bin/sqlite3", [cli.db, links]).out) == before)
        }
        let covered = try cli.lotbox("lab", "cover", result.line, "--lot", repacked)
        #expect(covered.status == 0 && covered.out == repacked + "\n" && covered.err.isEmpty, "\(covered.out) \(covered.err)")
        let shown = try cli.lotbox("lot", "show", repacked)
        #expect(shown.out.contains("Potency: THC 21.925%") && !shown.out.contains("not tested"), "\(shown.out)")
        let again = try cli.json(try cli.lotbox("lab", "cover", result.line, "--lot", repacked, "--lot", tested, "--json"))
        #expect(again["added"] as? [String] == [] && again["already"] as? [String] == [repacked, tested], "\(again)")
        #expect(try cli.runProgram("/usr/bin/sqlite3", [cli.db, "SELECT count(*) FROM audit_log WHERE object_type = 'lab_result'"]).out == "2\n")
    }
}
