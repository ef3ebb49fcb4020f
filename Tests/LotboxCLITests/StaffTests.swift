import Foundation
import LotboxTestSupport
import Testing

/// Staff who sign in at the screens: `lotbox employee` keeps only an Argon2id hash of the PIN
/// (read from standard input, never the command line), and a real `lotbox serve` signs them in
/// with a cookie and a CSRF token, locks wrong PINs and refuses a budtender's void
/// (Tests/api/test_staff.py, an independent Python client).
@Suite(.serialized, .timeLimit(.minutes(5))) struct StaffTests {
    @Test func employeesKeepOnlyAHashOfTheirPinAndBadInputWritesNothing() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "America/Denver").status == 0)
        let license = try cli.lotbox("license", "add", "Counter Shop", "--code", "R-300003", "--type", "retail")
        try #require(license.status == 0, "\(license.err)")
        let added = try cli.lotbox("employee", "add", "Riley Budtender", "--license", "R-300003", "--role", "budtender", input: "482916\n")
        try #require(added.status == 0 && added.line.count == 26, "\(added.err)")
        let listed = try cli.lotbox("employee", "list", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 1 && rows.first?["role"] as? String == "budtender" && rows.first?["id"] as? String == added.line, "\(listed.out)")

        // Bad input: one line, its own exit status, and nothing written.
        let counts = "SELECT (SELECT count(*) FROM contact), (SELECT count(*) FROM employee), (SELECT count(*) FROM audit_log)"
        let before = try runProgram("/usr/bin/sqlite3", [cli.db, counts], deadline: 30).out
        let short = try cli.lotbox("employee", "add", "Sam", "--license", "R-300003", "--role", "budtender", input: "12\n")
        #expect(short.status == 1 && short.err.contains("not 4 to 12 digits") && short.err.split(separator: "\n").count == 1, "\(short)")
        let none = try cli.lotbox("employee", "add", "Sam", "--license", "R-300003", "--role", "budtender", input: "")
        #expect(none.status == 64 && none.err.contains("no PIN or password on standard input"), "\(none)")
        // Staff sign in by name: a second employee of the same name (in any case) is refused.
        let same = try cli.lotbox("employee", "add", "riley budtender", "--license", "R-300003", "--role", "budtender", input: "482916\n")
        #expect(same.status == 1 && same.err.contains("an employee named 'riley budtender' already exists"), "\(same)")
        let role = try cli.lotbox("employee", "add", "Sam", "--license", "R-300003", "--role", "cashier", input: "482916\n")
        #expect(role.status != 0 && role.err.contains("'cashier'") && role.err.contains("budtender, receiver, manager, admin"), "\(role)")
        let nothing = try cli.lotbox("employee", "set", "Riley Budtender")
        #expect(nothing.status == 64 && nothing.err.contains("nothing to change"), "\(nothing)")
        let twice = try cli.lotbox("employee", "add", "--contact", added.line, "--license", "R-300003", "--role", "manager", input: "482916\n")
        #expect(twice.status != 0 && twice.err.contains("already an employee"), "\(twice)")
        #expect(try runProgram("/usr/bin/sqlite3", [cli.db, counts], deadline: 30).out == before, "a refused command wrote to the store")

        let promoted = try cli.lotbox("employee", "set", "Riley Budtender", "--role", "manager", "--new-pin", input: "77331199\n")
        #expect(promoted.status == 0 && promoted.out.contains("manager"), "\(promoted)")
        // The store holds the hashes, never the PINs, in any file of it.
        let hashes = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT secret_hash FROM employee"], deadline: 30)
        #expect(hashes.out.hasPrefix("$argon2id$"), "\(hashes.out)")
        for file in [cli.db, cli.db + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            #expect(!bytes.contains("482916") && !bytes.contains("77331199"), "a PIN is in \(file)")
        }
        let unlocked = try cli.lotbox("employee", "unlock", "Riley Budtender")
        #expect(unlocked.status == 0 && unlocked.out.contains("unlocked Riley Budtender"), "\(unlocked)")
    }

    @Test func aScreenSignsInWithACookieAndACsrfTokenAndWrongPinsLock() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        let licenseA = "G-100001"  // license A of APIServeTests' setup
        var staff: [String: Any] = ["idle_seconds": 8, "lock_after": 3, "lock_seconds": 2]
        for (key, name, role, pin) in [("budtender", "Riley Counter", "budtender", "482916"), ("manager", "Morgan Office", "manager", "90817263")] {
            let made = try cli.lotbox("employee", "add", name, "--license", licenseA, "--role", role, input: pin + "\n")
            try #require(made.status == 0, "\(made.err)")
            staff[key] = ["name": name, "pin": pin, "id": made.line]
        }
        try (String(contentsOfFile: setup.config, encoding: .utf8) + """

            [api.staff]
            idle_seconds = 8
            lock_after = 3
            lock_seconds = 2
            lock_max_seconds = 60

            """).write(toFile: setup.config, atomically: true, encoding: .utf8)
        let staffFile = cli.folder + "/staff.json", outFile = cli.folder + "/staff-out.json"
        try JSONSerialization.data(withJSONObject: staff).write(to: URL(fileURLWithPath: staffFile))
        try await serve.phase(setup, "test_staff.py", [staffFile, outFile])

        // The lot the budtender made names them in its ledger: the screen's employee is the actor.
        let out = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outFile))) as? [String: Any]
        let lot = try #require(out?["lot"] as? String)
        let budtender = (staff["budtender"] as? [String: String])?["id"] ?? ""
        let shown = try cli.lotbox("lot", "show", lot, "--json")
        #expect(shown.out.contains("contact:\(budtender)"), "the ledger of \(lot) does not name the budtender:\n\(shown.out)")
    }
}
