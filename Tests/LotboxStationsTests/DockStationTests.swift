import Foundation
import LotboxCore
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The receiving dock, driven by scan streams through real readers into a real store.
@Suite(.timeLimit(.minutes(10))) struct DockStationTests {
    static let dock = StationConfig(name: "dock", kind: .dock, license: "R-1")

    func manifest(_ rig: StationRig) throws -> String {
        try rig.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "R-1", items: [
            NewTransferItem(packageID: "1A4FF0100000022000000001", productKey: "Flower", qty: "100 g"),
            NewTransferItem(packageID: "1A4FF0100000022000000002", productKey: "Eighth", qty: "3"),
            NewTransferItem(packageID: "6647397829273659", productKey: "Eighth", qty: "2"),
        ]), actor: "test")
    }

    @Test func aFullManifestIsAcceptedIntoLabelledLots() throws {
        let rig = try StationRig(stations: [Self.dock])
        let transfer = try manifest(rig)
        let units = (0..<3).map { "https://app.1a4.com/landingpage/1A4FF0100000022000000002/\($0)" }
        let events = try rig.scan("dock", transfer, "1a4ff0100000022000000001", units[0], units[1], units[2], "6647397829273659", "LOTBOX:ACCEPT")
        #expect(events.outcomes == [.accepted, .accepted, .accepted, .accepted, .accepted, .accepted, .accepted], "\(events.map(\.message))")
        #expect(events.last?.message.contains("transfer complete") == true)
        let status = try rig.store.transfer(transfer)
        #expect(status.isAccepted)
        #expect(status.items.map(\.received) == [1_000_000, 30_000, 20_000])
        // Scanning the sender's tag later finds the local lot; the lot came in as received.
        for item in status.items {
            let lotID = try #require(item.lotID)
            let found = try rig.store.target(of: ScanRecognizer.recognize(Array(item.packageID.utf8)).get())
            #expect(found == .lot(try #require(try rig.store.lot(id: lotID))))
            #expect(try rig.store.lot(id: lotID)?.origin == "received")
            #expect(try rig.store.lot(id: lotID)?.licenseId == rig.shop.id)
        }
        // Print-on-create relabels the received packages: a label job for every new lot.
        let jobs = try rig.store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1")])
        #expect(Set(jobs.compactMap(\.objectId)) == Set(status.items.compactMap(\.lotID)))
        // The dock is free again.
        #expect(try rig.store.stationState("dock")?.transferID == nil)
        try rig.checkInvariants()
    }

    /// A delivery addressed to another license on the same box (a neighbour) is theirs: the dock
    /// refuses its manifest, opens nothing, and none of its packages become lots here.
    @Test func aTransferAddressedToAnotherLicenseIsRefused() throws {
        let rig = try StationRig(stations: [Self.dock])
        _ = try rig.store.addLicense(name: "Hilltop Retail", code: "R-2", typeKey: "retail", actor: "test")
        let transfer = try rig.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "R-2", items: [
            NewTransferItem(packageID: "1A4FF0100000022000000EE2", productKey: "Flower", qty: "2 g"),
        ]), actor: "test")
        let events = try rig.scan("dock", transfer, "1A4FF0100000022000000EE2", "LOTBOX:ACCEPT")
        #expect(events.outcomes == [.refused, .refused, .refused], "\(events.map(\.message))")
        #expect(events.first?.message == "transfer \(transfer) is addressed to license R-2 Hilltop Retail, not this dock's license R-1 Dock Shop; set it aside for them",
                "\(events.first?.message ?? "")")
        #expect(try rig.store.stationState("dock")?.transferID == nil)
        let status = try rig.store.transfer(transfer)
        #expect(!status.isAccepted && status.items.nonEmptyAllSatisfy { $0.lotID == nil && $0.counted == 0 })
        try rig.checkInvariants()
    }

    @Test func partialAcceptanceKeepsTheRestOpen() throws {
        let rig = try StationRig(stations: [Self.dock])
        let transfer = try manifest(rig)
        let first = try rig.scan("dock", transfer, "1A4FF0100000022000000001", "LOTBOX:ACCEPT")
        #expect(first.last?.message.contains("2 package(s) still open") == true)
        var status = try rig.store.transfer(transfer)
        #expect(!status.isAccepted && status.openItems.count == 2)
        #expect(try rig.store.stationState("dock")?.transferID == transfer)
        // Later: the rest, without reopening (the dock kept the transfer open).
        try rig.scan("dock", "1A4FF0100000022000000002", "6647397829273659", "LOTBOX:ACCEPT")
        status = try rig.store.transfer(transfer)
        #expect(status.isAccepted)
        #expect(status.items.nonEmptyAllSatisfy { $0.lotID != nil })
        try rig.checkInvariants()
    }

    @Test func overUnderUnknownAndDuplicateScansAreFlaggedAtOnce() throws {
        let rig = try StationRig(stations: [Self.dock])
        let transfer = try manifest(rig)
        let other = try rig.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "R-1", items: [
            NewTransferItem(packageID: "1A4FF0100000022000000777", productKey: "Flower", qty: "5 g"),
        ]), actor: "test")
        let unit = { (n: Int) in "https://app.1a4.com/landingpage/1A4FF0100000022000000002/\(n)" }
        // Before a manifest is open: refused, with the hint where the package belongs.
        let early = try rig.scan("dock", "1A4FF0100000022000000001")
        #expect(early.first?.outcome == .refused && early.first?.message.contains(transfer) == true)
        let events = try rig.scan("dock", transfer,
                                  "LOTBOX:QTY:80g", "1A4FF0100000022000000001",   // weighed light: under
                                  "1A4FF0100000022000000001",                      // again: duplicate
                                  unit(0), unit(1), unit(1), unit(2), unit(3),     // a unit twice, a fourth unit: over
                                  "1A4FF0100000022000000999",                      // not on any manifest
                                  "1A4FF0100000022000000777",                      // on another manifest
                                  "not-a-code",
                                  "LOTBOX:VOID-LAST")                              // takes back unit 2
        #expect(events.actions == ["open", "quantity", "under", "duplicate", "count", "count", "duplicate", "count", "over",
                                   "unknown-package", "unknown-package", "unreadable", "void-last"], "\(events.map(\.message))")
        #expect(events[10].message.contains(other))
        var status = try rig.store.transfer(transfer)
        #expect(status.items[0].counted == 800_000)
        #expect(status.items[1].counted == 20_000)
        try rig.scan("dock", "LOTBOX:ACCEPT")
        status = try rig.store.transfer(transfer)
        // Received what was counted; the shortfall and the flagged scans are on the transfer.
        #expect(status.items[0].received == 800_000)
        #expect(status.items[1].received == 20_000)
        #expect(status.items[2].lotID == nil)
        let meta = try rig.store.read { db in try String.fetchOne(db, sql: "SELECT meta FROM b2b_incoming WHERE id = ?", arguments: [transfer]) } ?? ""
        for key in ["\"under_items\":\"2\"", "\"over_scans\":\"1\"", "\"duplicate_scans\":\"2\"", "\"unknown-package_scans\":\"2\""] {
            #expect(meta.contains(key), "\(meta)")
        }
        try rig.checkInvariants()
    }

    @Test func manifestsImportFromOpenTHCJSON() throws {
        let rig = try StationRig(stations: [Self.dock])
        let json = """
            {"data": [{"id": "01M80TRANSFER0000000000001", "type": "incoming",
              "source": {"id": "01M80LICENSE00000000000NEW", "name": "New Farm", "code": "NF-9"}, "target": {"id": "\(rig.shop.id)"},
              "item_list": [
                {"inventory": {"id": "1A4FF0100000022000000301"}, "product": {"id": "\(rig.flower.id)"}, "qty": "250", "uom": "g"},
                {"inventory": {"id": "1A4FF0100000022000000302"}, "product": {"name": "Eighth"}, "qty": 12}
              ]}]}
            """
        let ids = try rig.store.importTransfers(json: Data(json.utf8), actor: "test")
        #expect(ids == ["01M80TRANSFER0000000000001"])
        // Scanning the manifest's own barcode (its id) opens it.
        let events = try rig.scan("dock", "01M80TRANSFER0000000000001", "1A4FF0100000022000000301", "LOTBOX:ACCEPT")
        #expect(events.outcomes == [.accepted, .accepted, .accepted])
        #expect(try rig.store.transfer(ids[0]).items[0].received == 2_500_000)
        #expect(throws: (any Error).self) { try rig.store.importTransfers(json: Data("{\"item_list\": []}".utf8), actor: "test") }
    }
}
