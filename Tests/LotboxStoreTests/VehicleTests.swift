import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Vehicles (migration v6-vehicle): one license's each, named uniquely within it, listed,
/// read, changed with the hash read, and followed through the change feed.
@Suite(.timeLimit(.minutes(5))) struct VehicleTests {
    @Test func aVehicleIsItsLicensesAndItsNameIsUniqueWithinIt() throws {
        let path = try TemporaryFolder.make() + "/lotbox.sqlite"
        let store = try LotStore(path: path, create: true)
        let grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "t")
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let van = try store.addVehicle(NewVehicle(name: "Van 1", make: "Ford", model: "Transit", color: "white",
                                                  vin: "1FTBW2CM5GKA12345", plate: "ABC1234"), licenseKey: "G-1", actor: "t")
        #expect(van.licenseId == grower.id && van.make == "Ford" && van.plate == "ABC1234")
        let shopVan = try store.addVehicle(NewVehicle(name: "van 1", make: "Ram", model: "ProMaster", color: "grey"), licenseKey: shop.id, actor: "t")
        #expect(shopVan.id != van.id)
        let cursor = try store.latestCursor()
        #expect(throws: StoreError.conflict("vehicle 'Van 1' already exists under license G-1 Green Acres; choose another name")) {
            try store.addVehicle(NewVehicle(name: "VAN 1"), licenseKey: grower.id, actor: "t")
        }
        #expect(throws: StoreError.self) { try store.addVehicle(NewVehicle(name: " "), licenseKey: grower.id, actor: "t") }
        #expect(throws: StoreError.self) { try store.addVehicle(NewVehicle(name: "Truck", plate: "AB\u{07}C"), licenseKey: grower.id, actor: "t") }
        #expect(throws: StoreError.notFound(kind: "license", key: "X-9")) { try store.addVehicle(NewVehicle(name: "Truck"), licenseKey: "X-9", actor: "t") }
        #expect(try store.latestCursor() == cursor)
        // Every writer meets the same rule: the index refuses plain SQL too.
        #expect(throws: (any Error).self) {
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "INSERT INTO vehicle (id, license_id, name) VALUES ('V-SQL', ?, 'van 1')", arguments: [grower.id])
            }
        }

        #expect(try store.vehicles(license: grower.id).rows.map(\.id) == [van.id])
        #expect(try store.vehicles(license: shop.id, query: ListQuery(q: "promaster")).rows.map(\.id) == [shopVan.id])
        #expect(try store.vehicle(id: van.id, license: shop.id) == nil)
        #expect(try store.vehicle(id: van.id, license: grower.id) == van)

        // A chosen id: the same vehicle again is the first, another is a conflict.
        let truck = try store.addVehicle(NewVehicle(name: "Truck", make: "Isuzu", id: "VEH-TRUCK"), licenseKey: grower.id, actor: "t")
        #expect(try store.addVehicle(NewVehicle(name: "Truck", make: "Isuzu", id: "VEH-TRUCK"), licenseKey: "G-1", actor: "t") == truck)
        #expect(throws: StoreError.conflict("vehicle id 'VEH-TRUCK' is already taken by another vehicle (make 'Isuzu' here, 'Hino' asked); choose another id")) {
            try store.addVehicle(NewVehicle(name: "Truck", make: "Hino", id: "VEH-TRUCK"), licenseKey: grower.id, actor: "t")
        }
    }

    @Test func anUpdateTakesTheHashReadAndGoesToTheFeed() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let grower = try store.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "t")
        let shop = try store.addLicense(name: "Corner Shop", code: "R-2", typeKey: "retail", actor: "t")
        let van = try store.addVehicle(NewVehicle(name: "Van 1", make: "Ford", color: "white", plate: "ABC1234"), licenseKey: "G-1", actor: "t")
        _ = try store.addVehicle(NewVehicle(name: "Van 2"), licenseKey: "G-1", actor: "t")
        #expect(van.hash == RowHash.digest([
            "id": .text(van.id), "license": .reference(grower.id), "name": .text("Van 1"), "make": .text("Ford"), "model": .null,
            "color": .text("white"), "vin": .null, "plate": .text("ABC1234"), "stat": .integer(200),
            "created_at": .text(van.createdAt), "updated_at": .text(van.updatedAt),
        ]))
        let cursor = try store.latestCursor()
        let painted = try store.updateVehicle(van.id, license: grower.id, VehicleChanges(color: "blue", plate: ""), ifMatch: van.hash, actor: "t")
        #expect(painted.color == "blue" && painted.plate == nil && painted.make == "Ford")
        #expect(painted.hash != van.hash)
        #expect(try store.vehicles(license: grower.id, query: ListQuery(since: cursor)).rows.map(\.id) == [van.id])
        let after = try store.latestCursor()
        #expect(throws: StoreError.changedMeanwhile(kind: "vehicle", id: van.id)) {
            try store.updateVehicle(van.id, license: grower.id, VehicleChanges(color: "red"), ifMatch: van.hash, actor: "t")
        }
        #expect(throws: StoreError.conflict("vehicle 'Van 2' already exists under license G-1 Green Acres; choose another name")) {
            try store.updateVehicle(van.id, license: grower.id, VehicleChanges(name: "van 2"), actor: "t")
        }
        #expect(throws: StoreError.notFound(kind: "vehicle", key: van.id)) {
            try store.updateVehicle(van.id, license: shop.id, VehicleChanges(color: "red"), actor: "t")
        }
        #expect(throws: StoreError.invalid("nothing to change; give name, make, model, color, vin or plate")) {
            try store.updateVehicle(van.id, license: grower.id, VehicleChanges(), actor: "t")
        }
        #expect(try store.latestCursor() == after)
        #expect(try store.vehicle(id: van.id, license: grower.id) == painted)
    }
}
