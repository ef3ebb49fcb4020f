import Testing
@testable import LotboxCore

/// The shop's time zone turns instants into the dates a person reads; calendar dates pass unshifted.
@Suite(.timeLimit(.minutes(10))) struct ShopTimeZoneTests {
    let losAngeles: ShopTimeZone
    let kiritimati: ShopTimeZone

    init() throws {
        losAngeles = try ShopTimeZone("America/Los_Angeles")
        kiritimati = try ShopTimeZone("Pacific/Kiritimati")
    }

    @Test(arguments: [
        ("Mars/Base", "not in the system's time zone data"),
        ("America", "not in the system's time zone data"),          // a folder of zones, not a zone
        ("../../etc/passwd", "not an IANA time zone name"),
        ("/usr/share/zoneinfo/UTC", "not an IANA time zone name"),
        ("", "not an IANA time zone name"),
        ("America/Los Angeles", "not an IANA time zone name"),
    ])
    func namesTheSystemDoesNotKnowAreRefusedInOneLine(name: String, expected: String) {
        #expect {
            _ = try ShopTimeZone(name)
        } throws: { error in
            let text = "\(error)"
            return text.contains("'\(name)'") && text.contains(expected) && !text.contains("\n")
        }
    }

    @Test func lateEveningInLosAngelesIsStillThatDay() throws {
        let stamp = "2026-11-30T07:30:00.000Z"  // 23:30 PST on the 29th
        #expect(losAngeles.date(of: stamp) == CalendarDate(year: 2026, month: 11, day: 29))
        #expect(losAngeles.localTime(of: stamp) == "2026-11-29 23:30")
        #expect(losAngeles.offsetText(of: stamp) == "-08:00")
        #expect(ShopTimeZone.utc.date(of: stamp) == CalendarDate(year: 2026, month: 11, day: 30))
    }

    @Test func kiritimatiIsFourteenHoursAheadOfUTC() throws {
        #expect(kiritimati.localTime(of: "2026-11-29T09:30:00Z") == "2026-11-29 23:30")
        // 00:30 on the 29th in Kiritimati while UTC is still on the 28th.
        #expect(kiritimati.date(of: "2026-11-28T10:30:00.000Z") == CalendarDate(year: 2026, month: 11, day: 29))
        #expect(kiritimati.offsetText(of: "2026-11-28T10:30:00.000Z") == "+14:00")
    }

    @Test func daylightSavingStartsAtTwoInTheMorning() throws {
        // 2027-03-14: 01:59:59 PST is followed by 03:00:00 PDT.
        #expect(losAngeles.localTime(of: "2027-03-14T09:59:59.999Z", seconds: true) == "2027-03-14 01:59:59")
        #expect(losAngeles.localTime(of: "2027-03-14T10:00:00.000Z", seconds: true) == "2027-03-14 03:00:00")
        #expect(losAngeles.offsetText(of: "2027-03-14T10:00:00.000Z") == "-07:00")
        // 23:30 either side of the change is each evening's own date.
        #expect(losAngeles.date(of: "2027-03-14T07:30:00Z") == CalendarDate(year: 2027, month: 3, day: 13))
        #expect(losAngeles.date(of: "2027-03-15T06:30:00Z") == CalendarDate(year: 2027, month: 3, day: 14))
    }

    @Test func calendarDatesAreNeverShifted() {
        for zone in [losAngeles, kiritimati, ShopTimeZone.utc] {
            #expect(zone.date(of: "2026-02-28") == CalendarDate(year: 2026, month: 2, day: 28))
            #expect(zone.localTime(of: "2026-02-28") == "2026-02-28")
        }
        #expect(losAngeles.date(of: "2026-02-30") == nil)
        #expect(losAngeles.date(of: "yesterday") == nil)
    }

    @Test func instantsReadBackToTheMillisecondTheStoreWroteThem() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let milliseconds = UInt64.random(in: 0...253_402_300_799_999, using: &rng)  // up to 9999-12-31
            let text = Timestamp.rfc3339(milliseconds: milliseconds)
            #expect(ShopTimeZone.milliseconds(ofInstant: text) == Int64(milliseconds), "\(text)")
            #expect(ShopTimeZone.utc.localTime(of: text, seconds: true) == text.prefix(19).replacingOccurrences(of: "T", with: " "))
        }
        #expect(ShopTimeZone.milliseconds(ofInstant: "2026-11-30 07:30:00") == 1_796_023_800_000)  // SQLite's datetime('now'): UTC
        #expect(ShopTimeZone.milliseconds(ofInstant: "2026-11-29T23:30:00-08:00") == 1_796_023_800_000)
        #expect(ShopTimeZone.milliseconds(ofInstant: "2026-11-30T07:30:00Zjunk") == nil)
        #expect(ShopTimeZone.milliseconds(ofInstant: "2026-13-30T07:30:00Z") == nil)
    }

    @Test func theStoresZoneWinsAndEveryGapIsWarnedAbout() throws {
        let neither = ShopTimeZoneChoice.resolve(store: nil, config: nil)
        #expect(neither.zone == .utc && neither.warnings.count == 1 && neither.warnings[0].contains("no time zone is set"))
        let agreed = ShopTimeZoneChoice.resolve(store: "America/Los_Angeles", config: losAngeles)
        #expect(agreed.zone == losAngeles && agreed.warnings.isEmpty && agreed.toRecord == nil)
        let differing = ShopTimeZoneChoice.resolve(store: "America/Los_Angeles", config: kiritimati)
        #expect(differing.zone == losAngeles && differing.toRecord == nil)
        #expect(differing.warnings.count == 1 && differing.warnings[0].contains("Pacific/Kiritimati") && differing.warnings[0].contains("America/Los_Angeles"))
        let configOnly = ShopTimeZoneChoice.resolve(store: nil, config: kiritimati)
        #expect(configOnly.zone == kiritimati && configOnly.warnings.isEmpty && configOnly.toRecord == kiritimati)
        let broken = ShopTimeZoneChoice.resolve(store: "Mars/Base", config: nil)
        #expect(broken.zone == .utc && broken.warnings.count == 1 && broken.warnings[0].contains("Mars/Base"))
    }
}
