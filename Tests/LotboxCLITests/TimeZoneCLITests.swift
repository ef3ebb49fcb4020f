import Foundation
import LotboxTestSupport
import Testing

/// The real binary at 23:30 in a shop's time zone, on a box whose own zone is UTC (Debian's
/// default), its clock set by Debian's libfaketime: labels, receipts, tables and the age check
/// all read the shop's date, and stored instants stay UTC.
@Suite(.serialized, .timeLimit(.minutes(10))) struct TimeZoneCLITests {
    static let libfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

    /// Runs lotbox with the wall clock starting at `utc` plus `after` seconds (each command a
    /// little later than the one before, so the store's ULID mark is never ahead of the clock).
    final class FakeClock: @unchecked Sendable {
        let cli: CLITests
        var utc: String
        var step = 0

        init(_ cli: CLITests, utc: String) {
            self.cli = cli
            self.utc = utc
        }

        /// The environment of a process whose clock starts at `utc` + 2 s per command so far.
        var environment: [String: String] {
            step += 1
            let formatter = ISO8601DateFormatter()
            let start = (formatter.date(from: utc) ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(Double(step * 2))
            let text = DateFormatter()
            text.locale = Locale(identifier: "en_US_POSIX")
            text.timeZone = TimeZone(identifier: "UTC")
            text.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return ["LD_PRELOAD": TimeZoneCLITests.libfaketime, "FAKETIME": "@" + text.string(from: start),
                    "FAKETIME_DONT_FAKE_MONOTONIC": "1", "TZ": "UTC"]
        }

        @discardableResult
        func lotbox(_ arguments: String...) throws -> CLITests.Result {
            let result = try LotboxTestSupport.runProgram(CLITests.binary, arguments,
                                                          environment: environment.merging(["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"]) { $1 })
            return CLITests.Result(status: result.status, out: result.out, err: result.err)
        }

        func json(_ arguments: String...) throws -> [String: Any] {
            let result = try LotboxTestSupport.runProgram(CLITests.binary, arguments,
                                                          environment: environment.merging(["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"]) { $1 })
            #expect(result.status == 0, "\(arguments) \(result.err)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "\(result.out)")
        }

        /// A store for `zone` with a licence, a priced product and a section, made at the fake time.
        func setUp(zone: String) throws {
            #expect(try lotbox("init", "--time-zone", zone).status == 0)
            #expect(try lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
            #expect(try lotbox("product", "add", "Eighth", "--type", "Flower/Bagged", "--package", "each", "--unit", "3.5 g", "--price", "35").status == 0)
        }
    }

    /// A template that carries dates in QR codes, so the label's own pixels can be read back.
    func dateTemplates(_ cli: CLITests) throws -> String {
        let folder = cli.folder + "/templates"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            name: lot-dates
            media: oe_2x1-label_2x1in
            elements:
              - {type: barcode, name: created, symbology: qr, data: "{{created}}", x: 0.04in, y: 0.04in, width: 0.9in, height: 0.9in}
              - {type: barcode, name: id, symbology: qr, data: "{{id}}", x: 1.04in, y: 0.04in, width: 0.9in, height: 0.9in}
            """.write(toFile: folder + "/lot-dates.yaml", atomically: true, encoding: .utf8)
        try """
            name: sale-time
            data: sale
            media: oe_2x1-label_2x1in
            elements:
              - {type: barcode, name: when, symbology: qr, data: "{{executed_at}}", x: 0.04in, y: 0.04in, width: 0.9in, height: 0.9in}
            """.write(toFile: folder + "/sale-time.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    func kioskConfig(_ cli: CLITests, timeZone: String? = nil) throws -> String {
        let path = cli.folder + "/lotbox.toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"
            \(timeZone.map { "time_zone = \"\($0)\"" } ?? "")

            [[stations]]
            name = "kiosk"
            kind = "kiosk"
            license = "R-1"
            employee = "ana"
            age_check = true
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// What GNU date, reading the system's tzdata on its own, says the local time of an instant is.
    func systemLocalTime(_ instant: String, zone: String) throws -> String {
        let result = try LotboxTestSupport.runProgram("/usr/bin/date", ["-d", instant, "+%Y-%m-%d %H:%M"], environment: ["TZ": zone])
        #expect(result.status == 0, "\(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func licence(birth: String, expiry: String = "07152099") -> String {
        String(decoding: AAMVASample.data(family: "DOE", given: "JANE", birth: birth, expiry: expiry), as: UTF8.self)
    }

    @Test func fakedClockReachesTheBinary() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2026-11-30T07:30:00Z")
        try clock.setUp(zone: "America/Los_Angeles")
        let lot = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10")
        #expect(lot.status == 0, "\(lot.err)")
        let fields = try clock.json("label", "fields", "--lot", lot.line)
        // The process's clock is the faked one (a few seconds after 07:30 UTC), not the real one.
        #expect((fields["created_at"] as? String)?.hasPrefix("2026-11-30T07:30:") == true, "\(fields)")
    }

    @Test func aLotMadeAt2330InLosAngelesCarriesThatDaysDate() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2026-11-30T07:30:00Z")  // 23:30 PST on the 29th; UTC is on the 30th
        try clock.setUp(zone: "America/Los_Angeles")
        let lot = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10")
        #expect(lot.status == 0 && lot.err.isEmpty, "\(lot.err)")
        let fields = try clock.json("label", "fields", "--lot", lot.line)
        #expect(fields["created"] as? String == "2026-11-29")
        #expect((fields["created_time"] as? String)?.hasPrefix("2026-11-29 23:30") == true, "\(fields)")
        #expect(fields["time_zone"] as? String == "America/Los_Angeles")
        let stored = try #require(fields["created_at"] as? String)
        #expect(stored.hasPrefix("2026-11-30T07:30:") && stored.hasSuffix("Z"), "stored instants stay UTC: \(stored)")
        // The rendered label itself: its QR code holds the date the template printed.
        let output = cli.folder + "/dates.png"
        let rendered = try clock.lotbox("label", "render", "--templates", try dateTemplates(cli), "--template", "lot-dates",
                                        "--lot", lot.line, "--format", "png", "-o", output)
        #expect(rendered.status == 0, "\(rendered.err)")
        #expect(Set(try RealDecoder.zxing(output).map(\.text)) == ["2026-11-29", lot.line])
        // The CLI reads the same local time, and says which zone and offset it is.
        let shown = try clock.lotbox("lot", "show", lot.line)
        #expect(shown.out.contains("created: 2026-11-29 23:30 America/Los_Angeles (-08:00)"), "\(shown.out)")
        let listed = try clock.lotbox("lot", "list")
        #expect(listed.out.contains(try systemLocalTime(stored, zone: "America/Los_Angeles")), "\(listed.out)")
        // JSON keeps the instant as stored.
        let json = try clock.json("lot", "show", lot.line, "--json")
        #expect(json["created_at"] as? String == stored)
    }

    @Test func theEveningBeforeA21stBirthdayIsRefusedInLosAngeles() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2026-11-30T07:30:00Z")  // 23:30 on 2026-11-29 in Los Angeles
        try clock.setUp(zone: "America/Los_Angeles")
        let config = try kioskConfig(cli)
        // 21 on 2026-11-30: already so in UTC, not yet in the shop.
        let tomorrow = try clock.lotbox("station", "scan", "kiosk", licence(birth: "11302005"), "--config", config)
        #expect(tomorrow.status == 2, "\(tomorrow.out) \(tomorrow.err)")
        #expect(tomorrow.err.contains("under 21"), "\(tomorrow.err)")
        // 21 today in the shop: passes.
        let today = try clock.lotbox("station", "scan", "kiosk", licence(birth: "11292005"), "--config", config)
        #expect(today.status == 0, "\(today.err)")
        #expect(today.out.contains("passed"), "\(today.out)")
        // A licence that expires today in the shop is still good; one that expired yesterday is not,
        // although in UTC both dates are already past.
        let lastDay = try clock.lotbox("station", "scan", "kiosk", licence(birth: "01011980", expiry: "11292026"), "--config", config)
        #expect(lastDay.status == 0, "\(lastDay.err)")
        let expired = try clock.lotbox("station", "scan", "kiosk", licence(birth: "01011980", expiry: "11282026"), "--config", config)
        #expect(expired.status == 2 && expired.err.contains("expired"), "\(expired.err)")
        // The zone is what decides: the same box, told the shop is on UTC, lets the first customer through.
        #expect(try clock.lotbox("settings", "time-zone", "Etc/UTC").status == 0)
        let onUTC = try clock.lotbox("station", "scan", "kiosk", licence(birth: "11302005"), "--config", config)
        #expect(onUTC.status == 0 && onUTC.out.contains("passed"), "\(onUTC.out) \(onUTC.err)")
    }

    @Test func aReceiptAt2330ShowsTheShopsTime() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2026-11-30T07:30:00Z")
        try clock.setUp(zone: "America/Los_Angeles")
        let config = try kioskConfig(cli)
        let lot = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        #expect(try clock.lotbox("station", "scan", "kiosk", licence(birth: "01011980"), "--config", config).status == 0)
        #expect(try clock.lotbox("station", "scan", "kiosk", lot, "--config", config).status == 0)
        let paid = try clock.lotbox("station", "scan", "kiosk", "LOTBOX:PAY", "--config", config)
        #expect(paid.status == 0, "\(paid.err)")
        let sales = try LotboxTestSupport.runProgram(CLITests.binary, ["sale", "list", "--json"], environment: clock.environment.merging(["LOTBOX_DB": cli.db]) { $1 })
        let sale = try #require((try JSONSerialization.jsonObject(with: Data(sales.out.utf8)) as? [[String: Any]])?.first, "\(sales.out)")
        let id = try #require(sale["id"] as? String)
        let executed = try #require(sale["execute_at"] as? String)
        #expect(executed.hasPrefix("2026-11-30T07:30:"), "stored in UTC: \(executed)")
        let receipt = try clock.json("label", "fields", "--sale", id)
        #expect(receipt["executed_at"] as? String == "2026-11-29 23:30", "\(receipt)")
        #expect(receipt["executed_date"] as? String == "2026-11-29")
        let output = cli.folder + "/receipt.png"
        let rendered = try clock.lotbox("label", "render", "--templates", try dateTemplates(cli), "--template", "sale-time",
                                        "--sale", id, "--format", "png", "-o", output)
        #expect(rendered.status == 0, "\(rendered.err)")
        #expect(try RealDecoder.zxing(output).map(\.text) == ["2026-11-29 23:30"])
        let shown = try clock.lotbox("sale", "show", id)
        #expect(shown.out.contains("executed: 2026-11-29 23:30 America/Los_Angeles (-08:00)"), "\(shown.out)")
        let listed = try clock.lotbox("sale", "list")
        #expect(listed.out.split(separator: "\n").contains { $0.hasPrefix(id) && $0.hasSuffix("2026-11-29 23:30") }, "\(listed.out)")
        // The station's live view shows the shop's clock too.
        let watched = try clock.lotbox("station", "watch", "--last", "1", "--count", "1")
        #expect(watched.out.hasPrefix("23:30:"), "\(watched.out)")
    }

    @Test func kiritimatiIsADayAheadOfUTCJustAfterMidnight() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2026-11-29T09:30:00Z")  // 23:30 on the 29th in Kiritimati (UTC+14)
        try clock.setUp(zone: "Pacific/Kiritimati")
        let config = try kioskConfig(cli)
        let late = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        #expect(try clock.json("label", "fields", "--lot", late)["created"] as? String == "2026-11-29")
        // An hour later it is the 30th in the shop while UTC is still on the 29th.
        clock.utc = "2026-11-29T10:30:00Z"
        let early = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        let fields = try clock.json("label", "fields", "--lot", early)
        #expect(fields["created"] as? String == "2026-11-30", "\(fields)")
        #expect((fields["created_at"] as? String)?.hasPrefix("2026-11-29T10:30:") == true)
        #expect(try clock.lotbox("lot", "show", early).out.contains("(+14:00)"))
        // 21 on the 30th: of age in the shop, though not yet in UTC.
        let birthday = try clock.lotbox("station", "scan", "kiosk", licence(birth: "11302005"), "--config", config)
        #expect(birthday.status == 0, "\(birthday.err)")
    }

    @Test func acrossTheSpringDaylightSavingChange() throws {
        let cli = try CLITests()
        let clock = FakeClock(cli, utc: "2027-03-14T07:30:00Z")  // 23:30 PST on 2027-03-13
        try clock.setUp(zone: "America/Los_Angeles")
        let before = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        clock.utc = "2027-03-15T06:30:00Z"  // 23:30 PDT on 2027-03-14, after the clocks went forward
        let after = try clock.lotbox("lot", "create", "--license", "R-1", "--product", "Eighth", "--qty", "10").line
        #expect(try clock.json("label", "fields", "--lot", before)["created"] as? String == "2027-03-13")
        #expect(try clock.json("label", "fields", "--lot", after)["created"] as? String == "2027-03-14")
        #expect(try clock.lotbox("lot", "show", before).out.contains("created: 2027-03-13 23:30 America/Los_Angeles (-08:00)"))
        #expect(try clock.lotbox("lot", "show", after).out.contains("created: 2027-03-14 23:30 America/Los_Angeles (-07:00)"))
        // The table agrees with the system's own tzdata, read by GNU date.
        let listed = try clock.lotbox("lot", "list").out
        for lot in [before, after] {
            let stored = try #require(try clock.json("lot", "show", lot, "--json")["created_at"] as? String)
            let row = try #require(listed.split(separator: "\n").first { $0.hasPrefix(lot) })
            #expect(row.hasSuffix(try systemLocalTime(stored, zone: "America/Los_Angeles")), "\(row)")
        }
    }

    @Test func anUnknownZoneIsRefusedInOneLineAndNothingIsWritten() throws {
        let cli = try CLITests()
        let refused = try cli.lotbox("init", "--time-zone", "Mars/Base")
        #expect(refused.status != 0)
        #expect(refused.err.split(separator: "\n").count == 1 && refused.err.contains("Mars/Base"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.db), "no store is made for a bad zone")
        #expect(try cli.lotbox("init", "--time-zone", "America/Denver").status == 0)
        let again = try cli.lotbox("settings", "time-zone", "Mars/Base")
        #expect(again.status != 0 && again.err.split(separator: "\n").count == 1 && again.err.contains("Mars/Base"), "\(again.err)")
        #expect(try cli.lotbox("settings", "--json").out.contains("\"time_zone\":\"America/Denver\""))
        // The config file's key is checked the same way.
        let config = try kioskConfig(cli, timeZone: "Mars/Base")
        let status = try cli.lotbox("station", "status", "--config", config)
        #expect(status.status != 0 && status.err.split(separator: "\n").count == 1, "\(status.err)")
        #expect(status.err.contains("time_zone") && status.err.contains("Mars/Base"), "\(status.err)")
    }

    @Test func withoutAZoneEveryCommandWarnsUntilOneIsSet() throws {
        let cli = try CLITests()
        let made = try cli.lotbox("init")
        #expect(made.status == 0)
        #expect(made.err.contains("no time zone is set"), "\(made.err)")
        for arguments in [["status"], ["lot", "list"], ["license", "add", "Corner Shop", "--code", "R-1", "--type", "retail"]] {
            let result = try cli.runProgram(CLITests.binary, arguments, environment: ["LOTBOX_DB": cli.db])
            #expect(result.status == 0, "\(arguments) \(result.err)")
            let warnings = result.err.split(separator: "\n").filter { $0.contains("no time zone is set") }
            #expect(warnings.count == 1, "\(arguments): \(result.err)")
        }
        #expect(try cli.lotbox("settings", "time-zone", "America/Los_Angeles").status == 0)
        let quiet = try cli.lotbox("lot", "list")
        #expect(quiet.status == 0 && !quiet.err.contains("time zone"), "\(quiet.err)")
        // A config that disagrees: the store's zone is used, and the difference is said.
        let config = try kioskConfig(cli, timeZone: "Europe/Berlin")
        let status = try cli.lotbox("station", "status", "--config", config)
        #expect(status.status == 0)
        #expect(status.err.contains("Europe/Berlin") && status.err.contains("America/Los_Angeles"), "\(status.err)")
        let checked = try cli.lotbox("config", "check", "--config", config)
        #expect(checked.status == 0 && checked.out.contains("warning: config time_zone Europe/Berlin differs"), "\(checked.out)")
    }

    @Test func serveWarnsWithoutAZoneAndRecordsTheConfigsOne() throws {
        let cli = try CLITests()
        #expect(try cli.lotbox("init").status == 0)
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail").status == 0)
        let unset = try ServeFaultTests.Daemon.start(cli, config: try kioskConfig(cli))
        defer { unset.kill(SIGKILL) }
        try waitFor(unset, "dates are in")
        try stop(unset)
        #expect(unset.output.contains("no time zone is set"), "\(unset.output)")
        #expect(try cli.lotbox("settings", "--json").out.contains("\"time_zone\":null"))
        let configured = try ServeFaultTests.Daemon.start(cli, config: try kioskConfig(cli, timeZone: "Pacific/Kiritimati"))
        defer { configured.kill(SIGKILL) }
        try waitFor(configured, "dates are in")
        try stop(configured)
        #expect(!configured.output.contains("no time zone is set"), "\(configured.output)")
        #expect(try cli.lotbox("settings", "--json").out.contains("\"time_zone\":\"Pacific/Kiritimati\""))
    }

    /// SIGTERM, and the daemon (its hourly time zone reminder included) is gone within 20 s.
    func stop(_ daemon: ServeFaultTests.Daemon) throws {
        kill(daemon.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while daemon.process.isRunning {
            guard Date() < deadline else { throw DecoderError(message: "serve still running 20 s after SIGTERM: \(daemon.output)") }
            usleep(50_000)
        }
    }

    func waitFor(_ daemon: ServeFaultTests.Daemon, _ text: String, seconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !daemon.output.contains(text) {
            guard Date() < deadline, daemon.process.isRunning else {
                throw DecoderError(message: "serve did not log '\(text)' within \(Int(seconds)) s: \(daemon.output)")
            }
            usleep(50_000)
        }
    }
}
