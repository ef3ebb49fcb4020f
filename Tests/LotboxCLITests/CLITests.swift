import Foundation
import LotboxTestSupport
import Testing

/// Runs the built `lotbox` binary as a user or a script would.
@Suite(.timeLimit(.minutes(10))) struct CLITests {
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["LOTBOX_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/lotbox").path
    }()

    /// Why the binary cannot be trusted, if it is older than a source file: a CLI test must run
    /// the binary just built, never a stale one.
    static let staleBinary: String? = {
        let manager = FileManager.default
        guard let built = (try? manager.attributesOfItem(atPath: binary))?[.modificationDate] as? Date else {
            return "no lotbox binary at \(binary): build it first (script/test does)"
        }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let enumerator = manager.enumerator(at: sources, includingPropertiesForKeys: [.contentModificationDateKey])
        while let file = enumerator?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            if let changed = try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
               changed > built {
                return "\(binary) is older than \(file.lastPathComponent): rebuild before running the CLI tests"
            }
        }
        return nil
    }()

    struct Result {
        var status: Int32
        var out: String
        var err: String
        var line: String { out.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    let folder: String
    let db: String

    init() throws {
        if let stale = CLITests.staleBinary { throw DecoderError(message: stale) }
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        folder = base + "/lotbox-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        db = folder + "/store.sqlite"
    }

    @discardableResult
    func lotbox(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) throws -> Result {
        var env = ["LOTBOX_DB": db, "LOTBOX_ACTOR": "tester"]
        for (key, value) in environment { env[key] = value }
        return try runProgram(CLITests.binary, arguments, environment: env, input: input)
    }

    /// Runs a real program with extra environment variables and optional standard input.
    func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let result = try LotboxTestSupport.runProgram(path, arguments, environment: environment, input: input)
        return Result(status: result.status, out: result.out, err: result.err)
    }

    func json(_ result: Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "\(result.out)")
    }

    func setUp() throws {
        #expect(try lotbox("init", "--time-zone", "America/Los_Angeles").status == 0)
        #expect(try lotbox("license", "add", "Green Acres", "--code", "G-412345", "--type", "grower").status == 0)
        #expect(try lotbox("product", "add", "Flower", "--type", "Flower/Dry").status == 0)
        #expect(try lotbox("product", "add", "Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g", "--price", "35").status == 0)
        #expect(try lotbox("section", "add", "Vault").status == 0)
    }

    @Test func lotCreatePrintsTheNewULIDAndShowFindsIt() throws {
        try setUp()
        let created = try lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2 lb", "--section", "Vault", "--metrc", "1A4FF0100000022000000009")
        #expect(created.status == 0, "\(created.err)")
        #expect(created.line.count == 26)
        #expect(created.line.nonEmptyAllSatisfy { $0.isUppercase || $0.isNumber })
        let shown = try json(try lotbox("lot", "show", "1A4FF0100000022000000009", "--json"))
        #expect(shown["id"] as? String == created.line)
        #expect(shown["qty"] as? String == "907.1847")
        #expect(shown["uom"] as? String == "g")
        let human = try lotbox("lot", "show", created.line)
        #expect(human.out.contains("qty: 907.1847 g"))
        #expect(human.out.contains("metrc: 1A4FF0100000022000000009"))
    }

    @Test func everyLotOperationFromTheCommandLine() throws {
        try setUp()
        let lot = try lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1000 g").line
        let child = try lotbox("lot", "split", lot, "--qty", "100 g")
        #expect(child.status == 0 && child.line.count == 26, "\(child.err)")
        let bags = try lotbox("lot", "convert", "--from", "\(lot)=350g", "--product", "Eighth", "--qty", "100")
        #expect(bags.status == 0 && bags.line.count == 26, "\(bags.err)")
        let adjusted = try lotbox("lot", "adjust", lot, "--by", "-2.5 g", "--reason", "moisture-loss", "--note", "dried", "--json")
        #expect(try json(adjusted)["qty"] as? String == "547.5000")
        #expect(try lotbox("lot", "move", lot, "--section", "Vault").status == 0)
        #expect(try lotbox("lot", "void", child.line).out.contains("run again to confirm"))
        #expect(try lotbox("lot", "void", child.line).out.contains("confirmed"))
        let again = try lotbox("lot", "void", child.line)
        #expect(again.status != 0)
        #expect(again.err.contains("already void"))
        let list = try lotbox("lot", "list", "--json")
        let lots = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        #expect(Set(lots.compactMap { $0["id"] as? String }) == [lot, bags.line])
    }

    @Test(arguments: [
        (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "3.5 stone"], "'3.5 stone'", "g, mg, kg, lb, oz, l, ml, fl oz, ea"),
        (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "-3 g"], "'-3 g'", "negative"),
        (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "lots"], "'lots'", "not a number"),
        (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "9999999999999 kg"], "'9999999999999 kg'", "too large"),
        (["lot", "create", "--license", "NOPE", "--product", "Flower", "--qty", "1 g"], "'NOPE'", "not found"),
        (["lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "3 g"], "'3 g'", "count"),
        (["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", "--origin", "stolen"], "'stolen'", "created, received or imported"),
        (["lot", "adjust", "NOPE", "--to", "1 g", "--reason", "audit", "--note", "x"], "'NOPE'", "not found"),
        (["lot", "adjust", "NOPE", "--to", "1 g", "--reason", "because", "--note", "x"], "'because'", "audit, theft"),
        (["license", "add", "X", "--type", "wizard"], "'wizard'", "grower"),
        (["product", "add", "X", "--type", "Flower/Dry", "--package", "crate"], "'crate'", "bulk, each or pack"),
        (["product", "add", "X", "--type", "Widgets"], "'Widgets'", "product type"),
        (["import", "/no/such/file.json"], "/no/such/file.json", "does not exist"),
        (["export", "--since", "99999"], "99999", "cursor"),
        (["lot", "convert", "--from", "nonsense", "--product", "Eighth", "--qty", "1"], "'nonsense'", "LOT=QTY"),
    ])
    func badInputIsOneLineNonZeroAndWritesNothing(arguments: [String], value: String, expected: String) throws {
        try setUp()
        let before = try json(try lotbox("status", "--json"))
        let result = try runArguments(arguments)
        #expect(result.status != 0)
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1, "\(result.err)")
        #expect(result.err.hasPrefix("lotbox: "))
        #expect(result.err.contains(value), "\(result.err)")
        #expect(result.err.contains(expected), "\(result.err)")
        #expect(result.out.isEmpty)
        let after = try json(try lotbox("status", "--json"))
        #expect(after["cursor"] as? Int == before["cursor"] as? Int)
        #expect(after["ulid_mark"] as? String == before["ulid_mark"] as? String)
    }

    /// Runs lotbox with `--db` on the command line and no LOTBOX_DB, as a script would.
    func runArguments(_ arguments: [String]) throws -> Result {
        try runProgram(CLITests.binary, arguments + ["--db", db], environment: ["LOTBOX_DB": "/nonexistent/store.sqlite"])
    }

    @Test func storeOptionsWorkBeforeTheSubcommandToo() throws {
        try setUp()
        let lot = try lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g").line
        let listed = try runProgram(CLITests.binary, ["--db", db, "--json", "lot", "list"], environment: ["LOTBOX_DB": "/nonexistent"])
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.out.contains(lot))
        let folder = try runProgram(CLITests.binary, ["--db", self.folder, "lot", "list"])
        #expect(folder.status != 0)
        #expect(folder.err == "lotbox: \(self.folder) is not a lotbox store: it is a folder; expected the store's file, e.g. \(self.folder)/lotbox.sqlite\n")
    }

    @Test func missingStoreIsAClearError() throws {
        let result = try lotbox("lot", "list")
        #expect(result.status != 0)
        #expect(result.err == "lotbox: no lot store at \(db); create one with `lotbox init` or pick another with --db / LOTBOX_DB\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func exportImportAndBackupThroughFiles() throws {
        try setUp()
        let lot = try lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "12.5 g").line
        let exportFile = folder + "/export.json"
        #expect(try lotbox("export", "-o", exportFile).status == 0)
        let otherDB = folder + "/other.sqlite"
        #expect(try lotbox("init", environment: ["LOTBOX_DB": otherDB]).status == 0)
        let imported = try lotbox("import", exportFile, environment: ["LOTBOX_DB": otherDB])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("1 inventory"))
        let copy = try json(try lotbox("lot", "show", lot, "--json", environment: ["LOTBOX_DB": otherDB]))
        #expect(copy["qty"] as? String == "12.5000")
        #expect(copy["origin"] as? String == "imported")
        let backupFile = folder + "/backup.sqlite"
        #expect(try lotbox("backup", backupFile).status == 0)
        let twice = try lotbox("backup", backupFile)
        #expect(twice.status != 0 && twice.err.contains("already exists"))
        #expect(try lotbox("lot", "show", lot, "--json", environment: ["LOTBOX_DB": backupFile]).status == 0)
    }

    @Test func aClockBehindTheStoredMarkIsReportedLoudlyAndIssuingGoesOn() throws {
        try setUp()
        // The newest ID this store issued is from 2039: the clock must have been set back since.
        let result = try runProgram("/usr/bin/sqlite3", [db, "UPDATE lotbox_meta SET value = '01ZZZZZZZZ0000000000000000' WHERE key = 'ulid_mark'"])
        #expect(result.status == 0)
        let status = try lotbox("status")
        #expect(status.out.contains("clock: WRONG: clock "))
        #expect(status.out.contains("behind the newest issued ID (2039-09-07T15:47:35.551Z)"))
        #expect(try json(try lotbox("status", "--json"))["clock_ok"] as? Bool == false)
        let created = try lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g")
        #expect(created.status == 0)
        #expect(created.line > "01ZZZZZZZZ0000000000000000")
        let warnings = created.err.split(separator: "\n").filter { $0.contains("critical") && $0.contains("wall clock is wrong") }
        #expect(warnings.count == 1, "\(created.err)")
    }

    @Test func demoRunsEndToEnd() throws {
        let result = try lotbox("demo", "--db", folder + "/demo.sqlite")
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("every lot's qty equals its ledger sum"))
        let labels = result.out.split(separator: "\n").filter { $0.contains("-> label ") }.map { String($0.split(separator: " ").last ?? "") }
        #expect(labels.count == 3)
        for file in labels {
            let lot = String(file.split(separator: "-").last?.dropLast(4) ?? "")
            #expect(try RealDecoder.zxing(file).map(\.text) == [lot, lot], "\(file)")
        }
    }
}
