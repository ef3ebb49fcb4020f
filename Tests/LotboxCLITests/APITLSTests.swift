import Foundation
import LotboxTestSupport
import Testing

/// TLS for the API (issue #12): `lotbox api cert` makes a self-signed certificate and its key, a real `lotbox serve`
/// answers HTTPS with them, and an independent client (Tests/api/test_tls.py, Python's ssl on OpenSSL) trusts that
/// certificate as its CA with the host name checked. The openssl command line reads what `api cert` wrote.
@Suite(.serialized, .timeLimit(.minutes(6))) struct APITLSTests {
    static let openssl = "/usr/bin/openssl"

    /// `lotbox api cert --out PATH` and more arguments.
    func cert(_ cli: CLITests, _ path: String, _ arguments: [String] = []) throws -> CLITests.Result {
        try cli.runProgram(CLITests.binary, ["api", "cert", "--out", path] + arguments, environment: ["LOTBOX_ACTOR": "tester"])
    }

    /// `lotbox api cert` with every value given; its single stdout line is the fingerprint.
    func makeCertificate(_ cli: CLITests, _ path: String, hosts: [String], days: Int) throws -> String {
        let made = try cert(cli, path, ["--days", "\(days)"] + hosts.flatMap { ["--host", $0] })
        try #require(made.status == 0, "api cert --out \(path): \(made.err)")
        return made.line
    }

    @Test func serveAnswersHTTPSWithTheCertificateOfAPICert() throws {
        let setup = try APIServeTests().setUp()
        let cli = setup.cli
        let certificate = cli.folder + "/api.crt", other = cli.folder + "/other.crt"
        let hosts = ["localhost", "127.0.0.1", "::1", "box.shop.lan"]
        let fingerprint = try makeCertificate(cli, certificate, hosts: hosts, days: 30)
        _ = try makeCertificate(cli, other, hosts: ["localhost"], days: 30)

        let keyLine = "key = \"\(cli.folder)/server.key\"\n"
        let plain = try String(contentsOfFile: setup.config, encoding: .utf8)
        try #require(plain.contains(keyLine), "the [api] table of \(setup.config) has no \(keyLine)")
        try plain.replacingOccurrences(of: keyLine, with: keyLine + "tls_certificate = \"\(certificate)\"\ntls_key = \"\(certificate).key\"\n")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        #expect(checked.status == 0, "config check with the certificate of api cert: \(checked.out) \(checked.err)")

        var fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.fixture))) as? [String: Any])
        fixture["base_url"] = "https://localhost:\(setup.port)"
        fixture["ca_file"] = certificate
        fixture["wrong_ca_file"] = other
        fixture["fingerprint"] = fingerprint
        fixture["hosts"] = hosts
        fixture["days"] = 30
        try JSONSerialization.data(withJSONObject: fixture, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: setup.fixture))

        // test_tls.py waits for /health over TLS itself: the plain-HTTP poll of APIServer cannot reach it. Then
        // test_objects.py, unchanged, drives the object routes (writes and reads) through the verified TLS client.
        let server = try APIServer.start(config: setup.config, folder: cli.folder, port: setup.port)
        defer { server.stop(seconds: 5) }
        for script in ["test_tls.py", "test_objects.py"] {
            let result = try APIServeTests().runScript(script, setup)
            #expect(result.status == 0, "\(script) over TLS exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(server.output.suffix(2000))")
        }
        #expect(server.output.contains("the API listens on https://127.0.0.1:\(setup.port) (certificate SHA-256 \(fingerprint))"),
                "serve's log does not name the https address and the fingerprint \(fingerprint):\n\(server.output.suffix(2000))")
        #expect(server.stop(seconds: 20), "serve did not exit within 20 s of SIGTERM:\n\(server.output.suffix(2000))")
        #expect(server.process.terminationStatus == 0, "serve exited \(server.process.terminationStatus):\n\(server.output.suffix(2000))")
    }

    /// The files as openssl reads them: a P-256 key only its owner can read, a certificate anyone can, signed by that
    /// key for the hosts and days asked, and the fingerprint printed is the certificate's. With no --host, the
    /// machine's hostname, localhost and 127.0.0.1. The modes hold whatever the umask.
    @Test func certWritesAP256CertificateAndAPrivateKey() throws {
        let cli = try CLITests()
        let path = cli.folder + "/api.crt"
        let made = try cli.runProgram("/bin/sh", ["-c", "umask 077 && exec \"$0\" api cert --out \"$1\" --days 10", CLITests.binary, path])
        #expect(made.status == 0, "\(made.err)")
        let hexPairs = made.line.split(separator: ":")
        #expect(hexPairs.count == 32 && hexPairs.nonEmptyAllSatisfy { $0.count == 2 && $0.nonEmptyAllSatisfy(\.isHexDigit) }, "fingerprint: \(made.out)")
        #expect(made.err.isEmpty, "\(made.err)")
        let modes = try [path, path + ".key"].map { try #require(FileManager.default.attributesOfItem(atPath: $0)[.posixPermissions] as? NSNumber).intValue }
        #expect(modes == [0o644, 0o600], "modes \(modes.map { String($0, radix: 8) })")

        let fingerprint = try cli.runProgram(Self.openssl, ["x509", "-in", path, "-noout", "-fingerprint", "-sha256"])
        #expect(fingerprint.line == "sha256 Fingerprint=\(made.line)", "openssl: \(fingerprint.out) \(fingerprint.err)")
        let text = try cli.runProgram(Self.openssl, ["x509", "-in", path, "-noout", "-text"])
        #expect(text.status == 0, "\(text.err)")
        var name = [CChar](repeating: 0, count: 256)
        let size = name.count - 1
        #expect(gethostname(&name, size) == 0)
        let hostname = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
        for expected in ["DNS:\(hostname)", "DNS:localhost", "IP Address:127.0.0.1", "ASN1 OID: prime256v1",
                         "Signature Algorithm: ecdsa-with-SHA256", "CA:FALSE", "TLS Web Server Authentication"] {
            #expect(text.out.contains(expected), "the certificate has no \(expected):\n\(text.out)")
        }
        let dates = try cli.runProgram(Self.openssl, ["x509", "-in", path, "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"])
        let times = dates.out.split(separator: "\n").compactMap { line in
            line.split(separator: "=", maxSplits: 1).last.flatMap { ISO8601DateFormatter().date(from: String($0).replacingOccurrences(of: " ", with: "T")) }
        }
        #expect(times.count == 2 && abs(times[1].timeIntervalSince(times[0]) - 10 * 86400) < 2 && abs(times[0].timeIntervalSinceNow) < 600,
                "validity: \(dates.out) \(dates.err)")
        let key = try cli.runProgram(Self.openssl, ["pkey", "-in", path + ".key", "-noout", "-text"])
        #expect(key.status == 0 && key.out.contains("prime256v1"), "\(key.out.prefix(200)) \(key.err)")
        let keyPublic = try cli.runProgram(Self.openssl, ["pkey", "-in", path + ".key", "-pubout"])
        let certificatePublic = try cli.runProgram(Self.openssl, ["x509", "-in", path, "-noout", "-pubkey"])
        #expect(!keyPublic.out.isEmpty && keyPublic.out == certificatePublic.out, "the key is not the certificate's")
        let verified = try cli.runProgram(Self.openssl, ["verify", "-CAfile", path, "-purpose", "sslserver", path])
        #expect(verified.status == 0, "openssl verify against itself: \(verified.out) \(verified.err)")
    }

    /// Bad values and existing files: one line naming what was wrong, a non-zero exit, and no file written or changed.
    @Test func certRefusesBadValuesAndNeverReplacesAFile() throws {
        let cli = try CLITests()
        let path = cli.folder + "/api.crt"
        let cases: [([String], Int32, String)] = [
            (["--days", "0"], 64, "--days 0 is out of range; expected 1 to 3650"),
            (["--days", "3651"], 64, "--days 3651 is out of range; expected 1 to 3650"),
            (["--days", "soon"], 64, "soon"),
            (["--host", "box.lan,DNS:bank.example"], 64, "--host 'box.lan,DNS:bank.example' is not a DNS name or an IP address"),
            (["--host", "box.lan", "--host", ""], 64, "--host '' is not a DNS name or an IP address"),
            (["--host=-box.lan"], 64, "--host '-box.lan' is not a DNS name"),
        ]
        for (arguments, status, expected) in cases {
            let refused = try cert(cli, path, arguments)
            #expect(refused.status == status, "\(arguments): status \(refused.status) \(refused.err)")
            #expect(refused.err.contains(expected) && refused.err.split(separator: "\n").count == 1, "\(arguments): \(refused.err)")
            #expect(refused.out.isEmpty, "\(arguments): \(refused.out)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).isEmpty, "a refused api cert wrote a file")

        let missingFolder = try cert(cli, cli.folder + "/no-such-folder/api.crt")
        #expect(missingFolder.status == 73 && missingFolder.err.contains("cannot create \(cli.folder)/no-such-folder/api.crt.key"),
                "\(missingFolder.status) \(missingFolder.err)")

        _ = try makeCertificate(cli, path, hosts: ["localhost"], days: 5)
        let before = try [path, path + ".key"].map { try String(contentsOfFile: $0, encoding: .utf8) }
        let again = try cert(cli, path)
        #expect(again.status == 73 && again.err.contains("\(path) exists") && again.err.split(separator: "\n").count == 1, "\(again.status) \(again.err)")
        #expect(try [path, path + ".key"].map { try String(contentsOfFile: $0, encoding: .utf8) } == before, "an existing file was replaced")

        // Only the key is there (a certificate removed by hand): still refused, and no certificate written beside it.
        let lone = cli.folder + "/lone.crt"
        try "not a key\n".write(toFile: lone + ".key", atomically: true, encoding: .utf8)
        let loneKey = try cert(cli, lone)
        #expect(loneKey.status == 73 && loneKey.err.contains("\(lone).key exists"), "\(loneKey.status) \(loneKey.err)")
        #expect(!FileManager.default.fileExists(atPath: lone), "api cert wrote \(lone) beside a key it did not make")
        #expect(try String(contentsOfFile: lone + ".key", encoding: .utf8) == "not a key\n")
    }

    /// TLS files the API cannot serve with stop `config check` and `serve` (exit 78) with one line naming the config
    /// key and the file: missing, a key others can read, not a certificate, an encrypted key, a key of another pair.
    /// A certificate near or past its end is a warning only.
    @Test func configCheckAndServeRefuseBadTLSFiles() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "UTC").status == 0)
        let apiKey = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", apiKey).status == 0)
        let good = cli.folder + "/good.crt", other = cli.folder + "/other.crt"
        _ = try makeCertificate(cli, good, hosts: ["localhost"], days: 5)
        _ = try makeCertificate(cli, other, hosts: ["localhost"], days: 5)
        let readable = cli.folder + "/readable.key"
        try FileManager.default.copyItem(atPath: good + ".key", toPath: readable)
        #expect(chmod(readable, 0o640) == 0)
        let encrypted = cli.folder + "/encrypted.key"
        let sealed = try cli.runProgram("/bin/sh", ["-c", "umask 077 && exec \"$0\" pkey -in \"$1\" -aes256 -passout pass:hunter2 -out \"$2\"",
                                                    Self.openssl, good + ".key", encrypted])
        #expect(sealed.status == 0, "openssl pkey -aes256: \(sealed.err)")

        let cases: [(certificate: String, key: String, expected: String)] = [
            (cli.folder + "/missing.crt", good + ".key", "api.tls_certificate: cannot read the TLS certificate \(cli.folder)/missing.crt"),
            (good, cli.folder + "/missing.key", "api.tls_key: cannot read the TLS key \(cli.folder)/missing.key"),
            (good, readable, "api.tls_key: the TLS key \(readable) has mode 640; expected 600"),
            (apiKey, good + ".key", "api.tls_certificate: the TLS certificate \(apiKey) holds no PEM certificate"),
            (good, encrypted, "api.tls_key: the TLS key \(encrypted) is not an unencrypted PEM private key"),
            (good, other + ".key", "api.tls_key: the TLS key \(other).key does not belong to the certificate \(good)"),
        ]
        let configs = APIConfigCLITests()
        for (certificate, key, expected) in cases {
            let config = try configs.write(cli, "[api]\nkey = \"\(apiKey)\"\ntls_certificate = \"\(certificate)\"\ntls_key = \"\(key)\"\n")
            let check = try cli.lotbox("config", "check", "--config", config)
            let errors = check.out.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(check.status == 78, "\(expected): status \(check.status) \(check.out)")
            #expect(errors.count == 1 && errors[0].contains(expected), "\(expected): \(check.out) \(check.err)")
            let serve = try cli.runProgram(CLITests.binary, ["serve", "--config", config], environment: ["LOTBOX_ACTOR": "tester"])
            #expect(serve.status == 78, "serve with \(expected): status \(serve.status) \(serve.err)")
            #expect(serve.err.contains(expected) && serve.err.split(separator: "\n").count == 1, "serve with \(expected): \(serve.err)")
        }
        let fine = try configs.write(cli, "[api]\nkey = \"\(apiKey)\"\ntls_certificate = \"\(good)\"\ntls_key = \"\(good).key\"\n")
        let check = try cli.lotbox("config", "check", "--config", fine)
        #expect(check.status == 0 && check.out.contains("ok"), "the good pair: \(check.out) \(check.err)")
        // Made for 5 days: a warning, not an error, before and after its end (libfaketime moves the clock 10 days on).
        let end = try cli.runProgram(Self.openssl, ["x509", "-in", good, "-noout", "-enddate", "-dateopt", "iso_8601"])
        let day = try #require(end.line.split(separator: "=").last.map { String($0.prefix(10)) }, "\(end.out) \(end.err)")
        #expect(check.out.contains("warning: the API's TLS certificate \(good) expires on \(day) (in 5 days)"), "\(check.out)")
        let later = try cli.lotbox("config", "check", "--config", fine,
                                   environment: ["LD_PRELOAD": TimeZoneCLITests.libfaketime, "FAKETIME": "+10d", "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
        #expect(later.status == 0 && later.out.contains("warning: the API's TLS certificate \(good) expired on \(day); clients refuse it"),
                "10 days on: \(later.status) \(later.out) \(later.err)")
    }

    /// A certificate from the shop's own CA (RSA, issued by an intermediate): serve sends the chain of the certificate
    /// file, so a client that trusts only the root verifies it. The same leaf without the intermediate in its file
    /// fails that client: the chain is what made it pass.
    @Test func aCertificateOfTheShopsOwnCAIsServedWithItsChain() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "UTC").status == 0)
        let apiKey = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", apiKey).status == 0)
        let script = """
            set -e
            cd "$1"
            umask 077
            openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -days 5 -subj "/CN=Shop Root"
            openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=Shop Intermediate"
            printf 'basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > int.ext
            openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -out int.crt -days 5 -extfile int.ext
            openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=localhost"
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > leaf.ext
            openssl x509 -req -in leaf.csr -CA int.crt -CAkey int.key -CAcreateserial -out leaf.crt -days 5 -extfile leaf.ext
            cat leaf.crt int.crt > chain.crt
            """
        let made = try cli.runProgram("/bin/sh", ["-c", script, "sh", cli.folder])
        try #require(made.status == 0, "openssl: \(made.err)")

        // A client that trusts the root alone; it waits up to 60 s for serve, then prints the status or the TLS error.
        let client = """
            import http.client, ssl, sys, time
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = http.client.HTTPSConnection("localhost", int(sys.argv[2]), timeout=5,
                                                             context=ssl.create_default_context(cafile=sys.argv[1]))
                    connection.request("GET", "/health")
                    print(connection.getresponse().status)
                    sys.exit(0)
                except ssl.SSLError as error:
                    print("TLS: %s" % error)
                    sys.exit(1)
                except OSError as error:
                    if time.monotonic() > deadline:
                        print("no answer: %s" % error)
                        sys.exit(1)
                    time.sleep(0.2)
            """
        for (certificate, verifies) in [("chain.crt", true), ("leaf.crt", false)] {
            let port = try APIServer.freePort()
            let config = try APIConfigCLITests().write(cli, """
                [api]
                listen = "127.0.0.1:\(port)"
                key = "\(apiKey)"
                tls_certificate = "\(cli.folder)/\(certificate)"
                tls_key = "\(cli.folder)/leaf.key"

                """)
            let check = try cli.lotbox("config", "check", "--config", config)
            #expect(check.status == 0, "config check with \(certificate): \(check.out) \(check.err)")
            let server = try APIServer.start(config: config, folder: cli.folder, port: port)
            defer { server.stop(seconds: 5) }
            let reached = try runProgram(RealDecoder.python, ["-c", client, cli.folder + "/root.crt", "\(port)"], deadline: 90)
            if verifies {
                #expect(reached.status == 0 && reached.out == "200\n", "serving \(certificate): \(reached.out) \(reached.err)\n\(server.output.suffix(1500))")
            } else {
                #expect(reached.status == 1 && reached.out.contains("certificate verify failed: unable to get local issuer certificate"),
                        "serving \(certificate) alone: \(reached.out) \(reached.err)\n\(server.output.suffix(1500))")
            }
            #expect(server.stop(seconds: 20) && server.process.terminationStatus == 0, "serve with \(certificate):\n\(server.output.suffix(1500))")
        }
    }
}
