import Foundation
import LotboxTestSupport
import LotboxCore
@testable import LotboxStore

/// A real store file in a fresh temporary folder, with a license, a section, a variety and two
/// products (bulk grams, and 3.5 g each).
struct StoreFixture {
    let folder: String
    let path: String
    let store: LotStore
    let license: License
    let vault: Section
    let variety: Variety
    let flower: Product
    let eighth: Product

    init(clock: @escaping ULIDGenerator.Clock = ULIDGenerator.systemMilliseconds) throws {
        folder = try TemporaryFolder.make()
        path = folder + "/lotbox.sqlite"
        store = try LotStore(path: path, create: true, clock: clock)
        license = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "test")
        vault = try store.addSection(name: "Vault", actor: "test")
        variety = try store.addVariety(name: "Blue Dream", type: "Hybrid", actor: "test")
        flower = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        eighth = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35"), actor: "test")
    }

    func lot(_ qty: String, product: Product? = nil, metrc: String? = nil) throws -> Lot {
        try store.createLot(NewLot(licenseKey: license.id, productKey: (product ?? flower).id, varietyKey: variety.id,
                                   sectionKey: vault.id, qty: qty, externalIDs: metrc.map { [.metrc: $0] } ?? [:]), actor: "test")
    }
}

