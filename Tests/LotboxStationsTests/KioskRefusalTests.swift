import Foundation
import GRDB
import LotboxCore
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// A kiosk's refusals leave nothing behind: no sale opened for a refused scan, no empty sale
/// left by CANCEL, and a bad quantity refused when it is scanned.
@Suite(.timeLimit(.minutes(5))) struct KioskRefusalTests {
    func kiosk() -> StationConfig {
        StationConfig(name: "kiosk", kind: .kiosk, license: "R-1", employee: "ana", ageCheck: false, purchaseLimit: nil,
                      taxes: [], receipt: nil)
    }

    func saleCount(_ rig: StationRig) throws -> Int {
        try rig.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM b2c_sale") ?? -1 }
    }

    @Test func aRefusedScanOpensNoSale() throws {
        let rig = try StationRig(stations: [kiosk()])
        let theirs = try rig.store.createLot(NewLot(licenseKey: rig.sender.id, productKey: rig.eighth.id, qty: "5"), actor: "test")
        let void = try rig.lot("5", product: rig.eighth)
        _ = try rig.store.voidLot(void.id, actor: "test")
        let events = try rig.scan("kiosk", theirs.id, void.id)
        #expect(events.outcomes == [.refused, .refused], "\(events.map(\.message))")
        #expect(try saleCount(rig) == 0)
        #expect(try rig.store.stationState("kiosk")?.saleID == nil)
        // The next good scan opens the sale with its first line.
        let mine = try rig.lot("5", product: rig.eighth)
        let added = try rig.scan("kiosk", mine.id)
        #expect(added.outcomes == [.accepted])
        #expect(try saleCount(rig) == 1)
        // A refusal on an open sale leaves that sale as it was.
        #expect(try rig.scan("kiosk", theirs.id).outcomes == [.refused])
        let saleID = try #require(added.first?.objectID)
        #expect(try rig.store.sale(saleID).lines.count == 1)
        try rig.checkInvariants()
    }

    @Test func cancelOfAnEmptySaleLeavesNoSaleAndACanceledSaleIsNotVoid() throws {
        let rig = try StationRig(stations: [kiosk()])
        let lot = try rig.lot("5", product: rig.eighth)
        let emptied = try rig.scan("kiosk", lot.id, "LOTBOX:VOID-LAST", "LOTBOX:CANCEL")
        #expect(emptied.actions == ["add", "void-last", "cancel"], "\(emptied.map(\.message))")
        #expect(try saleCount(rig) == 0)
        #expect(try rig.store.stationState("kiosk")?.saleID == nil)
        // A sale with a line is kept, canceled: stat 410, and marked so it is never taken for a void.
        let kept = try rig.scan("kiosk", lot.id, "LOTBOX:CANCEL")
        let saleID = try #require(kept.first?.objectID)
        let sale = try rig.store.sale(saleID)
        #expect(sale.canceled && sale.stat == 410)
        #expect(try rig.qty(lot.id) == 50_000)
        #expect(try rig.store.sales().map(\.id) == [saleID])
    }

    @Test(arguments: ["LOTBOX:QTY:abc", "LOTBOX:QTY:0", "LOTBOX:QTY:0g", "LOTBOX:QTY:-2", "LOTBOX:QTY:-3.5g", "LOTBOX:QTY:3.5 stone"])
    func aBadQuantityIsRefusedWhenScanned(code: String) throws {
        let rig = try StationRig(stations: [kiosk()])
        let lot = try rig.lot("5", product: rig.eighth)
        let events = try rig.scan("kiosk", code)
        #expect(events.outcomes == [.refused], "\(events.map(\.message))")
        #expect(events.first?.message.contains(String(code.dropFirst("LOTBOX:".count))) == true, "\(events.map(\.message))")
        #expect(try rig.store.stationState("kiosk")?.pendingQuantity == nil)
        // The next scan is not touched by it: one unit is added.
        let added = try rig.scan("kiosk", lot.id)
        #expect(added.outcomes == [.accepted], "\(added.map(\.message))")
        let saleID = try #require(added.first?.objectID)
        #expect(try rig.store.sale(saleID).lines.map(\.unitCount) == [10_000])
    }

    @Test func aFailedAgeCheckOpensNoSale() throws {
        let rig = try StationRig(stations: [StationConfig(name: "kiosk", kind: .kiosk, license: "R-1", employee: "ana", ageCheck: true)])
        let lot = try rig.lot("5", product: rig.eighth)
        let minor = AAMVASample.data(family: "YOUNGSTER", birth: "01012015", expiry: "01012099")
        let events = try rig.scan("kiosk", lot.id, licence: minor)
        #expect(events.map { "\($0.outcome.rawValue) \($0.action)" } == ["refused age-check", "refused age-check"], "\(events.map(\.message))")
        #expect(events.first?.message.contains("under 21") == true, "\(events.map(\.message))")
        #expect(try saleCount(rig) == 0)
        #expect(try rig.store.stationState("kiosk")?.saleID == nil)
        // A passed check opens the sale it is recorded on.
        let adult = AAMVASample.data(family: "GROWNUP", birth: "01011980", expiry: "01012099")
        let passed = try rig.scan("kiosk", lot.id, licence: adult)
        #expect(passed.map(\.outcome) == [.accepted, .accepted], "\(passed.map(\.message))")
        #expect(try saleCount(rig) == 1)
    }
}
