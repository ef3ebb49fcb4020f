import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Ids the caller chooses (OpenTHC clients may; a second box replays calls): the same create
/// again is answered with the first row and writes nothing, a different row under the id is a
/// conflict, a malformed id is refused.
@Suite(.timeLimit(.minutes(5))) struct ChosenIDTests {
    static func store() throws -> LotStore {
        try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
    }

    @Test func directoryRowsTakeTheirIdAndAReplayWritesNothing() throws {
        let store = try Self.store()
        let company = try store.addCompany(name: "Green Acres LLC", code: "C-9", id: "010PENTHC0C0MPANY0000000A", actor: "test")
        #expect(company.id == "010PENTHC0C0MPANY0000000A")
        let license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", companyKey: company.id,
                                           id: "LIC-GREEN-1", actor: "test")
        #expect(license.id == "LIC-GREEN-1" && license.companyId == company.id)
        let contact = try store.addContact(name: "Dana", type: "driver", companyKey: company.id, email: "d@example.com",
                                           id: "contact:dana", actor: "test")
        #expect(contact.id == "contact:dana")
        let cursor = try store.latestCursor()
        let mark = try store.ulidMark()

        #expect(try store.addCompany(name: "Green Acres LLC", code: "C-9", id: company.id, actor: "again") == company)
        #expect(try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", companyKey: company.id,
                                     id: license.id, actor: "again") == license)
        #expect(try store.addContact(name: "Dana", type: "Driver", companyKey: company.id, email: "d@example.com",
                                     id: contact.id, actor: "again") == contact)
        #expect(try store.latestCursor() == cursor)
        #expect(try store.ulidMark() == mark)

        #expect(throws: StoreError.conflict("company id '010PENTHC0C0MPANY0000000A' is already taken by another company (name 'Green Acres LLC' here, 'Other LLC' asked); choose another id")) {
            try store.addCompany(name: "Other LLC", code: "C-9", id: company.id, actor: "test")
        }
        #expect(throws: StoreError.conflict("license id 'LIC-GREEN-1' is already taken by another license (code 'G-1' here, 'G-2' asked); choose another id")) {
            try store.addLicense(name: "Green Acres", code: "G-2", typeKey: "grower", companyKey: company.id, id: license.id, actor: "test")
        }
        #expect(throws: StoreError.self) {
            try store.addContact(name: "Dana", type: "driver", companyKey: company.id, email: "other@example.com", id: contact.id, actor: "test")
        }
        #expect(try store.latestCursor() == cursor)
    }

    @Test func malformedIdsAreRefusedAndNothingIsWritten() throws {
        let store = try Self.store()
        let cursor = try store.latestCursor()
        for bad in ["", "a b", "x/y", "lot?1", String(repeating: "A", count: 65), "caf\u{E9}", "tab\there"] {
            #expect(throws: StoreError.self, "id \(bad.debugDescription)") { try store.addCompany(name: "Acme", id: bad, actor: "test") }
        }
        do {
            _ = try store.addSection(name: "Vault", id: "a/b", actor: "test")
            Issue.record("a section id with a slash was taken")
        } catch let error as StoreError {
            #expect(error.description == "section id 'a/b' is not an id lotbox takes; expected 1 to 64 letters, digits, '.', '_', '-' or ':'")
        }
        #expect(try store.latestCursor() == cursor)
        #expect(try store.addCompany(name: "Acme", id: String(repeating: "A", count: 64), actor: "test").id.count == 64)
    }

    @Test func configRowsTakeTheirIdAndAReplayIsNotANameConflict() throws {
        let store = try Self.store()
        let license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        let section = try store.addSection(name: "Vault", licenseKey: license.id, id: "SECTION-1", actor: "test")
        let variety = try store.addVariety(name: "Blue Dream", type: "hybrid", licenseKey: license.id, id: "VARIETY-1", actor: "test")
        let product = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                      unitPrice: "35", licenseKey: license.id, id: "PRODUCT-1"), actor: "test")
        #expect([section.id, variety.id, product.id] == ["SECTION-1", "VARIETY-1", "PRODUCT-1"])
        let cursor = try store.latestCursor()
        #expect(try store.addSection(name: "Vault", licenseKey: "G-1", id: "SECTION-1", actor: "test") == section)
        #expect(try store.addVariety(name: "Blue Dream", type: "Hybrid", licenseKey: license.id, id: "VARIETY-1", actor: "test") == variety)
        #expect(try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                unitPrice: "35.00", licenseKey: license.id, id: "PRODUCT-1"), actor: "test") == product)
        #expect(try store.latestCursor() == cursor)

        // The same id for something else: a conflict, whatever the name.
        #expect(throws: StoreError.conflict("section id 'SECTION-1' is already taken by another section (type 'inventory' here, 'inventory-quarantine' asked); choose another id")) {
            try store.addSection(name: "Vault", type: .inventoryQuarantine, licenseKey: license.id, id: "SECTION-1", actor: "test")
        }
        #expect(throws: StoreError.conflict("variety id 'VARIETY-1' is already taken by another variety (license '\(license.id)' here, none asked); choose another id")) {
            try store.addVariety(name: "Blue Dream", type: "Hybrid", id: "VARIETY-1", actor: "test")
        }
        #expect(throws: StoreError.self) {
            try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                            unitPrice: "30", licenseKey: license.id, id: "PRODUCT-1"), actor: "test")
        }
        // A new id with a name the license already has is still a name conflict.
        #expect(throws: StoreError.self) { try store.addSection(name: "vault", licenseKey: license.id, id: "SECTION-2", actor: "test") }
        #expect(try store.latestCursor() == cursor)
    }

    @Test func aLotTakesItsIdAndAReplayAfterAnAdjustmentIsStillTheSameLot() throws {
        let store = try Self.store()
        let license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        _ = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: license.id), actor: "test")
        let new = NewLot(licenseKey: "G-1", productKey: "Flower", qty: "100 g", name: "Batch 7", id: "01JCLIENTCHOSEN0000000000A")
        let lot = try store.createLot(new, actor: "api")
        #expect(lot.id == "01JCLIENTCHOSEN0000000000A")
        try store.adjustLot(lot.id, .to("90 g"), reason: .correction, note: "recount", actor: "test")
        let cursor = try store.latestCursor()
        let again = try store.createLot(new, actor: "api")
        #expect(again.id == lot.id)
        #expect(again.qty == 900_000)
        #expect(try store.lotDetail(lot.id).ledger.count == 2)
        #expect(try store.latestCursor() == cursor)

        var other = new
        other.qty = "50 g"
        #expect(throws: StoreError.conflict("lot id '01JCLIENTCHOSEN0000000000A' is already taken by another lot (qty_initial '100.0000' here, '50.0000' asked); choose another id")) {
            try store.createLot(other, actor: "api")
        }
        #expect(try store.latestCursor() == cursor)
    }

    /// A syncing peer replays splits and converts: the same one again (even after the source
    /// shrank, so the first split's own effect would now refuse it) is the same lot and writes
    /// nothing; other sources, amounts or products under the id are a conflict.
    @Test func aSplitAndAConvertTakeTheirIdAndReplayWithoutTakingStockTwice() throws {
        let store = try Self.store()
        let license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        _ = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: license.id), actor: "test")
        _ = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", licenseKey: license.id), actor: "test")
        let source = try store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", qty: "100 g"), actor: "test")
        let split = try store.splitLot(source.id, qty: "60 g", id: "SPLIT-1", actor: "peer")
        #expect(split.id == "SPLIT-1" && split.qty == 600_000)
        let cursor = try store.latestCursor()
        // 40 g are left: a second split of 60 g would be refused, its replay is not.
        #expect(try store.splitLot(source.id, qty: "60 g", id: "SPLIT-1", actor: "peer") == split)
        #expect(try store.lotDetail(source.id).lot.qty == 400_000)
        #expect(try store.latestCursor() == cursor)
        #expect(throws: StoreError.conflict("lot id 'SPLIT-1' is already taken by another lot (quantity '60.0000' here, '10.0000' asked; sources 'SPLT \(source.id)=60.0000' here, 'SPLT \(source.id)=10.0000' asked); choose another id")) {
            try store.splitLot(source.id, qty: "10 g", id: "SPLIT-1", actor: "peer")
        }

        let jars = try store.convertLots(sources: [(key: source.id, qty: "35 g"), (key: split.id, qty: "35 g")], productKey: "Eighth",
                                         outputQty: "20", id: "CONV-1", actor: "peer")
        #expect(jars.id == "CONV-1")
        let afterConvert = try store.latestCursor()
        #expect(try store.convertLots(sources: [(key: split.id, qty: "35 g"), (key: source.id, qty: "35 g")], productKey: "Eighth",
                                      outputQty: "20", id: "CONV-1", actor: "peer") == jars)
        #expect(try store.lotDetail(source.id).lot.qty == 50_000 && store.lotDetail(split.id).lot.qty == 250_000)
        #expect(try store.latestCursor() == afterConvert)
        #expect(throws: StoreError.self) {
            try store.convertLots(sources: [(key: source.id, qty: "1 g")], productKey: "Eighth", outputQty: "20", id: "CONV-1", actor: "peer")
        }
        // A plain lot's id is not a split's.
        #expect(throws: StoreError.self) { try store.splitLot(source.id, qty: "1 g", id: source.id, actor: "peer") }
        #expect(try store.latestCursor() == afterConvert)
    }
}
