import Foundation
import GRDB
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// An accept makes its lots, tags and item marks a few hundred rows to a statement. A manifest
/// longer than one statement's rows, with runs of equal and of mixed packages, some received
/// short, a returned package and a package carrying the sender's result, comes out item by item
/// as the manifest says, in the manifest's order.
@Suite(.timeLimit(.minutes(5))) struct LargeAcceptTests {
    @Test func aManifestLongerThanOneStatementIsAcceptedItemByItem() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.addLicense(name: "Sender Farm", code: "S-1", typeKey: "grower", actor: "test")
        // A package that left this box and comes back: its tag is filed as the sender's.
        let returned = "1A4FF0100000099000000001"
        let left = try fixture.lot("3 g", metrc: returned)
        _ = try fixture.store.adjustLot(left.id, .to("0 g"), reason: .correction, note: "shipped to S-1", actor: "test")

        let count = 620
        var items: [NewTransferItem] = []
        for index in 0..<count {
            // Runs of 40 equal packages (bound once a statement), then runs of alternating ones.
            let qty = index < 300 ? (index / 40 % 2 == 0 ? "10 g" : "7 g") : (index % 2 == 0 ? "4 g" : "5 g")
            let package = index == 17 ? returned.lowercased() : String(format: "1A4FF0100000%012d", index)
            items.append(NewTransferItem(packageID: package, productKey: "Flower", qty: qty, varietyKey: index % 3 == 0 ? "Blue Dream" : nil))
        }
        let transfer = try fixture.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "G-1", items: items), actor: "test")
        let queue = try DatabaseQueue(path: fixture.path)
        let itemIDs = try queue.read { try String.fetchAll($0, sql: "SELECT id FROM b2b_incoming_item WHERE b2b_incoming_id = ? ORDER BY rowid", arguments: [transfer]) }
        try #require(itemIDs.count == count)
        // Two packages received short (in ten-thousandths of a gram).
        let short = [itemIDs[5]: Int64(95_000), itemIDs[555]: Int64(30_000)]
        let cursor = try fixture.store.latestCursor()

        let accepted = try fixture.store.acceptTransfer(transfer, everything: true, sectionKey: "Vault", quantities: short, actor: "test")
        #expect(accepted.lots.count == count && accepted.stillOpen == 0)
        #expect(Set(accepted.under) == [items[5].packageID, items[555].packageID])

        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id AS item, t.stat, t.qty_received, t.inventory_id, json_extract(t.meta, '$.discrepancy') AS discrepancy,
                       i.qty, i.origin, i.variety_id, i.section_id, e.kind, e.value
                  FROM b2b_incoming_item t JOIN inventory i ON i.id = t.inventory_id
                  JOIN inventory_external_id e ON e.inventory_id = i.id
                 WHERE t.b2b_incoming_id = ? ORDER BY t.rowid
                """, arguments: [transfer])
        }
        try #require(rows.count == count)
        for (index, row) in rows.enumerated() {
            let expected = short[itemIDs[index]] ?? (index < 300 ? (index / 40 % 2 == 0 ? 100_000 : 70_000) : (index % 2 == 0 ? 40_000 : 50_000))
            #expect(row["item"] as String == itemIDs[index])
            #expect(row["inventory_id"] as String == accepted.lots[index].lotID)
            #expect(row["stat"] as Int == 307 && row["qty_received"] as Int64 == expected && row["qty"] as Int64 == expected, "item \(index)")
            #expect((row["discrepancy"] as String?) == (short[itemIDs[index]] == nil ? nil : "under"), "item \(index)")
            #expect(row["origin"] as String == "received" && row["section_id"] as String == fixture.vault.id)
            #expect(row["variety_id"] as String == (index % 3 == 0 ? fixture.variety.id : WellKnown.unknownVariety), "item \(index)")
            let kind = index == 17 ? "origin" : "metrc"
            let value = index == 17 ? returned : String(format: "1A4FF0100000%012d", index)
            #expect(row["kind"] as String == kind && row["value"] as String == value, "item \(index)")
        }
        // The change feed has each new lot once, in the manifest's order, after the cursor.
        let created = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT object_id FROM change_event WHERE id > ? AND object_type = 'inventory' AND action = 'create' ORDER BY id",
                                arguments: [cursor])
        }
        #expect(created == accepted.lots.map(\.lotID))
        // The returned package is found by its tag: the lot that came back, not the empty one that left.
        #expect(try fixture.store.lot(externalID: returned, kind: .origin)?.id == accepted.lots[17].lotID)
    }

    /// A package listed twice on one manifest cannot become two lots. The store refuses such a
    /// manifest; one written by another program straight into the file is refused at accept,
    /// naming the tag, and nothing is written.
    @Test func aPackageListedTwiceByAnOutsideWriterIsRefusedAtAcceptAndNothingIsWritten() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.addLicense(name: "Sender Farm", code: "S-1", typeKey: "grower", actor: "test")
        let tag = "1A4FF0100000000000000042"
        let transfer = try fixture.store.createTransfer(NewTransfer(sourceLicenseKey: "S-1", targetLicenseKey: "G-1", items: [
            NewTransferItem(packageID: tag, productKey: "Flower", qty: "5 g"),
            NewTransferItem(packageID: "1A4FF0100000000000000043", productKey: "Flower", qty: "5 g"),
            NewTransferItem(packageID: "1A4FF0100000000000000044", productKey: "Flower", qty: "6 g"),
        ]), actor: "test")
        let queue = try DatabaseQueue(path: fixture.path)
        try queue.write { db in
            try db.execute(sql: "UPDATE b2b_incoming_item SET origin_inventory_id = ? WHERE origin_inventory_id = '1A4FF0100000000000000044'",
                           arguments: [tag])
            #expect(db.changesCount == 1)
        }
        let lots = try fixture.store.lots().count
        let cursor = try fixture.store.latestCursor()
        #expect {
            try fixture.store.acceptTransfer(transfer, everything: true, actor: "test")
        } throws: { error in
            "\(error)".contains(tag)
        }
        #expect(try fixture.store.lots().count == lots)
        #expect(try fixture.store.latestCursor() == cursor)
        #expect(try fixture.store.openTransfers().count == 1)
    }
}
