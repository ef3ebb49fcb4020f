import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Incoming transfers made header first and filled package by package (as an API client makes
/// them), then accepted like any manifest.
@Suite(.timeLimit(.minutes(5))) struct IncomingHeaderTests {
    @Test func anIncomingTransferIsMadeEmptyFilledAndAccepted() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let farm = try store.addLicense(name: "Far Farm", code: "G-9", typeKey: "grower", actor: "t")
        let jar = try store.addProduct(NewProduct(name: "Jar", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                  licenseKey: shop.id), actor: "t")
        let header = try store.createIncomingTransfer(from: "G-9", license: shop.id, name: "From the farm", id: "IN-1", actor: "t")
        #expect(header.id == "IN-1" && header.items.isEmpty && header.sourceLicenseID == farm.id && header.targetLicenseID == shop.id)
        #expect(try store.createIncomingTransfer(from: farm.id, license: shop.id, name: "From the farm", id: "IN-1", actor: "t") == header)
        #expect(throws: StoreError.self) {
            try store.createIncomingTransfer(from: farm.id, license: shop.id, name: "Other", id: "IN-1", actor: "t")
        }
        #expect(throws: StoreError.invalid("a transfer's source is its target, license R-2 Corner Shop; expected another license")) {
            try store.createIncomingTransfer(from: "R-2", license: shop.id, actor: "t")
        }

        let tag = "1A4FF0100000022000000901"
        let item = try store.addIncomingItem(transfer: "IN-1", license: shop.id, NewTransferItem(packageID: tag.lowercased(), productKey: "Jar", qty: "12"),
                                             itemID: "IN-1-A", actor: "t")
        #expect(item.id == "IN-1-A" && item.packageID == tag && item.expected == 120_000 && item.productID == jar.id)
        #expect(try store.addIncomingItem(transfer: "IN-1", license: shop.id, NewTransferItem(packageID: tag, productKey: "Jar", qty: "12"),
                                          itemID: "IN-1-A", actor: "t") == item)
        #expect(throws: StoreError.conflict("package '\(tag)' is already on transfer IN-1")) {
            try store.addIncomingItem(transfer: "IN-1", license: shop.id, NewTransferItem(packageID: tag, productKey: "Jar", qty: "1"), actor: "t")
        }
        #expect(throws: StoreError.notFound(kind: "transfer", key: "IN-1")) {
            try store.addIncomingItem(transfer: "IN-1", license: farm.id, NewTransferItem(packageID: "PKG-2", productKey: "Jar", qty: "1"), actor: "t")
        }
        #expect(throws: StoreError.notFound(kind: "product", key: "Nope")) {
            try store.addIncomingItem(transfer: "IN-1", license: shop.id, NewTransferItem(packageID: "PKG-2", productKey: "Nope", qty: "1"), actor: "t")
        }
        #expect(try store.incomingTransfers(license: shop.id).rows.map(\.id) == ["IN-1"])
        #expect(try store.incomingTransfers(license: farm.id).rows.isEmpty)

        let accepted = try store.acceptTransfer("IN-1", everything: true, actor: "t")
        let lotID = try #require(accepted.lots.first).lotID
        #expect(try store.lotView(id: lotID, license: shop.id)?.lot.qty == 120_000)
        #expect(try store.lot(externalID: tag, kind: .metrc)?.id == lotID)
        #expect(throws: OperationRefused("transfer-closed", "transfer IN-1 was already accepted")) {
            try store.addIncomingItem(transfer: "IN-1", license: shop.id, NewTransferItem(packageID: "PKG-3", productKey: "Jar", qty: "1"), actor: "t")
        }
        // A manifest still needs its items: only the API's header comes first.
        #expect(throws: StoreError.invalid("a transfer needs at least one item; expected --item PACKAGE,PRODUCT,QTY")) {
            try store.createTransfer(NewTransfer(sourceLicenseKey: farm.id, targetLicenseKey: shop.id, items: []), actor: "t")
        }
    }
}
