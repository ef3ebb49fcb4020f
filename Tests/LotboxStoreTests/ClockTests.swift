import Foundation
import LotboxCore
import Testing
@testable import LotboxStore

@Suite(.timeLimit(.minutes(5))) struct ClockTests {
    @Test func idsStayMonotonicAcrossARestartWithTheClockSetBack() throws {
        let fixture = try StoreFixture()
        let first = try fixture.lot("1 g")
        // The box reboots without NTP: the clock now reads an hour earlier, then 1970.
        for offset: UInt64 in [3_600_000, ULIDGenerator.systemMilliseconds()] {
            let behind = ULIDGenerator.systemMilliseconds() - offset
            let reopened = try LotStore(path: fixture.path, clock: { behind })
            let status = reopened.checkClock()
            #expect(!status.isOK, "\(status)")
            let next = try reopened.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "1 g"), actor: "t")
            #expect(next.id > first.id)
            #expect(try reopened.ulidMark() == next.id)
            #expect(try reopened.status().clock.isOK == false)
        }
    }

    @Test func markIsTheHighestIssuedID() throws {
        let fixture = try StoreFixture()
        var last = ""
        for _ in 0..<20 { last = try fixture.lot("1 g").id }
        #expect(try fixture.store.ulidMark() == last)
        let all = try fixture.store.lots().map(\.lot.id)
        #expect(all.max() == last)
    }

    @Test func wellKnownIDsAreSeededAndTreatedAsOpaque() throws {
        let fixture = try StoreFixture()
        // 018NY6XC00L1CENSE000000000 contains an L: not a ULID, but a valid id in the store.
        #expect(!ULID.isValid(WellKnown.systemLicense))
        let lot = try fixture.store.createLot(NewLot(licenseKey: WellKnown.systemLicense, productKey: WellKnown.unknownProduct, qty: "1 g"), actor: "t")
        #expect(lot.licenseId == WellKnown.systemLicense)
        #expect(ProductType.find("Flower/Dry")?.id == "018NY6XC00PTZZWCH7XVREHK6T")
        #expect(ProductType.all.count == 48)
    }
}
