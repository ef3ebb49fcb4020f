import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The staff screens in a real headless Chromium (Debian's, driven by selenium through its
/// version-matched chromedriver) against a real `lotbox serve`: sign-in with wrong PINs and the
/// lockout delay, the CSRF refusals, the kiosk fed by keyboard events (a licence typed with Enter
/// for its line breaks among them) and by a real reader on the box (a FIFO scanner), a manager's
/// PIN for VOID-LAST, cash with change, the receipt job, and no console errors
/// (Tests/api/test_screens.py). Afterwards nothing of the licence is in the store, its WAL or
/// serve's log.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ScreensTests {
    static let pages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Pages").path

    /// The licence's personal values: typed into the page, they must never be kept anywhere.
    static let licenceSecrets = ["QUIXOTELY", "ZEBEDIAH", "D7770123", "47 ZEPHYR LANE", "01151990"]

    @Test func aBudtenderSellsAtTheKioskInChromium() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        let license = "G-100001"  // license A of APIServeTests' setup
        var screens: [String: Any] = ["station": "counter", "db": cli.db, "screenshots": cli.folder + "/screenshots",
                                      "licence_secrets": Self.licenceSecrets, "lock_after": 3]
        for (key, name, role, pin) in [("budtender", "Riley Counter", "budtender", "482916"), ("manager", "Morgan Office", "manager", "90817263")] {
            let made = try cli.lotbox("employee", "add", name, "--license", license, "--role", role, input: pin + "\n")
            try #require(made.status == 0, "\(made.err)")
            screens[key] = ["name": name, "pin": pin, "id": made.line]
        }
        let product = try cli.lotbox("product", "add", "Screen Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                     "--price", "35", "--license", license)
        try #require(product.status == 0, "\(product.err)")
        let lot = try cli.lotbox("lot", "create", "--license", license, "--product", "Screen Eighth", "--qty", "20", "--section", "API Vault")
        try #require(lot.status == 0 && lot.line.count == 26, "\(lot.err)")
        screens["lot"] = lot.line
        let fifo = cli.folder + "/counter-reader"
        try #require(mkfifo(fifo, 0o600) == 0)
        screens["fifo"] = fifo

        // The kiosk, its reader, a receipt printer nobody answers (the receipt job waits in the queue),
        // and staff sign-in with quick lockouts; the screens' files from this checkout.
        let original = try String(contentsOfFile: setup.config, encoding: .utf8)
        let api = try #require(original.range(of: "[api]\n"))
        let head = String(original[..<api.lowerBound]) + "scanner_directory = \"\(cli.folder)/no-udev\"\n\n"
        let apiTable = "[api]\npages = \"\(Self.pages)\"\n" + String(original[api.upperBound...])
        let config: String = head + apiTable + """

            [api.staff]
            idle_seconds = 600
            lock_after = 3
            lock_seconds = 2
            lock_max_seconds = 60

            [[printers]]
            name = "front"
            uri = "ipp://127.0.0.1:9/ipp/print"
            template = "lot-2x1"
            dpi = 203
            print_on_create = false

            [[scanners]]
            name = "counter-reader"
            path = "\(fifo)"
            kind = "stream"
            station = "counter"

            [[stations]]
            name = "counter"
            kind = "kiosk"
            license = "\(license)"
            age_check = true
            minimum_age = 21
            purchase_limit = "28.5 g"
            taxes = [ { type = "excise", name = "Excise Tax", rate = "15%" }, { type = "state", name = "State Tax", rate = "6.5%" } ]
            receipt_printer = "front"

            """
        try config.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        let screensFile = cli.folder + "/screens.json"
        try JSONSerialization.data(withJSONObject: screens).write(to: URL(fileURLWithPath: screensFile))
        try await serve.phase(setup, "test_screens.py", [screensFile])

        // The licence typed into the page: checked (the sale's age check passed) but kept nowhere.
        let ageChecks = try runProgram("/usr/bin/sqlite3", [cli.db, "SELECT count(*) FROM b2c_sale WHERE json_extract(meta, '$.age_check') = 'passed'"],
                                       deadline: 30)
        #expect(Int(ageChecks.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1, "no sale recorded the age check: \(ageChecks.out)")
        let logs = try FileManager.default.contentsOfDirectory(atPath: cli.folder).filter { $0.hasPrefix("serve-") }.map { cli.folder + "/" + $0 }
        #expect(!logs.isEmpty, "serve's log is missing")
        for file in [cli.db, cli.db + "-wal"] + logs where FileManager.default.fileExists(atPath: file) {
            let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            for secret in Self.licenceSecrets {
                #expect(!bytes.contains(secret), "the licence's \(secret) is in \(file)")
            }
        }
    }

    /// The dock in Chromium (Tests/api/test_dock.py): a budtender is refused it; a receiver picks
    /// from the incoming transfers (one committed by a sender on the box appears live; picking is
    /// a scan of the manifest), opens a manifest by a real reader's scan (a FIFO scanner), counts
    /// packages by the wedge and the reader (one short, one not on the manifest), watches the
    /// counts live, and ACCEPTs after the short warning; the lots exist with the receiver as their
    /// actor, and their labels are seen printed by a real IPP printer (ippeveprinter). With the
    /// printer switched off the next transfer's labels wait, with the reason. Then the print
    /// queue's screen: those labels held through the API and seen held live, released and
    /// canceled by a manager; a receiver is refused the screen.
    @Test func aReceiverReceivesAtTheDockInChromium() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        defer { printer.stop() }
        let license = "G-100001"  // license A of APIServeTests' setup
        let transfer = "01M80TRANSFERD0CK000000001"
        let later = "01M80TRANSFERD0CK000000002"
        var dock: [String: Any] = ["station": "dock", "db": cli.db, "screenshots": cli.folder + "/screenshots", "transfer": transfer,
                                   "packages": ["1A4FF0100000022000000501", "1A4FF0100000022000000502"],
                                   "stranger": "1A4FF0100000022000000599", "source": "Hill Dock Farm",
                                   "later_transfer": later, "later_packages": ["1A4FF0100000022000000503", "1A4FF0100000022000000504"],
                                   "printer_pid": Int(printer.processID)]
        for (key, name, role, pin) in [("budtender", "Riley Counter", "budtender", "482916"), ("receiver", "Dana Dock", "receiver", "55667788"),
                                       ("manager", "Morgan Office", "manager", "90817263")] {
            let made = try cli.lotbox("employee", "add", name, "--license", license, "--role", role, input: pin + "\n")
            try #require(made.status == 0, "\(made.err)")
            dock[key] = ["name": name, "pin": pin, "id": made.line]
        }
        let product = try cli.lotbox("product", "add", "Dock Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                     "--price", "35", "--license", license)
        try #require(product.status == 0, "\(product.err)")
        for (id, items) in [(transfer, [("501", 3), ("502", 2)]), (later, [("503", 1), ("504", 1)])] {
            let manifest = cli.folder + "/manifest-\(id).json"
            let lines = items.map { "{\"inventory\": {\"id\": \"1A4FF0100000022000000\($0.0)\"}, \"product\": {\"name\": \"Dock Eighth\"}, \"qty\": \($0.1)}" }
            try """
                {"id": "\(id)", "source": {"id": "01M80L1CENSED0CKSENDER0001", "name": "Hill Dock Farm", "code": "HDF-1"},
                 "target": {"id": "\(license)"}, "item_list": [\(lines.joined(separator: ", "))]}
                """.write(toFile: manifest, atomically: true, encoding: .utf8)
            let imported = try cli.lotbox("b2b", "import", manifest)
            try #require(imported.status == 0 && imported.line == id, "\(imported.out)\(imported.err)")
        }
        let fifo = cli.folder + "/dock-reader"
        try #require(mkfifo(fifo, 0o600) == 0)
        dock["fifo"] = fifo

        let original = try String(contentsOfFile: setup.config, encoding: .utf8)
        let api = try #require(original.range(of: "[api]\n"))
        let head = String(original[..<api.lowerBound]) + "scanner_directory = \"\(cli.folder)/no-udev\"\n\n"
        let apiTable = "[api]\npages = \"\(Self.pages)\"\n" + String(original[api.upperBound...])
        let config: String = head + apiTable + """

            [api.staff]
            idle_seconds = 600

            [[printers]]
            name = "back"
            uri = "\(printer.uri)"
            template = "lot-2x1"
            dpi = 203
            print_on_create = true

            [[scanners]]
            name = "dock-reader"
            path = "\(fifo)"
            kind = "stream"
            station = "dock"

            [[stations]]
            name = "dock"
            kind = "dock"
            license = "\(license)"

            """
        try config.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        // Its own deadline (OfficeScreensTests.run): the labels' printing and retries make it longer than a phase's 180 s may allow.
        try await OfficeScreensTests.run(serve, setup, "test_dock.py", spec: dock)
    }

    /// The kiosk's refusal tone under Chromium's own autoplay rule (Tests/api/test_tone.py): a
    /// budtender signs in and opens the kiosk; a refusal from the box's reader and one typed by a
    /// wedge scanner each play one tone, heard (the audio runs on the sign-in's gestures); an
    /// accepted scan plays none, and the customer view never sounds.
    @Test func aRefusalSoundsAtTheKioskAndAnAcceptedScanDoesNot() async throws {
        let serve = APIServeTests()
        let setup = try serve.setUp()
        let cli = setup.cli
        let license = "G-100001"  // license A of APIServeTests' setup
        let made = try cli.lotbox("employee", "add", "Riley Counter", "--license", license, "--role", "budtender", input: "482916\n")
        try #require(made.status == 0, "\(made.err)")
        let product = try cli.lotbox("product", "add", "Tone Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g",
                                     "--price", "35", "--license", license)
        try #require(product.status == 0, "\(product.err)")
        let lot = try cli.lotbox("lot", "create", "--license", license, "--product", "Tone Eighth", "--qty", "20", "--section", "API Vault")
        try #require(lot.status == 0 && lot.line.count == 26, "\(lot.err)")
        let fifo = cli.folder + "/counter-reader"
        try #require(mkfifo(fifo, 0o600) == 0)
        let original = try String(contentsOfFile: setup.config, encoding: .utf8)
        let api = try #require(original.range(of: "[api]\n"))
        let head = String(original[..<api.lowerBound]) + "scanner_directory = \"\(cli.folder)/no-udev\"\n\n"
        let config = head + "[api]\npages = \"\(Self.pages)\"\n" + String(original[api.upperBound...]) + """

            [[scanners]]
            name = "counter-reader"
            path = "\(fifo)"
            kind = "stream"
            station = "counter"

            [[stations]]
            name = "counter"
            kind = "kiosk"
            license = "\(license)"
            age_check = false

            """
        try config.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", setup.config)
        try #require(checked.status == 0, "config check: \(checked.out)\(checked.err)")
        let spec: [String: Any] = ["station": "counter", "fifo": fifo, "lot": lot.line, "db": cli.db, "screenshots": cli.folder + "/screenshots",
                                   "budtender": ["name": "Riley Counter", "pin": "482916", "id": made.line]]
        let file = cli.folder + "/tone.json"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: file))
        try await serve.phase(setup, "test_tone.py", [file])
    }

    /// Without its files the daemon still serves the API; a config naming a folder without them is refused in one line.
    @Test func aMissingPagesFolderIsOneLineAtConfigCheck() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init", "--time-zone", "America/Denver").status == 0)
        let keyFile = cli.folder + "/server.key"
        #expect(try cli.lotbox("api", "keygen", "--out", keyFile).status == 0)
        let config = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [api]
            listen = "127.0.0.1:1"
            key = "\(keyFile)"
            pages = "\(cli.folder)/no-such-pages"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let checked = try cli.lotbox("config", "check", "--config", config)
        let lines = (checked.out + checked.err).split(separator: "\n").filter { $0.contains("api.pages") }
        #expect(checked.status != 0 && lines.count == 1 && lines.first?.contains("\(cli.folder)/no-such-pages") == true, "\(checked)")
    }
}
