import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The back office's screens in a real headless Chromium against a real `lotbox serve`: the lot
/// screens and a recall (Tests/api/test_office.py) with a real IPP printer (ippeveprinter) whose
/// printed pages are decoded here, and the printers' screen with the print queue's hold and
/// reprint (Tests/api/test_printers_screen.py) against a real cupsd raw queue stopped and started
/// under it. Their own suite, beside ScreensTests: each test runs a browser for minutes.
@Suite(.serialized, .timeLimit(.minutes(10))) struct OfficeScreensTests {
    static let license = "G-100001"  // license A of APIServeTests' setup

    /// A budtender finds a lot, prints 2 copies of its label (both pages decode to the lot's id),
    /// adjusts, splits and moves it, and voids it with a manager's PIN; then a recall.
    @Test func aBudtenderWorksALotAndAManagerRecallsOne() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        defer { printer.stop() }
        var office = try Self.staff(cli)
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.fixture))) as? [String: Any])
        let objects = try #require(fixture["objects"] as? [String: String])
        let tag = "1A4FF0300000022000000777"
        for arguments in [["product", "add", "Office Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g", "--price", "35", "--license", Self.license],
                          ["product", "add", "Office Gummy", "--type", "Flower/Bagged", "--package", "each", "--unit", "1 g", "--price", "10", "--license", Self.license],
                          ["variety", "add", "Office Haze", "--type", "Hybrid"]] {
            let made = try cli.runProgram(CLITests.binary, arguments, environment: ["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"])
            try #require(made.status == 0, "\(arguments.joined(separator: " ")): \(made.err)")
        }
        let lot = try cli.lotbox("lot", "create", "--license", Self.license, "--product", "Office Eighth", "--variety", "Office Haze",
                                 "--qty", "20", "--section", "API Vault", "--metrc", tag)
        try #require(lot.status == 0 && lot.line.count == 26, "\(lot.err)")
        let other = try cli.lotbox("lot", "create", "--license", Self.license, "--product", "Office Gummy", "--qty", "5", "--section", "API Vault")
        try #require(other.status == 0 && other.line.count == 26, "\(other.err)")
        office.merge(["lot": lot.line, "tag": tag, "product": "Office Eighth", "variety": "Office Haze", "other_lot": other.line, "printer": "labels", "station": "counter",
                      "sections": ["vault": objects["section"] ?? "", "shelf": objects["other_section"] ?? ""]]) { $1 }
        try Self.configure(setup, """

            [[printers]]
            name = "labels"
            uri = "\(printer.uri)"
            template = "lot-2x1"
            dpi = 203
            print_on_create = false

            [[stations]]
            name = "counter"
            kind = "kiosk"
            license = "\(Self.license)"
            age_check = false

            """)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        try await Self.run(serve, setup, "test_office.py", spec: office)

        // The 2 copies the page printed: two pages at the printer, each the lot's label.
        try VirtualLabelPrinter.wait("the printer to receive the copies", seconds: 30) { (try? printer.receivedPages().count) == 2 }
        var decoded: [[String]] = []
        for (index, page) in try printer.receivedPages().enumerated() {
            decoded.append(try RealDecoder.zxing(try RealDecoder.write(page.page, dpi: 203, name: "office-copy-\(index)")).map(\.text))
        }
        #expect(decoded.count == 2 && decoded.nonEmptyAllSatisfy { $0.contains(lot.line) }, "the printed copies decode to \(decoded), not to the lot \(lot.line)")
    }

    /// A manager watches the printers' screen while a real cupsd queue is stopped and started
    /// under a waiting label, and holds, releases and reprints the label on the print queue.
    @Test func aManagerWatchesThePrintersAndWorksTheQueue() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        var spec = try Self.staff(setup.cli)
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.fixture))) as? [String: Any])
        let objects = try #require(fixture["objects"] as? [String: String])
        spec.merge(["printer": "zebra", "product": objects["flower"] ?? ""]) { $1 }
        try Self.configure(setup, """

            [[printers]]
            name = "zebra"
            queue = "Zebra_Raw"
            format = "zpl"
            template = "lot-2x1"

            """)
        // No cups_server in the file: libcups reads CUPS_SERVER, as on a box with its own cupsd.
        try await Self.run(serve, setup, "test_printers_screen.py", spec: spec, arguments: [cups.server, "Zebra_Raw"],
                           environment: ["CUPS_SERVER": cups.server])
        try VirtualLabelPrinter.wait("the label and its reprint at the printer", seconds: 60) { ServeZPLTests.labels(zebra.received) >= 2 }
    }

    /// A budtender voids a paid sale from its page with a manager's PIN (Tests/api/test_sale_void.py):
    /// refused alone, refused with a wrong PIN (which counts toward the manager's lockout with the
    /// sign-in's), then asked for and confirmed; the stock is back on the lot.
    @Test func aBudtenderVoidsASaleWithAManagersPIN() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        var spec = try Self.staff(setup.cli)
        let lockSeconds = 15
        spec["lock_seconds"] = lockSeconds
        try Self.configure(setup, """

            [api.staff]
            lock_after = 2
            lock_seconds = \(lockSeconds)
            lock_max_seconds = 60

            """)
        try await Self.run(serve, setup, "test_sale_void.py", spec: spec)
    }

    /// The scanners' screen and the live scan log against real FIFO scanners (Tests/api/test_scanners_screen.py):
    /// one reading at the kiosk, one whose device is missing until the script makes it; scans by
    /// the reader update "last scan" and the scan log without a reload.
    @Test func theScannersAndTheScanLogFollowTheReadersLive() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        var spec = try Self.staff(cli)
        let product = try cli.lotbox("product", "add", "Scanner Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                     "--price", "35", "--license", Self.license)
        try #require(product.status == 0, "\(product.err)")
        let lot = try cli.lotbox("lot", "create", "--license", Self.license, "--product", "Scanner Eighth", "--qty", "20", "--section", "API Vault")
        try #require(lot.status == 0 && lot.line.count == 26, "\(lot.err)")
        let fifo = cli.folder + "/counter-reader"
        try #require(mkfifo(fifo, 0o600) == 0)
        let missing = cli.folder + "/back-reader"  // made by the script, to see the scanner connect live
        spec.merge(["lot": lot.line, "fifo": fifo, "reader": "counter-reader", "missing": "back-reader", "missing_path": missing,
                    "station": "counter"]) { $1 }
        try Self.configure(setup, """

            [[scanners]]
            name = "counter-reader"
            path = "\(fifo)"
            kind = "stream"
            station = "counter"

            [[scanners]]
            name = "back-reader"
            path = "\(missing)"
            kind = "evdev"
            grab = false
            station = "counter"

            [[stations]]
            name = "counter"
            kind = "kiosk"
            license = "\(Self.license)"
            age_check = false

            """)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        try await Self.run(serve, setup, "test_scanners_screen.py", spec: spec)
    }

    /// The settings screen (Tests/api/test_settings_screen.py): a manager reads the configuration,
    /// and none of its secrets (the API's and the upstream's key pairs, the client keys, the
    /// metrics token, URI passwords) is anywhere in the page; a budtender is refused it.
    @Test func aManagerReadsTheSettingsWithoutTheirSecrets() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        var spec = try Self.staff(cli)
        let upstreamKey = cli.folder + "/upstream.key"
        let made = try cli.lotbox("upstream", "keygen", "--out", upstreamKey)
        try #require(made.status == 0, "\(made.err)")
        let token = cli.folder + "/metrics.token"
        let random = { UUID().uuidString.replacingOccurrences(of: "-", with: "") }
        try (random() + random() + "\n").write(toFile: token, atomically: true, encoding: .utf8)
        try #require(chmod(token, 0o600) == 0)
        let printerPassword = "PrinterPass" + random().prefix(10)
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.fixture))) as? [String: Any])
        let upstreamServer = try #require(fixture["server_public"] as? String)
        let alpha = try #require((fixture["identities"] as? [[String: String]])?.first)
        // The API's key pair, as APIServeTests' setup named it in [api].
        let keyLine = try #require(try String(contentsOfFile: setup.config, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("key = \"") })
        let apiKey = keyLine.dropFirst("key = \"".count).dropLast()
        spec.merge(["key_files": [String(apiKey), upstreamKey], "token_file": token, "passwords": [printerPassword],
                    "printer": "front", "scanner": "counter-reader", "station": "counter", "license": Self.license]) { $1 }
        try Self.configure(setup, """

            [[printers]]
            name = "front"
            uri = "ipp://lotbox:\(printerPassword)@127.0.0.1:9/ipp/print"
            template = "lot-2x1"
            dpi = 203
            print_on_create = false

            [[scanners]]
            name = "counter-reader"
            path = "\(cli.folder)/no-such-reader"
            kind = "stream"
            station = "counter"

            [[stations]]
            name = "counter"
            kind = "kiosk"
            license = "\(Self.license)"
            age_check = false

            [upstream]
            origin = "http://127.0.0.1:9"
            service_id = "SVC-BOX"
            client_key_file = "\(upstreamKey)"
            server_public_key = "\(upstreamServer)"

            [[upstream.licenses]]
            local = "\(alpha["license"] ?? "")"
            company_id = "\(alpha["company"] ?? "")"
            license_id = "\(alpha["license"] ?? "")"
            contact_id = "\(alpha["contact"] ?? "")"

            """)
        // The metrics token belongs to [api]: beside `pages`, which configure() writes first in it.
        let config = try String(contentsOfFile: setup.config, encoding: .utf8)
            .replacingOccurrences(of: "[api]\npages = ", with: "[api]\nmetrics_token_file = \"\(token)\"\npages = ")
        try config.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        try await Self.run(serve, setup, "test_settings_screen.py", spec: spec)
    }

    // MARK: - Shared

    /// A budtender and a manager of license A, with their PINs, for the scripts.
    static func staff(_ cli: CLITests) throws -> [String: Any] {
        var spec: [String: Any] = ["db": cli.db, "screenshots": cli.folder + "/screenshots"]
        for (key, name, role, pin) in [("budtender", "Riley Counter", "budtender", "482916"), ("manager", "Morgan Office", "manager", "90817263")] {
            let made = try cli.lotbox("employee", "add", name, "--license", license, "--role", role, input: pin + "\n")
            try #require(made.status == 0, "\(made.err)")
            spec[key] = ["name": name, "pin": pin, "id": made.line]
        }
        return spec
    }

    /// The API's config with the screens' files of this checkout, no scanners, and `more`.
    static func configure(_ setup: APIServeTests.Setup, _ more: String) throws {
        let original = try String(contentsOfFile: setup.config, encoding: .utf8)
        let api = try #require(original.range(of: "[api]\n"))
        let head = String(original[..<api.lowerBound]) + "scanner_directory = \"\(setup.cli.folder)/no-udev\"\n\n"
        let config = head + "[api]\npages = \"\(ScreensTests.pages)\"\n" + String(original[api.upperBound...]) + more
        try config.write(toFile: setup.config, atomically: true, encoding: .utf8)
    }

    /// Runs one script against a serve started for it, off the shared pool (it takes minutes),
    /// with a deadline of its own: a browser scenario runs longer than an API one.
    static func run(_ serve: APIServeTests, _ setup: APIServeTests.Setup, _ script: String, spec: [String: Any], arguments: [String] = [],
                    environment: [String: String] = [:]) async throws {
        let file = setup.cli.folder + "/" + script + ".json"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: file))
        let outcome = try await offPool { () throws -> (status: Int32, out: String, err: String, stopped: Bool, log: String) in
            let server = try serve.startServer(setup, environment: environment)
            let result: (status: Int32, out: String, err: String)
            do {
                result = try runProgram(RealDecoder.python, [APIServeTests.scripts + "/" + script, setup.fixture, file] + arguments,
                                        environment: ["PYTHONDONTWRITEBYTECODE": "1"], deadline: 420)
            } catch {
                server.stop(seconds: 5)
                throw error
            }
            let stopped = server.stop(seconds: 20)
            return (result.status, result.out, result.err, stopped, String(server.output.suffix(3000)))
        }
        #expect(outcome.status == 0, "\(script) exited \(outcome.status):\n\(outcome.out)\(outcome.err)\nserve's log:\n\(outcome.log)")
        #expect(outcome.stopped, "serve did not exit within 20 s of SIGTERM:\n\(outcome.log)")
    }
}
