import Foundation
import GRDB
import LotboxCore
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The retail kiosk, driven by scan streams through real readers into a real store.
@Suite(.timeLimit(.minutes(10))) struct KioskStationTests {
    static let excise = Tax(type: "010PENTHC00BIPA0ET0FNBCKMH", name: "Excise Tax", rate: TaxRate(digits: 15, places: 2))
    static let state = Tax(type: "010PENTHC00BIPA0SST03Q484J", name: "State Sales Tax", rate: TaxRate(digits: 65, places: 3))

    func kiosk(ageCheck: Bool = false, limit: PurchaseLimit? = nil) -> StationConfig {
        StationConfig(name: "kiosk", kind: .kiosk, license: "R-1", employee: "ana", ageCheck: ageCheck, purchaseLimit: limit,
                      taxes: [Self.excise, Self.state], receipt: LabelRoute(printer: "front", template: "receipt"))
    }

    /// A badge changes who acts, so it must name somebody who works for the kiosk's license: an
    /// employee or a staff contact of its company (matched in any case, recorded by their own
    /// name). Anybody else is refused and the one on duty stays.
    @Test func aBadgeMustNameSomebodyWhoWorksHere() throws {
        let rig = try StationRig(stations: [kiosk()])
        _ = try rig.store.addContact(name: "Ana Lopez", type: "Employee", companyKey: rig.shop.companyId, actor: "test")
        _ = try rig.store.addContact(name: "Walk In", type: "Client", companyKey: rig.shop.companyId, actor: "test")
        let events = try rig.scan("kiosk", "LOTBOX:EMPLOYEE:Santa Claus", "LOTBOX:EMPLOYEE:Walk In", "LOTBOX:EMPLOYEE:ana lopez")
        #expect(events.outcomes == [.refused, .refused, .info], "\(events.map(\.message))")
        #expect(events.first?.message.contains("badge LOTBOX:EMPLOYEE:Santa Claus names nobody who works for R-1") == true, "\(events.first?.message ?? "")")
        #expect(events.last?.message == "Ana Lopez is now working kiosk")
        #expect(try rig.store.stationState("kiosk")?.employee == "Ana Lopez")
    }

    @Test func aSaleWithVoidsIsCommittedThroughTheLedger() throws {
        let rig = try StationRig(stations: [kiosk()])
        let eighths = try rig.lot("10", product: rig.eighth, metrc: "1A4FF0100000022000000500")
        let bulk = try rig.lot("100 g", product: rig.flower)
        let events = try rig.scan("kiosk", eighths.id, "1A4FF0100000022000000500", "036000291452", "LOTBOX:VOID-LAST",
                                  bulk.id, "LOTBOX:QTY:3.5g", bulk.id, "LOTBOX:PAY")
        #expect(events.actions == ["add", "add", "add", "void-last", "needs-quantity", "quantity", "add", "pay"], "\(events.map(\.message))")
        let saleID = try #require(events.last?.objectID)
        let sale = try rig.store.sale(saleID)
        #expect(sale.stat == 200)
        #expect(sale.lines.map(\.unitCount) == [10_000, 10_000, 35_000])
        // $35 + $35 + 3.5 g × $10 = $105.00; excise 15% = $15.75, state 6.5% = $6.83 (6.825 rounded half up).
        #expect(sale.subtotal == 1_050_000)
        #expect(sale.adjustments.map(\.amount) == [157_500, 68_300])
        #expect(sale.total == 1_275_800)
        #expect(sale.employee == "ana")
        #expect(try rig.qty(eighths.id) == 80_000)
        #expect(try rig.qty(bulk.id) == 965_000)
        // Ledger rows: reason sale, the employee as actor, the sale as reference.
        let ledger = try rig.store.read { db in
            try Row.fetchAll(db, sql: "SELECT reason_code, actor, ref_id FROM inventory_adjust WHERE ref_id = ?", arguments: [saleID])
        }
        #expect(ledger.count == 3 && ledger.nonEmptyAllSatisfy { ($0["reason_code"] as String) == "sale" && ($0["actor"] as String) == "ana" })
        // The receipt is queued for the front printer.
        let receipt = try rig.store.read { db in
            try String.fetchOne(db, sql: "SELECT template FROM print_job WHERE kind = 'sale-receipt' AND object_id = ?", arguments: [saleID])
        }
        #expect(receipt == "receipt")
        try rig.checkInvariants()
        // Voided in two steps: the stock comes back through the ledger.
        #expect(try rig.store.voidSale(saleID, actor: "manager") == .requested)
        #expect(try rig.qty(eighths.id) == 80_000)
        #expect(try rig.store.voidSale(saleID, actor: "manager") == .confirmed)
        #expect(try rig.qty(eighths.id) == 100_000)
        #expect(try rig.qty(bulk.id) == 1_000_000)
        #expect(throws: (any Error).self) { try rig.store.voidSale(saleID, actor: "manager") }
        try rig.checkInvariants()
    }

    @Test func overselling_voidAndQuarantinedLotsAreRefusedAndTheSaleStaysOpen() throws {
        let rig = try StationRig(stations: [kiosk()])
        let two = try rig.lot("2", product: rig.eighth)
        let held = try rig.lot("5", product: rig.eighth, section: rig.quarantine)
        let gone = try rig.lot("5", product: rig.eighth)
        _ = try rig.store.voidLot(gone.id, actor: "test")
        let events = try rig.scan("kiosk", two.id, two.id, two.id, held.id, gone.id)
        #expect(events.actions == ["add", "add", "oversell", "quarantined", "void-lot"], "\(events.map(\.message))")
        #expect(events[2].message.contains("holds 2 ea"))
        // Stock taken by someone else between the scans and PAY: refused, the sale stays open.
        _ = try rig.store.adjustLot(two.id, .by("-1"), reason: .audit, note: "counted", actor: "test")
        let pay = try rig.scan("kiosk", "LOTBOX:PAY")
        #expect(pay.first?.outcome == .refused)
        #expect(pay.first?.message.contains("the sale stays open") == true)
        let saleID = try #require(try rig.store.stationState("kiosk")?.saleID)
        #expect(try rig.store.sale(saleID).isOpen)
        #expect(try rig.qty(two.id) == 10_000)
        let retry = try rig.scan("kiosk", "LOTBOX:VOID-LAST", "LOTBOX:PAY")
        #expect(retry.outcomes == [.accepted, .accepted], "\(retry.map(\.message))")
        #expect(try rig.qty(two.id) == 0)
        // Nothing left: the UPC finds no lot to sell from.
        let none = try rig.scan("kiosk", "036000291452")
        #expect(none.first?.action == "oversell")
        try rig.checkInvariants()
    }

    @Test func theAgeCheckComesFirstAndKeepsNoLicenceData() throws {
        let rig = try StationRig(stations: [kiosk(ageCheck: true)])
        let eighths = try rig.lot("10", product: rig.eighth)
        let minor = AAMVASample.data(family: "YOUNGSTER", birth: "01012015", expiry: "01012099")
        let adult = AAMVASample.data(family: "GROWNUP", birth: "01011980", expiry: "01012099")
        let expired = AAMVASample.data(family: "LAPSED", birth: "01011980", expiry: "01012020")
        var events = try rig.scan("kiosk", eighths.id)
        events += try rig.scan("kiosk", eighths.id, licence: minor)
        events += try rig.scan("kiosk", eighths.id, licence: expired)
        events += try rig.scan("kiosk", eighths.id, "LOTBOX:PAY", licence: adult)
        #expect(events.map { "\($0.outcome.rawValue) \($0.action)" } == [
            "refused age-check",
            "refused age-check", "refused age-check",
            "refused age-check", "refused age-check",
            "accepted age-check", "accepted add", "accepted pay",
        ], "\(events.map(\.message))")
        #expect(events[1].message.contains("under 21"))
        #expect(events[3].message.contains("expired"))
        let sale = try rig.store.sale(try #require(events.last?.objectID))
        #expect(sale.ageCheck == "passed")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: rig.store.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: rig.store.path + "-wal"))) ?? Data())
        for secret in ["YOUNGSTER", "GROWNUP", "LAPSED", "01011980", "01012015"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the store")
        }
        // A new sale needs a new check.
        #expect(try rig.scan("kiosk", eighths.id).first?.action == "age-check")
    }

    @Test func thePurchaseLimitIsPerSale() throws {
        let rig = try StationRig(stations: [kiosk(limit: PurchaseLimit(grams: 70_000))])
        let eighths = try rig.lot("10", product: rig.eighth)
        let events = try rig.scan("kiosk", eighths.id, eighths.id, eighths.id, "LOTBOX:PAY", eighths.id)
        #expect(events.actions == ["add", "add", "purchase-limit", "pay", "add"], "\(events.map(\.message))")
        #expect(events[2].message.contains("7 g"))
        try rig.checkInvariants()
    }

    @Test func anOpenSaleSurvivesARestart() throws {
        let rig = try StationRig(stations: [kiosk()])
        let eighths = try rig.lot("10", product: rig.eighth)
        try rig.scan("kiosk", eighths.id, eighths.id)
        rig.stop()
        // A new daemon: a new store handle on the same file, new readers, new stations.
        let reopened = try LotStore(path: rig.store.path)
        try rig.start([kiosk()], store: reopened)
        let events = try rig.scan("kiosk", eighths.id, "LOTBOX:PAY")
        #expect(events.outcomes == [.accepted, .accepted])
        let sale = try reopened.sale(try #require(events.last?.objectID))
        #expect(sale.lines.count == 3 && sale.stat == 200)
        #expect(try reopened.lot(id: eighths.id)?.qty == 70_000)
        try rig.checkInvariants()
    }
}
