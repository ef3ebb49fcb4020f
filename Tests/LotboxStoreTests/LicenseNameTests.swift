import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Section, variety and product names belong to a license (migration v6-license-names): two
/// licenses on one box may each have a "Vault", one license may not have two, and a row without
/// a license is every license's.
@Suite(.timeLimit(.minutes(5))) struct LicenseNameTests {
    /// A real store file with two licenses of different companies.
    struct TwoLicenses {
        let store: LotStore
        let path: String
        let grower: License
        let shop: License

        init() throws {
            path = try TemporaryFolder.make() + "/lotbox.sqlite"
            store = try LotStore(path: path, create: true)
            grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
            shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "test")
        }

        func product(_ name: String, license: License?) throws -> Product {
            try store.addProduct(NewProduct(name: name, typeKey: "Flower/Dry", packageType: .bulk, licenseKey: license?.id), actor: "test")
        }
    }

    @Test func theSameNameUnderTwoLicensesIsFineTwiceUnderOneIsAConflict() throws {
        let box = try TwoLicenses()
        let growerVault = try box.store.addSection(name: "Vault", licenseKey: box.grower.id, actor: "test")
        let shopVault = try box.store.addSection(name: "vault", licenseKey: box.shop.id, actor: "test")
        #expect(growerVault.id != shopVault.id)
        #expect(growerVault.licenseId == box.grower.id)
        #expect(shopVault.licenseId == box.shop.id)
        #expect(throws: StoreError.conflict("section 'Vault' already exists under license G-1 Green Acres; choose another name")) {
            try box.store.addSection(name: "VAULT", licenseKey: "G-1", actor: "test")
        }

        let growerDream = try box.store.addVariety(name: "Blue Dream", type: "hybrid", licenseKey: box.grower.id, actor: "test")
        let shopDream = try box.store.addVariety(name: "Blue Dream", licenseKey: "R-2", actor: "test")
        #expect(growerDream.licenseId == box.grower.id)
        #expect(shopDream.licenseId == box.shop.id)
        #expect(throws: StoreError.conflict("variety 'Blue Dream' already exists under license R-2 Corner Shop; choose another name")) {
            try box.store.addVariety(name: "blue dream", licenseKey: box.shop.id, actor: "test")
        }

        _ = try box.product("Flower", license: box.grower)
        _ = try box.product("Flower", license: box.shop)
        #expect(throws: StoreError.conflict("product 'Flower' already exists under license G-1 Green Acres; choose another name")) {
            try box.product("FLOWER", license: box.grower)
        }
        // The refusals wrote nothing: two rows of each name, one per license.
        let counts = try DatabaseQueue(path: box.path).read { db in
            try ["section", "variety", "product"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0) WHERE name = ? COLLATE NOCASE", arguments: [$0 == "section" ? "Vault" : $0 == "variety" ? "Blue Dream" : "Flower"]) ?? -1 }
        }
        #expect(counts == [2, 2, 2])
    }

    @Test func aRowWithoutALicenseClashesWithEveryLicense() throws {
        let box = try TwoLicenses()
        _ = try box.store.addVariety(name: "Gelato", actor: "test")
        #expect(throws: StoreError.self) { try box.store.addVariety(name: "gelato", licenseKey: box.grower.id, actor: "test") }
        do {
            _ = try box.store.addVariety(name: "GELATO", licenseKey: box.shop.id, actor: "test")
            Issue.record("a licensed variety took the name of a variety every license uses")
        } catch let error as StoreError {
            #expect(error.description.contains("'Gelato' already exists for every license"))
        }
        _ = try box.store.addSection(name: "Dock", licenseKey: box.shop.id, actor: "test")
        #expect(throws: StoreError.conflict("section 'Dock' already exists under license R-2 Corner Shop; a section without a license is every license's, so its name must be free under all of them; give a license or another name")) {
            try box.store.addSection(name: "dock", actor: "test")
        }
        // A name nobody uses may still be everyone's.
        #expect(try box.store.addSection(name: "Hallway", actor: "test").licenseId == nil)
    }

    @Test func namesAreLookedUpAsTheLicenseSeesThem() throws {
        let box = try TwoLicenses()
        let growerFlower = try box.product("Flower", license: box.grower)
        let shopFlower = try box.product("Flower", license: box.shop)
        let growerVault = try box.store.addSection(name: "Vault", licenseKey: box.grower.id, actor: "test")
        let shopVault = try box.store.addSection(name: "Vault", licenseKey: box.shop.id, actor: "test")
        let shared = try box.store.addVariety(name: "Shared Kush", actor: "test")

        // A lot's names are its license's.
        let growerLot = try box.store.createLot(NewLot(licenseKey: "G-1", productKey: "flower", varietyKey: "shared kush",
                                                       sectionKey: "vault", qty: "10 g"), actor: "test")
        #expect(growerLot.productId == growerFlower.id)
        #expect(growerLot.sectionId == growerVault.id)
        #expect(growerLot.varietyId == shared.id)
        let shopLot = try box.store.createLot(NewLot(licenseKey: "R-2", productKey: "Flower", sectionKey: "Vault", qty: "3 g"), actor: "test")
        #expect(shopLot.productId == shopFlower.id)
        #expect(shopLot.sectionId == shopVault.id)

        // Another license's row is not there for a license, by name or by id.
        #expect(throws: StoreError.notFound(kind: "section", key: shopVault.id)) {
            try box.store.createLot(NewLot(licenseKey: "G-1", productKey: "Flower", sectionKey: shopVault.id, qty: "1 g"), actor: "test")
        }
        #expect(throws: StoreError.notFound(kind: "section", key: shopVault.id)) {
            try box.store.moveLot(growerLot.id, toSection: shopVault.id, actor: "test")
        }

        // Without a license, a name two licenses use is ambiguous and both are named.
        do {
            _ = try box.store.setSection("Vault", type: .inventoryQuarantine, actor: "test")
            Issue.record("a name two licenses use was taken without a license")
        } catch let StoreError.ambiguous(kind, key, matches) {
            #expect(kind == "section" && key == "Vault")
            #expect(matches.sorted() == ["\(growerVault.id) (Vault, license G-1 Green Acres)", "\(shopVault.id) (Vault, license R-2 Corner Shop)"].sorted())
        }
        let moved = try box.store.setSection("Vault", type: .inventoryQuarantine, licenseKey: "R-2", actor: "test")
        #expect(moved.id == shopVault.id && moved.type == "inventory-quarantine")
        #expect(try box.store.lots(LotFilter(licenseKey: "G-1", productKey: "Flower")).map(\.lot.id) == [growerLot.id])
    }

    @Test func aRenameIsCheckedWithinItsLicense() throws {
        let box = try TwoLicenses()
        let growerDream = try box.store.addVariety(name: "Blue Dream", licenseKey: box.grower.id, actor: "test")
        _ = try box.store.addVariety(name: "Gelato", licenseKey: box.shop.id, actor: "test")
        _ = try box.store.addVariety(name: "Gelato 41", licenseKey: box.grower.id, actor: "test")
        // The shop's Gelato is no obstacle to the grower's renaming.
        #expect(try box.store.setVariety(growerDream.id, name: "Gelato", actor: "test").name == "Gelato")
        #expect(throws: StoreError.conflict("variety 'Gelato' already exists under license G-1 Green Acres; choose another name")) {
            try box.store.setVariety("Gelato 41", name: "gelato", actor: "test")
        }
        let shopProduct = try box.product("Eighth", license: box.shop)
        _ = try box.product("Flower", license: box.grower)
        #expect(try box.store.setProduct(shopProduct.id, ProductChanges(name: "Flower"), actor: "test").name == "Flower")
        #expect(throws: StoreError.self) {
            try box.store.setProduct("Flower", ProductChanges(price: "5"), actor: "test")
        }
        #expect(try box.store.setProduct("Flower", ProductChanges(price: "5"), licenseKey: "R-2", actor: "test").id == shopProduct.id)
    }

    @Test func varietiesMadeBeforeTheMigrationAreEveryLicensesAndKeepTheirNames() throws {
        let path = try TemporaryFolder.make() + "/old.sqlite"
        // A store as the previous release left it, with a variety and a lot of it.
        do {
            let queue = try DatabaseQueue(path: path)
            let migrator = StoreMigrator.migrator
            let before = try #require(StoreMigrator.migrator.migrations.firstIndex(of: SchemaV6LicenseNames.identifier))
            try migrator.migrate(queue, upTo: StoreMigrator.migrator.migrations[before - 1])
            try queue.write { db in
                try db.execute(sql: "INSERT INTO variety (id, name) VALUES ('V1', 'Old Kush')")
            }
        }
        let store = try LotStore(path: path)
        let variety = try #require(try store.varieties().first { $0.id == "V1" })
        #expect(variety.licenseId == nil)
        let license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        #expect(throws: StoreError.self) { try store.addVariety(name: "old kush", licenseKey: license.id, actor: "test") }
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "test")
        #expect(try store.createLot(NewLot(licenseKey: "G-1", productKey: product.id, varietyKey: "Old Kush", qty: "1 g"), actor: "test").varietyId == "V1")
    }
}
