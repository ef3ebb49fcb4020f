import Foundation
import LotboxTestSupport
import Testing

/// Messages a person can act on: every refusal is one line naming the bad value and what was
/// expected, exits non-zero, and writes nothing; and the objects lots refer to can be edited.
@Suite(.timeLimit(.minutes(10))) struct MessagesCLITests {
    let cli: CLITests
    init() throws { cli = try CLITests() }

    /// The store's whole content as SQL text, to show a refusal wrote nothing.
    func storeBytes() throws -> String {
        let dump = try runProgram("/usr/bin/sqlite3", [cli.db, ".dump"])
        #expect(dump.status == 0 && dump.out.count > 1_000, "\(dump.err)")
        return dump.out
    }

    func refused(_ arguments: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try storeBytes()
        let result = try cli.lotbox(arguments[0], Array(arguments.dropFirst()))
        #expect(result.status != 0, "\(arguments) succeeded: \(result.out)", sourceLocation: sourceLocation)
        #expect(result.err.split(separator: "\n").count == 1, "\(arguments): \(result.err)", sourceLocation: sourceLocation)
        #expect(result.err.contains(expected), "\(arguments): \(result.err)", sourceLocation: sourceLocation)
        #expect(try storeBytes() == before, "\(arguments) changed the store", sourceLocation: sourceLocation)
    }

    @Test func refusalsSayWhatIsWrongAndWriteNothing() throws {
        try cli.setUp()
        let folder = cli.folder
        try "{\n  \"data\": {\n    \"license\": [ {\"id\": x} ]\n  }\n}\n".write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
        try "{\"source_license_id\": ".write(toFile: folder + "/cut.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/templates", withIntermediateDirectories: true)
        try "media: oe_2x1-label_2x1in\nelements:\n  - {type: text, x: [1\n".write(toFile: folder + "/templates/broken.yaml", atomically: true, encoding: .utf8)
        let longName = String(repeating: "A", count: 201)
        let longNote = String(repeating: "n", count: 2_001)
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "10 g").line
        let cases: [([String], String)] = [
            (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1e9 kg"], "'1e9 kg' is not written as a plain decimal number"),
            (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1,000 g"], "not written as a plain decimal number"),
            (["product", "add", "Cheap", "--type", "Flower/Dry", "--price=-5"], "price '-5' is negative"),
            (["product", "add", "Cheap", "--type", "Flower/Dry", "--price", "-5"], "price '-5' is negative"),
            (["product", "set", "Flower", "--price", "-3"], "price '-3' is negative"),
            (["lot", "split", lot, "--qty", "-5 g"], "quantity '-5 g' is negative"),
            (["product", "add", longName, "--type", "Flower/Dry"], "is 201 characters long; expected at most 200"),
            (["product", "add", "Tab\there", "--type", "Flower/Dry"], "contains the control character U+0009"),
            (["section", "add", "Bell\u{07}"], "contains the control character U+0007"),
            (["lot", "adjust", lot, "--by", "-1 g", "--reason", "moisture-loss", "--note", longNote], "is 2001 characters long; expected at most 2000"),
            (["queue", "list", "--state", "bogus"], "--state bogus is not a job state; expected one of queued"),
            (["import", folder + "/bad.json"], "is not JSON: line 3, column 25: invalid value"),
            (["b2b", "import", folder + "/cut.json"], "manifest is not JSON: line 1, column 23 (the end of the file)"),
            (["label", "batch", "--template", "lot-2x1", "--csv", folder + "/missing.csv", "--format", "pdf", "-o", folder + "/x.pdf",
              "--templates", ServeFaultTests.templates], "--csv file \(folder)/missing.csv does not exist"),
            (["label", "render", "--template", "no-such", "--lot", lot, "-o", folder + "/x.png", "--templates", folder + "/templates"],
             "no-such: no such template; searched \(folder)/templates; expected one of: broken"),
            (["template", "check", "broken", "--templates", folder + "/templates"], "YAML error at line 4, column 1"),
            (["product", "set", "Flower"], "nothing to change"),
            (["product", "set", "Flower", "--price", "abc"], "price 'abc' is not an amount of money"),
            (["product", "set", "Flower", "--package", "each", "--unit", "1 g"], "has 1 lot(s) counted by its package"),
            (["license", "set", "G-412345", "--type", "bakery"], "license type 'bakery' is unknown"),
            (["variety", "set", "No Such Variety", "--name", "X"], "No Such Variety"),
        ]
        for (arguments, expected) in cases { try refused(arguments, expected) }
    }

    @Test func objectsCanBeEditedWithAnAuditLine() throws {
        try cli.setUp()
        #expect(try cli.lotbox("variety", "add", "Blue Dreem").status == 0)
        let product = try cli.lotbox("product", "set", "Eighth", "--price", "32.50", "--name", "Blue Dream 3.5g", "--json")
        #expect(product.status == 0, "\(product.err)")
        let shown = try cli.json(product)
        #expect(shown["name"] as? String == "Blue Dream 3.5g")
        #expect(shown["unit_price"] as? Int == 325_000 || shown["unitPrice"] as? Int == 325_000, "\(shown)")
        #expect(try cli.lotbox("license", "set", "G-412345", "--name", "Green Acres Farm LLC", "--code", "G-412346").status == 0)
        #expect(try cli.lotbox("section", "set", "Vault", "--type", "inventory-quarantine").status == 0)
        #expect(try cli.lotbox("variety", "set", "Blue Dreem", "--name", "Blue Dream", "--type", "hybrid").status == 0)
        // A product with no lots can change its package.
        #expect(try cli.lotbox("product", "set", "Flower", "--package", "each", "--unit", "1 g").status == 0)
        let audit = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT object_type || ' ' || detail FROM audit_log WHERE action = 'set' ORDER BY id"])
        let lines = audit.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(audit.out)")
        #expect(lines.first?.contains("\"price\":\"$35.00 -> $32.50\"") == true, "\(audit.out)")
        #expect(lines.first?.contains("\"name\":\"Eighth -> Blue Dream 3.5g\"") == true, "\(audit.out)")
        #expect(audit.out.contains("\"code\":\"G-412345 -> G-412346\""), "\(audit.out)")
        #expect(audit.out.contains("\"type\":\"inventory -> inventory-quarantine\""), "\(audit.out)")
        #expect(audit.out.contains("\"name\":\"Blue Dreem -> Blue Dream\""), "\(audit.out)")
        // The renamed product and license are what the CLI now finds and shows.
        let list = try cli.lotbox("product", "list")
        #expect(list.out.contains("Blue Dream 3.5g") && list.out.contains("$32.50"), "\(list.out)")
        #expect(try cli.lotbox("license", "list").out.contains("G-412346"))
    }
}
