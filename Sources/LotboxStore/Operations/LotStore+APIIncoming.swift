import GRDB
import LotboxCore

/// An incoming transfer a receiver records by hand from the paper manifest (the sender has no
/// lotbox): the header is a draft (stat 100) while its lines are typed in, and committing it
/// (stat 200) puts it at the dock, ready to scan and accept, as an imported manifest is. A
/// transfer not yet accepted may be canceled in OpenTHC's two steps (410, then 423).
extension LotStore {
    /// Records one line of a draft incoming transfer of `license` as the paper manifest has it:
    /// a product of this license (or a shared one) by id or name, a quantity (a bare number is
    /// in the product's lot unit), the sender's package id when the paper shows one (else the
    /// line's own id, so the dock can still scan a label printed for it). Under a chosen
    /// `itemID` the same line again is answered with it.
    public func recordIncomingLine(transfer id: String, license: String, product productKey: String, variety: String?, qty: String,
                                   unitPrice: String?, packageID: String?, itemID chosen: String?, actor: String) throws -> TransferStatus {
        if let chosen {
            do { try LotStore.requireChosenID(chosen, "transfer item") } catch StoreError.invalid(let message) { throw OperationRefused("bad-id", message) }
        }
        return try write { db in
            let transfer = try transferStatus(db, id)
            guard transfer.targetLicenseID == license else { throw StoreError.notFound(kind: "transfer", key: id) }
            let product = try resolveProduct(db, productKey, license: license)
            let bare = qty.last.map { $0.isNumber || $0 == "." } == true
            let amount = bare && product.lotDimension != .count ? "\(qty) \(product.packageUnitUom)" : qty
            let itemID = try chosen ?? issueID(db)
            let item = NewTransferItem(packageID: packageID ?? itemID, productKey: product.id, qty: amount, varietyKey: variety, unitPrice: unitPrice)
            let replayed = transfer.items.contains { $0.id == itemID }
            if let existing = transfer.items.first(where: { $0.id == itemID }) {
                let expected = try LotStore.lotQuantity(amount, for: product)
                let different = LotStore.differs("product", existing.productID, product.id)
                    + LotStore.differs("qty", Fixed4(units: existing.expected).decimalText, Fixed4(units: expected).decimalText)
                    + LotStore.differs("package", existing.packageID, Self.packageID(item.packageID))
                guard different.isEmpty else {
                    throw StoreError.conflict("transfer item id '\(itemID)' is already taken by another line (\(different.joined(separator: "; "))); choose another id")
                }
            }
            _ = try addIncomingItem(transfer: transfer.id, license: license, item, itemID: itemID, requireDraft: true, actor: actor)
            // The transfer changed with its lines: its updated_at, and so its hash, move (not on a replay).
            if !replayed { try db.execute(sql: "UPDATE b2b_incoming SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", arguments: [transfer.id]) }
            return try transferStatus(db, transfer.id)
        }
    }

    /// Marks a draft incoming transfer of `license` complete: from now on it is at the dock and
    /// takes no more lines. An empty one, or one not a draft, is refused.
    public func commitIncomingTransfer(_ id: String, license: String, actor: String) throws -> TransferStatus {
        try write { db in
            let transfer = try transferStatus(db, id)
            guard transfer.targetLicenseID == license else { throw StoreError.notFound(kind: "transfer", key: id) }
            guard transfer.stat == Stat.open else {
                throw OperationRefused("transfer-closed", "transfer \(transfer.id) is not a draft being recorded (it is \(Self.transferState(transfer.stat))); nothing to commit")
            }
            guard !transfer.items.isEmpty else {
                throw OperationRefused("transfer-empty", "transfer \(transfer.id) has no lines; add the manifest's lines (product, qty) before committing")
            }
            try db.execute(sql: "UPDATE b2b_incoming SET stat = 200, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [transfer.id])
            try audit(db, actor: actor, action: "commit", objectType: "b2b_incoming", objectID: transfer.id,
                      detail: ["items": String(transfer.items.count)])
            return try transferStatus(db, transfer.id)
        }
    }

    /// One DELETE of an incoming transfer of `license` not yet accepted: a draft or one at the
    /// dock is marked (410), then confirmed (423). Refused once accepted (its lots are here), and
    /// for one a license on this box committed to it: the sender's stock has already left, so
    /// the receiver accepts it and sends back what it does not want.
    public func deleteIncomingTransfer(_ id: String, license: String, actor: String) throws -> DeleteStep {
        try write { db in
            let transfer = try transferStatus(db, id)
            guard transfer.targetLicenseID == license else { throw StoreError.notFound(kind: "transfer", key: id) }
            let step: DeleteStep
            switch transfer.stat {
            case Stat.voidConfirmed: return .locked
            case Stat.voidRequested: step = .confirmed
            case Stat.committed:
                throw OperationRefused("transfer-committed", "transfer \(transfer.id) was accepted and its lots are here; it cannot be canceled")
            default:
                if try Int.fetchOne(db.cachedStatement(sql: "SELECT stat FROM b2b_outgoing WHERE id = ?"), arguments: [transfer.id]) == Stat.committed {
                    throw OperationRefused("transfer-committed", "transfer \(transfer.id) was committed by its sender on this box and its stock has left; "
                                           + "accept it and send back what is not wanted")
                }
                step = .requested
            }
            try db.execute(sql: "UPDATE b2b_incoming SET stat = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [step == .confirmed ? Stat.voidConfirmed : Stat.voidRequested, transfer.id])
            if step == .confirmed {
                try db.execute(sql: "UPDATE b2b_incoming SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", arguments: [transfer.id])
            }
            try audit(db, actor: actor, action: "delete-\(step.rawValue)", objectType: "b2b_incoming", objectID: transfer.id)
            return step
        }
    }

    static func transferState(_ stat: Int) -> String {
        switch stat {
        case Stat.open: return "a draft being recorded"
        case Stat.live: return "at the dock"
        case Stat.committed: return "accepted"
        case Stat.voidRequested, Stat.voidConfirmed: return "canceled"
        default: return "stat \(stat)"
        }
    }
}

extension TransferStatus {
    /// Why the dock may not count or accept this transfer now, beyond being accepted already:
    /// a draft still being recorded, or a canceled one. Nil when it may.
    public var receivingRefusal: OperationRefused? {
        switch stat {
        case Stat.open:
            return OperationRefused("transfer-draft", "transfer \(id) is still being recorded; commit it (POST /b2b/incoming/\(id)/commit) before receiving it")
        case Stat.voidRequested, Stat.voidConfirmed:
            return OperationRefused("transfer-canceled", "transfer \(id) was canceled; nothing on it is received")
        default:
            return nil
        }
    }
}
