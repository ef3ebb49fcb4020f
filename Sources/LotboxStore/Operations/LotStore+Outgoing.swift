import Foundation
import GRDB
import LotboxCore

/// Outgoing B2B transfers, as the sender's license makes them: the header first, then items
/// while it is open, then one commit that takes the stock off the sender's lots through the
/// ledger. The target license keeps its lots in this same store (a grower and its shop on one
/// box, or any partner in the directory), so the commit also hands it the matching incoming
/// transfer, with the same id, ready to accept at a dock or over the API.
extension LotStore {
    /// Makes an open outgoing transfer from `license` (an id) to the target. The same header
    /// again under a chosen id is answered with the transfer as it is.
    public func createOutgoingTransfer(_ new: NewOutgoingTransfer, license: String, actor: String) throws -> OutgoingTransfer {
        if let chosen = new.id { try LotStore.requireChosenID(chosen, "transfer") }
        if let name = new.name { try requireName(name, "transfer name") }
        let departAt = try new.departAt.map { try Self.transferTime($0, "depart_at") }
        let arriveAt = try new.arriveAt.map { try Self.transferTime($0, "arrive_at") }
        return try write { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM license WHERE id = ?"), arguments: [license]) == true else {
                throw StoreError.notFound(kind: "license", key: license)
            }
            let target = try resolveLicense(db, new.targetLicenseKey)
            try refuseDeletedPartner(db, "license", target)
            guard target != license else {
                throw StoreError.invalid("a transfer's target is its source, \(try licenseLabel(db, license)); expected another license")
            }
            if let chosen = new.id, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_outgoing WHERE id = ?"), arguments: [chosen]) == true {
                let existing = try requireOutgoing(db, chosen)
                let different = LotStore.differs("source", existing.sourceLicenseID, license) + LotStore.differs("target", existing.targetLicenseID, target)
                    + LotStore.differs("name", existing.name, new.name) + LotStore.differs("depart_at", existing.departAt, departAt)
                    + LotStore.differs("arrive_at", existing.arriveAt, arriveAt)
                guard different.isEmpty else {
                    throw StoreError.conflict("transfer id '\(chosen)' is already taken by another transfer (\(different.joined(separator: "; "))); choose another id")
                }
                return existing
            }
            let id = try new.id ?? issueID(db)
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming WHERE id = ?"), arguments: [id]) == true {
                throw StoreError.conflict("transfer id '\(id)' is already an incoming transfer here; choose another id")
            }
            try db.execute(sql: """
                INSERT INTO b2b_outgoing (id, source_license_id, target_license_id, name, depart_at, arrive_at, meta)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, license, target, new.name, departAt, arriveAt, JSONText.object(["actor": actor])])
            try audit(db, actor: actor, action: "create", objectType: "b2b_outgoing", objectID: id, detail: ["target": target])
            return try requireOutgoing(db, id)
        }
    }

    /// Adds `qty` of one of the sender's live lots to an open transfer. The lot must hold it,
    /// counting what the transfer already takes from it. Under a chosen `itemID`, the same item
    /// again is answered with it.
    public func addOutgoingItem(transfer id: String, license: String, lot lotID: String, qty: String, unitPrice: String? = nil,
                                itemID chosen: String? = nil, actor: String) throws -> OutgoingItem {
        if let chosen { try LotStore.requireChosenID(chosen, "transfer item") }
        let price = try unitPrice.map { text -> Int64 in
            do { return try Money(parsing: text).amount.units } catch let error as MoneyError { throw StoreError.invalid(error.description) }
        }
        return try write { db in
            let transfer = try requireOutgoing(db, id, license: license)
            guard let lot = try findLot(db, lotID), lot.licenseId == license else { throw StoreError.notFound(kind: "lot", key: lotID) }
            let product = try Product.find(db, key: lot.productId)
            let amount = try LotStore.lotQuantity(qty, for: product)
            if let chosen, let existing = transfer.items.first(where: { $0.id == chosen }) {
                let different = LotStore.differs("lot", existing.lotID, lot.id)
                    + LotStore.differs("qty", Fixed4(units: existing.qty).decimalText, Fixed4(units: amount).decimalText)
                    + LotStore.differs("unit_price", existing.unitPrice.map { Fixed4(units: $0).decimalText }, price.map { Fixed4(units: $0).decimalText })
                guard different.isEmpty else {
                    throw StoreError.conflict("transfer item id '\(chosen)' is already taken by another item (\(different.joined(separator: "; "))); choose another id")
                }
                return existing
            }
            guard !transfer.isCommitted else {
                throw OperationRefused("transfer-closed", "transfer \(transfer.id) is committed; no more items")
            }
            guard transfer.stat == Stat.live else {
                throw OperationRefused("transfer-deleted", "transfer \(transfer.id) is deleted (stat \(transfer.stat)); no more items")
            }
            try refuseVoid(lot)
            guard amount > 0 else { throw StoreError.invalid("item quantity '\(qty)' is zero; expected more than zero") }
            let taken = transfer.items.filter { $0.lotID == lot.id }.reduce(Int64(0)) { $0 + $1.qty }
            try refuseShortfall(lot, taking: taken + amount, product: product)
            let itemID = try chosen ?? issueID(db)
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_outgoing_item WHERE id = ?"), arguments: [itemID]) == true {
                throw StoreError.conflict("transfer item id '\(itemID)' is already on another transfer; choose another id")
            }
            try db.execute(sql: """
                INSERT INTO b2b_outgoing_item (id, b2b_outgoing_id, inventory_id, product_id, variety_id, qty, unit_price)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [itemID, transfer.id, lot.id, lot.productId, lot.varietyId, amount, price])
            // The transfer changed with its items: its updated_at, and so its hash, move.
            try db.execute(sql: "UPDATE b2b_outgoing SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", arguments: [transfer.id])
            try audit(db, actor: actor, action: "add-item", objectType: "b2b_outgoing", objectID: transfer.id,
                      detail: ["item": itemID, "lot": lot.id, "qty": Fixed4(units: amount).decimalText])
            guard let item = try requireOutgoing(db, transfer.id).items.first(where: { $0.id == itemID }) else {
                throw StoreError.notFound(kind: "transfer item", key: itemID)
            }
            return item
        }
    }

    /// Commits an open transfer with items, in one transaction: each item's quantity leaves its
    /// lot through the ledger (`transfer`, referring to the transfer), the transfer and its items
    /// become 307, and the target license gets the incoming transfer with the same id and items
    /// (each package named by the sender's lot id, with its product, variety and lab result).
    /// Committing a committed transfer again is refused.
    public func commitOutgoingTransfer(_ id: String, license: String, actor: String) throws -> OutgoingTransfer {
        try write { db in
            let transfer = try requireOutgoing(db, id, license: license)
            guard !transfer.isCommitted else { throw OperationRefused("transfer-closed", "transfer \(transfer.id) is already committed") }
            guard transfer.stat == Stat.live else {
                throw OperationRefused("transfer-deleted", "transfer \(transfer.id) is deleted (stat \(transfer.stat)); it cannot be committed")
            }
            guard !transfer.items.isEmpty else {
                throw OperationRefused("transfer-empty", "transfer \(transfer.id) has no items; add an item (a lot and a quantity) before committing")
            }
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming WHERE id = ?"), arguments: [transfer.id]) == true {
                throw StoreError.conflict("transfer id '\(transfer.id)' is already an incoming transfer here; it cannot be delivered under it")
            }
            let target = try licenseLabel(db, transfer.targetLicenseID)
            for item in transfer.items {
                let lot = try requireLot(db, item.lotID)
                try refuseVoid(lot)
                try refuseShortfall(lot, taking: item.qty, product: try Product.find(db, key: lot.productId))
                try appendLedger(db, lotID: lot.id, delta: -item.qty, reason: .transfer, note: "sent to \(target) on transfer \(transfer.id)",
                                 actor: actor, refType: "b2b_outgoing", refID: transfer.id)
            }
            try db.execute(sql: "UPDATE b2b_outgoing_item SET stat = 307, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE b2b_outgoing_id = ?",
                           arguments: [transfer.id])
            try db.execute(sql: "UPDATE b2b_outgoing SET stat = 307, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [transfer.id])
            try db.execute(sql: """
                INSERT INTO b2b_incoming (id, source_license_id, target_license_id, name, depart_at, arrive_at, meta)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [transfer.id, transfer.sourceLicenseID, transfer.targetLicenseID, transfer.name, transfer.departAt,
                                 transfer.arriveAt, JSONText.object(["actor": actor, "from": "b2b_outgoing"])])
            for item in transfer.items {
                try db.execute(sql: """
                    INSERT INTO b2b_incoming_item (id, b2b_incoming_id, origin_inventory_id, product_id, variety_id, qty, unit_price, lab_result_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [item.id, transfer.id, item.lotID, item.productID, item.varietyID, item.qty, item.unitPrice,
                                     try latestLabResultID(db, lotID: item.lotID)])
            }
            try audit(db, actor: actor, action: "commit", objectType: "b2b_outgoing", objectID: transfer.id,
                      detail: ["items": String(transfer.items.count), "target": transfer.targetLicenseID])
            return try requireOutgoing(db, transfer.id)
        }
    }

    /// Deletes an outgoing transfer that was never committed, in OpenTHC's two steps (410, then
    /// 423; then nothing changes). A committed transfer's stock has left: it is refused. Items
    /// cannot be added to a transfer whose delete was asked for.
    public func deleteOutgoingTransfer(_ id: String, license: String, actor: String) throws -> DeleteStep {
        try write { db in
            let transfer = try requireOutgoing(db, id, license: license)
            let step: DeleteStep
            switch transfer.stat {
            case Stat.voidConfirmed: return .locked
            case Stat.voidRequested: step = .confirmed
            case Stat.committed:
                throw OperationRefused("transfer-committed", "transfer \(transfer.id) is committed and its stock has left; it cannot be deleted")
            default: step = .requested
            }
            try db.execute(sql: "UPDATE b2b_outgoing SET stat = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [step == .confirmed ? Stat.voidConfirmed : Stat.voidRequested, transfer.id])
            try audit(db, actor: actor, action: "delete-\(step.rawValue)", objectType: "b2b_outgoing", objectID: transfer.id)
            return step
        }
    }

    /// An outgoing transfer as its sender sees it: nil for another license's or an unknown id.
    public func outgoingTransfer(id: String, license: String) throws -> OutgoingTransfer? {
        try read { db in
            guard let transfer = try outgoing(db, id), transfer.sourceLicenseID == license else { return nil }
            return transfer
        }
    }

    /// The license's outgoing transfers (with their items); `q` matches id and name.
    public func outgoingTransfers(license: String, query: ListQuery = ListQuery()) throws -> ListPage<OutgoingTransfer> {
        let page: ListPage<OutgoingTransfer> = try self.page(table: "b2b_outgoing", searched: ["name"], scope: .source(license),
                                                             query: query, order: "t.id")
        return try read { db in
            ListPage(rows: try page.rows.map { header in
                var transfer = header
                transfer.items = try outgoingItems(db, header.id)
                return transfer
            }, cursor: page.cursor)
        }
    }

    // MARK: - Reading

    func outgoing(_ db: Database, _ id: String) throws -> OutgoingTransfer? {
        guard var transfer = try OutgoingTransfer.fetchOne(db.cachedStatement(sql: "SELECT * FROM b2b_outgoing WHERE id = ?"), arguments: [id]) else {
            return nil
        }
        transfer.items = try outgoingItems(db, id)
        return transfer
    }

    func outgoingItems(_ db: Database, _ id: String) throws -> [OutgoingItem] {
        try OutgoingItem.fetchAll(db.cachedStatement(sql: """
            SELECT o.*, \(LotView.lotUnit("p")) AS uom FROM b2b_outgoing_item o JOIN product p ON p.id = o.product_id
             WHERE o.b2b_outgoing_id = ? ORDER BY o.id
            """), arguments: [id])
    }

    /// A transfer that must exist, and be `license`'s when one is given.
    func requireOutgoing(_ db: Database, _ id: String, license: String? = nil) throws -> OutgoingTransfer {
        guard let transfer = try outgoing(db, id), license == nil || transfer.sourceLicenseID == license else {
            throw StoreError.notFound(kind: "transfer", key: id)
        }
        return transfer
    }

    /// A departure or arrival time: RFC 3339, kept as given; without a zone it is UTC.
    static func transferTime(_ text: String, _ field: String) throws -> String {
        let trimmed = text.trimmingWhitespace()
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            formatter.formatOptions = options
            if formatter.date(from: trimmed) != nil { return trimmed }
        }
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        if formatter.date(from: trimmed) != nil { return trimmed + "Z" }
        throw StoreError.invalid("\(field) '\(trimmed.prefix(40))' is not a time; expected RFC 3339, e.g. 2026-11-30T14:00:00Z")
    }
}
