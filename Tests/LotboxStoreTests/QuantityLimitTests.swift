import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The documented maximum quantity holds on every path, and refusals name licenses by code and name.
@Suite(.timeLimit(.minutes(5))) struct QuantityLimitTests {
    @Test func adjustCannotCarryALotPastTheMaximum() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("999999999999 g")
        let cursor = try fixture.store.latestCursor()
        #expect(throws: StoreError.self) {
            try fixture.store.adjustLot(lot.id, .by("1 g"), reason: .correction, note: "recount", actor: "test")
        }
        do {
            try fixture.store.adjustLot(lot.id, .by("1 g"), reason: .correction, note: "recount", actor: "test")
        } catch let error as StoreError {
            #expect(error.description.contains("999999999999.9999 g"), "\(error)")
        }
        #expect(try fixture.store.latestCursor() == cursor)
        // Up to the maximum itself is fine, and the export of it imports again.
        let full = try fixture.store.adjustLot(lot.id, .by("0.9999 g"), reason: .correction, note: "recount", actor: "test")
        #expect(full.qty == Fixed4.maxUnits)
        let other = try LotStore(path: try TemporaryFolder.make() + "/copy.sqlite", create: true)
        _ = try other.importDocument(try fixture.store.exportDocument(), actor: "test")
        #expect(try other.lot(id: lot.id)?.qty == Fixed4.maxUnits)
    }

    @Test func aConvertAcrossLicensesNamesThemByCodeAndName() throws {
        let fixture = try StoreFixture()
        let other = try fixture.store.addLicense(name: "Hill Farm", code: "HF-9", typeKey: "grower", actor: "test")
        let a = try fixture.lot("10 g")
        let b = try fixture.store.createLot(NewLot(licenseKey: other.id, productKey: fixture.flower.id, qty: "10 g"), actor: "test")
        do {
            _ = try fixture.store.convertLots(sources: [(a.id, "1 g"), (b.id, "1 g")], productKey: fixture.flower.id, outputQty: "2 g", actor: "test")
            Issue.record("converted across licenses")
        } catch let error as StoreError {
            #expect(error.description.contains("license HF-9 Hill Farm"), "\(error)")
            #expect(error.description.contains("license G-1 Green Acres"), "\(error)")
            #expect(!error.description.contains(other.id), "\(error)")
            #expect(!error.description.contains(fixture.license.id), "\(error)")
        }
    }

    @Test func aRetailPriceBelowACentIsRefused() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.invalid("retail price '0.005' has a fraction of a cent; expected whole cents such as 12.50")) {
            try fixture.store.addProduct(NewProduct(name: "Gram", typeKey: "Flower/Bagged", packageType: .each, unit: "1 g", unitPrice: "0.005"), actor: "test")
        }
        let product = try fixture.store.addProduct(NewProduct(name: "Gram", typeKey: "Flower/Bagged", packageType: .each, unit: "1 g", unitPrice: "10.5"), actor: "test")
        #expect(product.unitPrice == 105_000)
    }

    @Test func theParentOfAConvertedLotIsShownInItsOwnUnit() throws {
        let fixture = try StoreFixture()
        let flower = try fixture.lot("1 lb")
        let jars = try fixture.store.convertLots(sources: [(flower.id, "350 g")], productKey: fixture.eighth.id, outputQty: "100", actor: "test")
        let detail = try fixture.store.lotDetail(jars.id)
        #expect(detail.qty.description == "100 ea")
        let link = try #require(detail.parents.first)
        #expect(Quantity(units: link.qty, dimension: try #require(detail.parentDimensions[flower.id])).description == "350 g")
    }

    @Test func aLotInAQuarantineSectionSaysSo() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("10 g")
        #expect(!(try fixture.store.lotDetail(lot.id).isQuarantined))
        let hold = try fixture.store.addSection(name: "Hold", type: .inventoryQuarantine, actor: "test")
        try fixture.store.moveLot(lot.id, toSection: hold.id, actor: "test")
        #expect(try fixture.store.lotDetail(lot.id).isQuarantined)
        #expect(try fixture.store.quarantineSectionIDs() == [hold.id])
    }
}

/// The same maximum for a program writing plain SQL into the store.
@Suite(.timeLimit(.minutes(5))) struct OutsideWriterLimitTests {
    @Test func anOutsideAdjustmentPastTheMaximumIsRefusedBySQLite() throws {
        let fixture = try StoreFixture()
        let lot = try fixture.lot("999999999999 g")
        let past = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: """
            INSERT INTO inventory_adjust (inventory_id, delta, reason_code, note, actor) VALUES ('\(lot.id)', 10000, 'correction', 'x', 'sql');
            """)
        #expect(past.status != 0 && past.err.contains("would hold more than 999999999999.9999"), "\(past.err)")
        let upTo = try runProgram("/usr/bin/sqlite3", ["-bail", fixture.path], input: """
            INSERT INTO inventory_adjust (inventory_id, delta, reason_code, note, actor) VALUES ('\(lot.id)', 9999, 'correction', 'x', 'sql');
            """)
        #expect(upTo.status == 0, "\(upTo.err)")
        #expect(try fixture.store.lot(id: lot.id)?.qty == Fixed4.maxUnits)
    }
}
