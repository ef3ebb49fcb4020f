import Foundation
import LotboxTestSupport
import Testing

/// The OpenTHC API end to end: a store made with the CLI, the server's keys from `lotbox api keygen`, a real
/// `lotbox serve` on a loopback port, and an independent client (Tests/api: Python, PyNaCl) driving it over HTTP.
/// Each scenario script prints one line per failed check and exits 0 only when all passed.
@Suite(.serialized, .timeLimit(.minutes(5))) struct APIServeTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("api").path

    /// A store with two companies, each with a license and a contact; the server's key pair; two client key
    /// pairs made by the Python client, each allowed for its own service, and the server's own key allowed for a
    /// third; a config with an [api] section on a free loopback port; and the fixture file the scripts read.
    struct Setup: Sendable {
        let cli: CLITests
        let config: String
        let fixture: String
        let port: Int
    }

    func setUp() throws -> Setup {
        let cli = try CLITests()
        let initialised = try cli.lotbox("init", "--time-zone", "America/Los_Angeles")
        try #require(initialised.status == 0, "\(initialised.err)")
        var identities: [[String: String]] = []
        for (name, code) in [("Alpha Growers", "G-100001"), ("Beta Retail", "R-200002")] {
            let company = try cli.lotbox("company", "add", name + " Inc")
            try #require(company.status == 0 && !company.line.isEmpty, "company add: \(company.err)")
            let license = try cli.lotbox("license", "add", name, "--code", code, "--type", "grower", "--company", company.line)
            try #require(license.status == 0 && !license.line.isEmpty, "license add: \(license.err)")
            let contact = try cli.lotbox("contact", "add", name + " Owner", "--company", company.line)
            try #require(contact.status == 0 && !contact.line.isEmpty, "contact add: \(contact.err)")
            identities.append(["company": company.line, "license": license.line, "contact": contact.line])
        }

        // License A's own section, variety and products, for the lot scenarios (made here, not over the API, so a
        // fault in those routes does not hide the lots' own).
        let licenseA = identities[0]["license"] ?? ""
        var objects: [String: String] = [:]
        for (key, arguments) in [("section", ["section", "add", "API Vault", "--license", licenseA]),
                                 ("other_section", ["section", "add", "API Shelf", "--license", licenseA]),
                                 ("b_section", ["section", "add", "API Beta Vault", "--license", identities[1]["license"] ?? ""]),
                                 ("variety", ["variety", "add", "API Haze", "--type", "Hybrid"]),
                                 ("flower", ["product", "add", "API Flower", "--type", "Flower/Dry", "--license", licenseA]),
                                 ("kief", ["product", "add", "API Kief", "--type", "Kief", "--license", licenseA])] {
            let made = try cli.runProgram(CLITests.binary, arguments, environment: ["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"])
            try #require(made.status == 0 && !made.line.isEmpty, "\(arguments.joined(separator: " ")): \(made.err)")
            objects[key] = made.line
        }

        let keyFile = cli.folder + "/server.key"
        let keygen = try cli.lotbox("api", "keygen", "--out", keyFile)
        try #require(keygen.status == 0, "api keygen: \(keygen.err)")
        let server = try Self.keyPair(String(contentsOfFile: keyFile, encoding: .utf8))
        try #require(keygen.line == server.public, "api keygen printed \(keygen.line), the file holds \(server.public)")
        var clients: [[String: String]] = []
        for service in ["SVC-ALPHA", "SVC-BETA"] {
            let made = try runProgram(RealDecoder.python, [Self.scripts + "/v2024.py", "keygen"], deadline: 60)
            try #require(made.status == 0, "v2024.py keygen: \(made.err)")
            let pair = try Self.keyPair(made.out)
            clients.append(["service": service, "public": pair.public, "secret": pair.secret])
        }
        clients.append(["service": "SVC-SELF", "public": server.public, "secret": server.secret])

        let port = try APIServer.freePort()
        let config = cli.folder + "/lotbox.toml"
        var text = """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(keyFile)"

            """
        for client in clients {
            text += "\n[[api.clients]]\nservice = \"\(client["service"] ?? "")\"\nkeys = [\"\(client["public"] ?? "")\"]\n"
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let fixture = cli.folder + "/fixture.json"
        let spec: [String: Any] = ["base_url": "http://127.0.0.1:\(port)", "server_public": server.public,
                                   "clients": clients, "identities": identities, "objects": objects]
        try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: fixture))
        return Setup(cli: cli, config: config, fixture: fixture, port: port)
    }

    /// The two lines `public X` / `secret Y` of a key file (the server's and the Python client's alike).
    static func keyPair(_ text: String) throws -> (public: String, secret: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        let pair = (public: fields["public"] ?? "", secret: fields["secret"] ?? "")
        guard pair.public.count == 43, pair.secret.count == 43 else {
            throw APIServer.Failure(description: "not a key pair of two 43-character keys: \(text)")
        }
        return pair
    }

    func runScript(_ name: String, _ setup: Setup, _ arguments: [String] = [],
                   environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(RealDecoder.python, [Self.scripts + "/" + name, setup.fixture] + arguments,
                       environment: ["PYTHONDONTWRITEBYTECODE": "1"].merging(environment) { $1 }, deadline: 180)
    }

    func startServer(_ setup: Setup, environment: [String: String] = [:]) throws -> APIServer {
        let server = try APIServer.start(config: setup.config, folder: setup.cli.folder, port: setup.port,
                                         environment: environment)
        guard server.waitUntilHealthy(seconds: 30) else {
            server.stop(seconds: 5)
            throw APIServer.Failure(description: "GET /health did not answer 200 ok within 30 s:\n\(server.output.suffix(3000))")
        }
        return server
    }

    /// Runs one phase of a script against a server started for it, then stops the server with SIGTERM.
    /// The waiting happens off the shared pool (`offPool`): these phases take minutes.
    func phase(_ setup: Setup, _ script: String, _ arguments: [String], clockAhead seconds: Int = 0) async throws {
        let faked = seconds == 0 ? [:] : [
            "LD_PRELOAD": TimeZoneCLITests.libfaketime, "FAKETIME": "+\(seconds)", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        ]
        let outcome = try await offPool { [self] () throws -> (result: (status: Int32, out: String, err: String), stopped: Bool, exit: Int32, log: String) in
            let server = try startServer(setup, environment: faked)
            let result: (status: Int32, out: String, err: String)
            do {
                result = try runScript(script, setup, arguments, environment: ["LOTBOX_API_CLOCK_OFFSET": "\(seconds)"])
            } catch {
                server.stop(seconds: 5)
                throw error
            }
            // Under libfaketime with an offset of hours (not of 2 h or less) serve does not act on SIGTERM at all: no
            // "stopping" line, the main thread in libdispatch's sigsuspend. The clean stop is checked on the real clock.
            let stopped = server.stop(seconds: seconds == 0 ? 20 : 5)
            return (result, stopped, server.process.isRunning ? -1 : server.process.terminationStatus, String(server.output.suffix(2000)))
        }
        let result = outcome.result
        #expect(result.status == 0, "\(script) \(arguments.joined(separator: " ")) exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(outcome.log)")
        guard seconds == 0 else { return }
        #expect(outcome.stopped, "serve did not exit within 20 s of SIGTERM:\n\(outcome.log)")
        #expect(outcome.exit == 0, "serve exited \(outcome.exit):\n\(outcome.log)")
    }

    @Test(arguments: ["test_auth.py", "test_objects.py", "test_inventory.py", "test_lifecycle.py", "test_limits.py", "test_trade_gaps.py"])
    func theIndependentClientPasses(_ script: String) async throws {
        try await phase(try setUp(), script, [])
    }

    /// Sessions are kept in the store, so they outlive the daemon; a box used before a restart is still refused,
    /// and a session shut before it stays shut.
    @Test func sessionsAndUsedBoxesSurviveARestart() async throws {
        let setup = try setUp()
        let state = setup.cli.folder + "/restart-state.json"
        try await phase(setup, "test_restart.py", ["before", state])
        try await phase(setup, "test_restart.py", ["after", state])
    }

    /// A session lasts 6 hours (expires_in 21600): the daemon restarted under libfaketime at 5 h 58 min still
    /// takes it, at 6 h 2 min refuses it and opens a fresh one.
    @Test func aSessionExpiresAfterSixHours() async throws {
        let setup = try setUp()
        let state = setup.cli.folder + "/expiry-state.json"
        try await phase(setup, "test_restart.py", ["before", state])
        try await phase(setup, "test_restart.py", ["alive", state], clockAhead: 6 * 3600 - 120)
        try await phase(setup, "test_restart.py", ["expired", state], clockAhead: 6 * 3600 + 120)
    }
}
