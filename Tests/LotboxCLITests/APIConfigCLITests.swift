import Foundation
import LotboxTestSupport
import Testing

/// The API's keys and its `[api]` table fail closed: a key file is made 0600 and never
/// replaced; `config check` and `serve` refuse (exit 78, one line naming the key) an unknown key,
/// a bad listen address, a client key that is not one, and a key file others can read.
@Suite(.serialized, .timeLimit(.minutes(5))) struct APIConfigCLITests {
    func write(_ cli: CLITests, _ api: String) throws -> String {
        let path = cli.folder + "/lotbox-\(UUID().uuidString).toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(ServeFaultTests.templates)\"\nscanner_directory = \"\(cli.folder)/no-udev\"\n\(api)"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func keygenWritesAPrivateFileOnceAndPrintsItsPublicKey() throws {
        let cli = try CLITests()
        let key = cli.folder + "/api.key"
        let made = try cli.lotbox("api", "keygen", "--out", key)
        #expect(made.status == 0, "\(made.err)")
        #expect(made.line.count == 43 && made.line.nonEmptyAllSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "\(made.line)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber).intValue
        #expect(mode == 0o600, "mode \(String(mode, radix: 8))")
        let text = try String(contentsOfFile: key, encoding: .utf8)
        #expect(text.hasPrefix("public \(made.line)\nsecret "), "\(text.prefix(60))")
        let again = try cli.lotbox("api", "keygen", "--out", key)
        #expect(again.status != 0)
        #expect(try String(contentsOfFile: key, encoding: .utf8) == text, "an existing key file was replaced")
    }

    @Test func aBadAPITableIsRefusedByCheckAndServeWithExit78() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "UTC").status == 0)
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        let readable = cli.folder + "/readable.key"
        try FileManager.default.copyItem(atPath: key, toPath: readable)
        chmod(readable, 0o644)
        let cases: [(String, String)] = [
            ("[api]\nlisten = \"127.0.0.1:8080\"\nkey = \"\(key)\"\nlisen = \"x\"\n", "lisen"),
            ("[api]\nlisten = \"127.0.0.1\"\nkey = \"\(key)\"\n", "api.listen '127.0.0.1' is not host:port"),
            ("[api]\nlisten = \"127.0.0.1:8080\"\n", "api.key is missing"),
            ("[api]\nkey = \"\(key)\"\n[[api.clients]]\nservice = \"pos\"\nkeys = [\"not-a-key\"]\n", "'not-a-key' is not a public key"),
            ("[api]\nkey = \"\(readable)\"\n", "mode 644; expected 600"),
            ("[api]\nkey = \"\(cli.folder)/missing.key\"\n", "lotbox api keygen"),
        ]
        for (body, expected) in cases {
            let config = try write(cli, body)
            let check = try cli.lotbox("config", "check", "--config", config)
            #expect(check.status == 78, "\(expected): status \(check.status)")
            #expect((check.out + check.err).contains(expected), "\(expected): \(check.out) \(check.err)")
            let serve = try cli.runProgram(CLITests.binary, ["serve", "--config", config], environment: ["LOTBOX_ACTOR": "tester"])
            #expect(serve.status == 78, "serve with \(expected): status \(serve.status) \(serve.err)")
            #expect(serve.err.contains(expected), "serve with \(expected): \(serve.err)")
        }
    }

    /// Plain HTTP where other machines reach it: `config check` warns (it still passes, a TLS
    /// proxy may be in front); on loopback or with TLS it says nothing.
    @Test func plainHTTPOnTheNetworkIsAWarning() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "UTC").status == 0)
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        for (listen, warns) in [("0.0.0.0:18081", true), ("192.168.1.20:8080", true), ("127.0.0.1:8080", false), ("localhost:8080", false)] {
            let check = try cli.lotbox("config", "check", "--config", try write(cli, "[api]\nlisten = \"\(listen)\"\nkey = \"\(key)\"\n"))
            #expect(check.status == 0, "\(listen): \(check.err)")
            let line = check.out.split(separator: "\n").first { $0.hasPrefix("warning: the API listens on") }
            #expect((line != nil) == warns, "\(listen): \(check.out)")
            if warns { #expect(line?.contains("without TLS") == true && line?.contains("lotbox api cert") == true) }
        }
    }
}
