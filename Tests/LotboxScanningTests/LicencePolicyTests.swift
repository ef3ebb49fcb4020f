import Foundation
import LotboxCore
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxScanning

/// What a licence scan may decide and keep: an age check that fails closed, and (only where a
/// shop opts in) a keyed hash of issuer and number in a table of its own.
@Suite(.timeLimit(.minutes(5))) struct LicencePolicyTests {
    func input(_ bytes: [UInt8]) -> ScanInput {
        ScanInput(device: "kiosk-1", path: "/dev/lotbox/kiosk-1", frame: ScanFrame(bytes: bytes))
    }

    @Test func aLicenceWithoutExpiryFailsTheAgeCheck() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc))
        let full = AAMVASample.data(birth: "07151980")
        let noExpiry = Array(String(decoding: full, as: UTF8.self).replacingOccurrences(of: "\nDBA01012031", with: "").utf8)
        #expect(noExpiry.count == full.count - 12)
        let recorded = try recorder.record(input(noExpiry))
        #expect(recorded.recognition?.code.kind == "aamva-licence")
        #expect(recorded.ageCheck == .noExpiry)
        #expect(try store.recentScans(limit: 1).first?.detail["age_check"] == "refused: licence has no expiry date")
        #expect(try recorder.record(input(full)).ageCheck == .passed)
    }

    @Test func aClockKnownToBeBehindFailsTheAgeCheck() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        let now = ULIDGenerator.systemMilliseconds()
        // A store that issued ids a day from now, then opened with today's clock: the clock is behind its mark.
        do {
            let ahead = try LotStore(path: path, create: true, clock: { now + 86_400_000 })
            _ = try ahead.addLicense(name: "Kiosk Retail", code: "R-1", typeKey: "retail", actor: "test")
        }
        let store = try LotStore(path: path)
        guard case .behindMark = store.checkClock() else {
            Issue.record("expected the clock behind the store's mark, got \(store.checkClock())")
            return
        }
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc))
        let recorded = try recorder.record(input(AAMVASample.data(birth: "07151980")))
        #expect(recorded.ageCheck == .clockBehind)
        #expect(recorded.ageCheck?.passed == false)
        #expect(try store.recentScans(limit: 1).first?.detail["age_check"]?.contains("clock is behind") == true)
    }

    @Test func nothingIsRememberedByDefault() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc))
        let licence = AAMVASample.data(birth: "07151980")
        let first = try recorder.record(input(licence))
        let again = try recorder.record(input(licence))
        #expect(first.earlierVisits == nil && again.earlierVisits == nil)
        #expect(try store.returningCustomerCount() == 0)
        #expect(!FileManager.default.fileExists(atPath: CustomerKey.path(forStore: store.path)))
        // The two scans of one card cannot be linked: no hash, no bytes.
        #expect(try store.recentScans().nonEmptyAllSatisfy { $0.raw == nil && $0.rawSHA256 == nil })
    }

    @Test func aShopThatOptsInRecognisesAReturningCustomerByAKeyedHash() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(minimumAge: 21, timeZone: .utc, rememberCustomersDays: 1))
        var rng = SplitMix(seed: 77)
        let alice = GeneratedLicence.random({ rng.next() }, header: .ansi)
        let bob = GeneratedLicence.random({ rng.next() }, header: .ansi)
        let first = try recorder.record(input(alice.bytes))
        let other = try recorder.record(input(bob.bytes))
        // The same card through another encoding (AIM prefix, CR-only) is the same customer.
        let back = try recorder.record(input(Array("]L2".utf8) + alice.bytes.map { $0 == 0x0A ? 0x0D : $0 }))
        #expect(first.earlierVisits == 0)
        #expect(other.earlierVisits == 0)
        #expect(back.earlierVisits == 1)
        #expect(try store.returningCustomerCount() == 3)
        // The secret is a file of its own beside the store, readable by its owner only.
        var info = stat()
        #expect(stat(CustomerKey.path(forStore: store.path), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 32)
        // A token is the HMAC under that secret: the same number under another secret is another token.
        let key = try CustomerKey.load(forStore: store.path)
        let stranger = try CustomerKey.load(forStore: try TemporaryFolder.make() + "/other.sqlite")
        #expect(key.token(issuer: "636014", number: alice.number) != stranger.token(issuer: "636014", number: alice.number))
        #expect(key.token(issuer: "636014", number: alice.number).count == 64)
        // Never in the scan log (no hash), and no number, name or date anywhere in the file.
        #expect(try store.recentScans().nonEmptyAllSatisfy { $0.raw == nil && $0.rawSHA256 == nil })
        try LicenceLeaks.expectNone(of: alice.secrets + bob.secrets, inFiles: [store.path, store.path + "-wal"], texts: [])
        // Purged after the configured days (0: a shop that turned the option off keeps nothing).
        try store.forgetCustomers(keepingDays: 1)
        #expect(try store.returningCustomerCount() == 3)
        try store.forgetCustomers(keepingDays: 0)
        #expect(try store.returningCustomerCount() == 0)
    }
}
