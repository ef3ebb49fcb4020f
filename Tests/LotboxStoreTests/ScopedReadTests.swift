import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Reads as one license sees the store (the API's session license): its rows and the shared
/// ones, never another license's; searched, filtered, paged and followed by change-feed cursor.
@Suite(.timeLimit(.minutes(5))) struct ScopedReadTests {
    struct Box {
        let store: LotStore
        let grower: License
        let shop: License
        let growerFlower: Product
        let shopFlower: Product

        init() throws {
            store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
            grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
            shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "test")
            growerFlower = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: grower.id), actor: "test")
            shopFlower = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", licenseKey: shop.id), actor: "test")
        }

        func lot(_ license: License, _ qty: String, metrc: String? = nil) throws -> Lot {
            try store.createLot(NewLot(licenseKey: license.id, productKey: "Flower", qty: qty,
                                       externalIDs: metrc.map { [.metrc: $0] } ?? [:]), actor: "test")
        }
    }

    @Test func aLicenseSeesItsOwnRowsAndTheSharedOnesInNameOrder() throws {
        let box = try Box()
        let growerRoom = try box.store.addSection(name: "Veg Room", licenseKey: box.grower.id, actor: "test")
        let shopFloor = try box.store.addSection(name: "Sales Floor", licenseKey: box.shop.id, actor: "test")
        let shared = try box.store.addSection(name: "annex", actor: "test")
        #expect(try box.store.sections(license: box.grower.id).rows.map(\.id) == [shared.id, growerRoom.id])
        #expect(try box.store.sections(license: box.shop.id).rows.map(\.id) == [shared.id, shopFloor.id])
        #expect(try box.store.products(license: box.grower.id).rows.map(\.id) == [box.growerFlower.id])
        let sharedKush = try box.store.addVariety(name: "Kush", actor: "test")
        let shopGelato = try box.store.addVariety(name: "Gelato", licenseKey: box.shop.id, actor: "test")
        #expect(try box.store.varieties(license: box.grower.id).rows.map(\.id) == [sharedKush.id])
        #expect(try box.store.varieties(license: box.shop.id).rows.map(\.id) == [shopGelato.id, sharedKush.id])

        #expect(try box.store.section(id: shopFloor.id, license: box.grower.id) == nil)
        #expect(try box.store.section(id: shopFloor.id, license: box.shop.id)?.name == "Sales Floor")
        #expect(try box.store.section(id: shared.id, license: box.grower.id)?.name == "annex")
        #expect(try box.store.product(id: box.shopFlower.id, license: box.grower.id) == nil)
        #expect(try box.store.variety(id: shopGelato.id, license: box.shop.id)?.name == "Gelato")
    }

    @Test func qSearchesIdNameAndCodeIgnoringCaseAndTakesWildcardsLiterally() throws {
        let box = try Box()
        _ = try box.store.addSection(name: "Vault 100%", licenseKey: box.grower.id, actor: "test")
        let plain = try box.store.addSection(name: "Vault 1000", licenseKey: box.grower.id, actor: "test")
        #expect(try box.store.sections(license: box.grower.id, query: ListQuery(q: "VAULT")).rows.count == 2)
        #expect(try box.store.sections(license: box.grower.id, query: ListQuery(q: "100%")).rows.map(\.name) == ["Vault 100%"])
        #expect(try box.store.sections(license: box.grower.id, query: ListQuery(q: String(plain.id.suffix(6)).lowercased())).rows.map(\.id) == [plain.id])
        #expect(try box.store.licenses(query: ListQuery(q: "r-2")).rows.map(\.id) == [box.shop.id])
        #expect(try box.store.companies(query: ListQuery(q: "acres")).rows.map(\.id) == [box.grower.companyId])
        let contact = try box.store.addContact(name: "Dana Driver", type: "driver", companyKey: box.shop.companyId,
                                               email: "dana@corner.example", actor: "test")
        #expect(try box.store.contacts(query: ListQuery(q: "CORNER.example")).rows.map(\.id) == [contact.id])
        #expect(try box.store.contacts(query: ListQuery(q: "nobody")).rows.isEmpty)
        #expect(try box.store.contact(id: contact.id)?.email == "dana@corner.example")
        #expect(try box.store.license(id: box.grower.id)?.code == "G-1")
        #expect(try box.store.company(id: "nope") == nil)
    }

    @Test func lotsAreTheLicensesOwnFoundByTagFilteredByStateAndPaged() throws {
        let box = try Box()
        let first = try box.lot(box.grower, "10 g", metrc: "1A4FF0100000022000000777")
        let second = try box.lot(box.grower, "20 g")
        let third = try box.lot(box.grower, "30 g")
        let shops = try box.lot(box.shop, "4")
        let all = try box.store.lots(license: box.grower.id, query: ListQuery())
        #expect(all.rows.map(\.lot.id) == [first.id, second.id, third.id])
        #expect(all.rows.map(\.uom) == ["g", "g", "g"])
        #expect(try box.store.lots(license: box.shop.id, query: ListQuery()).rows.map(\.uom) == ["ea"])
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(q: "1a4ff0100000022000000777")).rows.map(\.lot.id) == [first.id])
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(limit: 2, offset: 1)).rows.map(\.lot.id) == [second.id, third.id])
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(limit: 1, offset: 3)).rows.isEmpty)

        #expect(try box.store.voidLot(second.id, actor: "test") == .requested)
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(stat: 200)).rows.map(\.lot.id) == [first.id, third.id])
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(stat: 410)).rows.map(\.lot.id) == [second.id])

        #expect(try box.store.lotView(id: shops.id, license: box.grower.id) == nil)
        // A jar of 3.5 g is counted in jars: its lots, and bare quantities for it, are in ea.
        #expect(try box.store.lotView(id: shops.id, license: box.shop.id)?.uom == "ea")
        #expect(try box.store.lotUnit(ofProduct: box.shopFlower.id) == "ea")
        #expect(try box.store.lotUnit(ofProduct: box.growerFlower.id) == "g")
        let mine = try #require(try box.store.lotView(id: first.id, license: box.grower.id))
        #expect(mine.lot.qty == 100_000 && mine.uom == "g")

        #expect(throws: StoreError.invalid("limit 0 is out of range; expected 1 to 10000")) {
            try box.store.lots(license: box.grower.id, query: ListQuery(limit: 0))
        }
        #expect(throws: StoreError.invalid("offset -1 is negative; expected 0 or more")) {
            try box.store.sections(license: box.grower.id, query: ListQuery(offset: -1))
        }
        #expect(throws: StoreError.self) { try box.store.lots(license: box.grower.id, query: ListQuery(stat: 2)) }
    }

    @Test func sinceGivesWhatChangedAfterTheCursorInChangeOrderAndTheNextCursor() throws {
        let box = try Box()
        let first = try box.lot(box.grower, "10 g")
        let second = try box.lot(box.grower, "20 g")
        let start = try box.store.lots(license: box.grower.id, query: ListQuery()).cursor
        #expect(start == (try box.store.latestCursor()))
        #expect(try box.store.lots(license: box.grower.id, query: ListQuery(since: start)).rows.isEmpty)

        let third = try box.lot(box.grower, "30 g")
        try box.store.adjustLot(first.id, .to("9 g"), reason: .correction, note: "recount", actor: "test")
        _ = try box.lot(box.shop, "2")
        let changed = try box.store.lots(license: box.grower.id, query: ListQuery(since: start))
        // Oldest change first: the third lot was made before the first was counted again.
        #expect(changed.rows.map(\.lot.id) == [third.id, first.id])
        #expect(changed.rows.last?.lot.qty == 90_000)
        #expect(changed.cursor == (try box.store.latestCursor()))
        #expect(!changed.rows.contains { $0.lot.id == second.id })

        // A full page's cursor is its last row's change: the next page starts right after it.
        let page = try box.store.lots(license: box.grower.id, query: ListQuery(limit: 1, since: start))
        #expect(page.rows.map(\.lot.id) == [third.id])
        #expect(page.cursor < changed.cursor)
        let rest = try box.store.lots(license: box.grower.id, query: ListQuery(limit: 1, since: page.cursor))
        #expect(rest.rows.map(\.lot.id) == [first.id])

        let head = try box.store.latestCursor()
        #expect(throws: StoreError.invalid("since \(head + 1) is not a cursor of this store; expected 0 to \(head)")) {
            try box.store.lots(license: box.grower.id, query: ListQuery(since: head + 1))
        }
        // The directory follows the feed too.
        let company = try box.store.addCompany(name: "New Partner", actor: "test")
        #expect(try box.store.companies(query: ListQuery(since: head)).rows.map(\.id) == [company.id])
    }

    @Test func theFeedShowsALicenseItsOwnVarietiesAndVehiclesOnly() throws {
        let box = try Box()
        let start = try box.store.latestCursor()
        let shared = try box.store.addVariety(name: "Kush", actor: "test")
        let growers = try box.store.addVariety(name: "Gelato", licenseKey: box.grower.id, actor: "test")
        let shops = try box.store.addVariety(name: "Zkittlez", licenseKey: box.shop.id, actor: "test")
        let van = try box.store.addVehicle(NewVehicle(name: "Van"), licenseKey: box.grower.id, actor: "test")
        let truck = try box.store.addVehicle(NewVehicle(name: "Truck"), licenseKey: box.shop.id, actor: "test")
        let seen = try box.store.changes(after: start, license: box.grower.id).map(\.objectId)
        #expect(seen == [shared.id, growers.id, van.id])
        #expect(!seen.contains(shops.id) && !seen.contains(truck.id))
        #expect(try box.store.changes(after: start, license: box.shop.id).map(\.objectId) == [shared.id, shops.id, truck.id])
    }
}
