import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// OpenTHC's two-step delete of a license's sections, varieties, products and vehicles: 410,
/// then 423, then nothing; never another license's row, never a row every license shares.
@Suite(.timeLimit(.minutes(5))) struct DeleteOwnedTests {
    @Test func aRowGoesTo410Then423ThenStays() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "t")
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let section = try store.addSection(name: "Old Room", licenseKey: grower.id, actor: "t")
        #expect(try store.deleteSection(id: section.id, license: grower.id, ifMatch: section.hash, actor: "t") == .requested)
        let marked = try #require(try store.section(id: section.id, license: grower.id))
        #expect(marked.stat == 410)
        #expect(throws: StoreError.changedMeanwhile(kind: "section", id: section.id)) {
            try store.deleteSection(id: section.id, license: grower.id, ifMatch: section.hash, actor: "t")
        }
        #expect(try store.deleteSection(id: section.id, license: grower.id, ifMatch: marked.hash, actor: "t") == .confirmed)
        #expect(try store.section(id: section.id, license: grower.id)?.stat == 423)
        let cursor = try store.latestCursor()
        #expect(try store.deleteSection(id: section.id, license: grower.id, actor: "t") == .locked)
        #expect(try store.latestCursor() == cursor)

        let variety = try store.addVariety(name: "Gelato", licenseKey: grower.id, actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, licenseKey: grower.id), actor: "t")
        let van = try store.addVehicle(NewVehicle(name: "Van"), licenseKey: grower.id, actor: "t")
        #expect(throws: StoreError.notFound(kind: "variety", key: variety.id)) { try store.deleteVariety(id: variety.id, license: shop.id, actor: "t") }
        #expect(throws: StoreError.notFound(kind: "product", key: product.id)) { try store.deleteProduct(id: product.id, license: shop.id, actor: "t") }
        #expect(throws: StoreError.notFound(kind: "vehicle", key: van.id)) { try store.deleteVehicle(id: van.id, license: shop.id, actor: "t") }
        #expect(throws: StoreError.notFound(kind: "section", key: "nope")) { try store.deleteSection(id: "nope", license: grower.id, actor: "t") }
        #expect(try store.deleteVariety(id: variety.id, license: grower.id, actor: "t") == .requested)
        #expect(try store.deleteProduct(id: product.id, license: grower.id, actor: "t") == .requested)
        #expect(try store.deleteVehicle(id: van.id, license: grower.id, actor: "t") == .requested)
        #expect(try store.deleteVehicle(id: van.id, license: grower.id, actor: "t") == .confirmed)
        #expect(try store.vehicle(id: van.id, license: grower.id)?.stat == 423)
        #expect(try store.variety(id: variety.id, license: grower.id)?.stat == 410)
        #expect(try store.products(license: grower.id, query: ListQuery(stat: 410)).rows.map(\.id) == [product.id])

        let shared = try store.addSection(name: "Hall", actor: "t")
        #expect(throws: OperationRefused("shared", "section \(shared.id) is every license's (it has no license); one license cannot delete it")) {
            try store.deleteSection(id: shared.id, license: grower.id, actor: "t")
        }
        #expect(try store.section(id: shared.id, license: grower.id)?.stat == 200)
    }
}
