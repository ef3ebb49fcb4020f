import Foundation
import LotboxTestSupport
import Testing

/// `[upstream]` fails closed: `config check` and `serve` refuse (exit 78, one line naming the key) every bad value
/// in it and what it names (the key file, the pinned certificate, the local licenses); `upstream keygen` makes a
/// 0600 key once and never replaces it.
@Suite(.serialized, .timeLimit(.minutes(5))) struct UpstreamConfigCLITests {
    func write(_ cli: CLITests, _ body: String) throws -> String {
        let path = cli.folder + "/lotbox-\(UUID().uuidString).toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(ServeFaultTests.templates)\"\nscanner_directory = \"\(cli.folder)/no-udev\"\n\(body)"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func keygenWritesAPrivateFileOnceAndPrintsItsPublicKey() throws {
        let cli = try CLITests()
        let key = cli.folder + "/upstream.key"
        let made = try cli.lotbox("upstream", "keygen", "--out", key)
        #expect(made.status == 0, "\(made.err)")
        #expect(made.line.count == 43, "\(made.line)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber).intValue
        #expect(mode == 0o600, "mode \(String(mode, radix: 8))")
        let text = try String(contentsOfFile: key, encoding: .utf8)
        let again = try cli.lotbox("upstream", "keygen", "--out", key)
        #expect(again.status == 73, "\(again.status)")
        #expect(again.err.contains(key) && again.err.split(separator: "\n").count == 1, "\(again.err)")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == text, "an existing key file was replaced")
    }

    @Test func aBadUpstreamTableIsRefusedByCheckAndServeWithExit78() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "UTC").status == 0)
        #expect(try cli.lotbox("license", "add", "Green Acres", "--code", "G-1", "--type", "grower").status == 0)
        let key = cli.folder + "/upstream.key"
        #expect(try cli.lotbox("upstream", "keygen", "--out", key).status == 0)
        let serverKey = try cli.lotbox("upstream", "keygen", "--out", cli.folder + "/other.key").line
        let readable = cli.folder + "/readable.key"
        try FileManager.default.copyItem(atPath: key, toPath: readable)
        chmod(readable, 0o644)
        let notPEM = cli.folder + "/not.pem"
        try "not a certificate\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
        func table(origin: String = "http://127.0.0.1:9", keyFile: String = key, server: String = serverKey, extra: String = "",
                   local: String = "G-1") -> String {
            """
            [upstream]
            origin = "\(origin)"
            service_id = "shop-1"
            client_key_file = "\(keyFile)"
            server_public_key = "\(server)"
            \(extra)

            [[upstream.licenses]]
            local = "\(local)"
            company_id = "C1"
            license_id = "L1"
            contact_id = "P1"
            """
        }
        let good = try write(cli, table())
        let check = try cli.lotbox("config", "check", "--config", good)
        #expect(check.status == 0, "\(check.out) \(check.err)")
        let cases: [(String, String)] = [
            (table(extra: "orign = \"x\""), "orign"),
            (table(origin: "ftp://head-office"), "upstream.origin 'ftp://head-office' is not an http:// or https:// URL"),
            (table(origin: "https://box:s3cret-pw@head-office.example:8443"), "upstream.origin names a user or password; expected only the upstream's URL (https://head-office.example:8443)"),
            (table(server: "short"), "upstream.server_public_key 'short' is not a public key"),
            (table(extra: "kinds = [\"lot\", \"plants\"]"), "upstream.kinds 'plants' is not one of"),
            (table(extra: "ca_file = \"\(notPEM)\""), "upstream.ca_file is for an https:// origin"),
            (table(origin: "https://127.0.0.1:9", extra: "ca_file = \"\(notPEM)\""), "upstream.ca_file \(notPEM)"),
            (table(extra: "timeout_seconds = 0"), "upstream.timeout_seconds 0 is not between 1 and 300"),
            (table(keyFile: readable), "mode 644; expected 600"),
            (table(keyFile: cli.folder + "/missing.key"), "lotbox upstream keygen"),
            (table(local: "G-404"), "upstream.licenses[0] local 'G-404'"),
            ("[upstream]\norigin = \"http://127.0.0.1:9\"\nservice_id = \"s\"\nclient_key_file = \"\(key)\"\nserver_public_key = \"\(serverKey)\"\n",
             "upstream has no [[upstream.licenses]]"),
        ]
        for (body, expected) in cases {
            let config = try write(cli, body)
            let check = try cli.lotbox("config", "check", "--config", config)
            #expect(check.status == 78, "\(expected): status \(check.status)")
            #expect((check.out + check.err).contains(expected), "\(expected): \(check.out) \(check.err)")
            #expect(!(check.out + check.err).contains("s3cret-pw"), "a password in the origin was echoed: \(check.err)")
            let serve = try cli.runProgram(CLITests.binary, ["serve", "--config", config], environment: ["LOTBOX_ACTOR": "tester"])
            #expect(serve.status == 78, "serve with \(expected): status \(serve.status) \(serve.err)")
        }
        // Nothing was written: no serve got far enough to turn the outbox on.
        let status = try cli.json(try cli.lotbox("upstream", "status", "--json"))
        #expect(status["enabled"] as? Bool == false)
    }
}
