import GRDB
import LotboxCore

/// Incoming transfers made the way an API client makes them: the header first (from a sender
/// in the directory to the caller's license), then the packages one by one, then accepted as a
/// manifest imported whole would be.
extension LotStore {
    /// Makes an open, empty incoming transfer to `license` (an id) from the sender. The same
    /// header again under a chosen id is answered with the transfer as it is. A `draft` (stat
    /// 100) is not at the dock until ``commitIncomingTransfer(_:license:actor:)``: a receiver
    /// typing in a paper manifest does not want half of it scanned.
    public func createIncomingTransfer(from sourceKey: String, license: String, name: String? = nil, departAt: String? = nil,
                                       arriveAt: String? = nil, id chosen: String? = nil, draft: Bool = false,
                                       actor: String) throws -> TransferStatus {
        if let chosen { try LotStore.requireChosenID(chosen, "transfer") }
        if let name { try requireName(name, "transfer name") }
        let depart = try departAt.map { try Self.transferTime($0, "depart_at") }
        let arrive = try arriveAt.map { try Self.transferTime($0, "arrive_at") }
        return try write { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM license WHERE id = ?"), arguments: [license]) == true else {
                throw StoreError.notFound(kind: "license", key: license)
            }
            let source = try resolveLicense(db, sourceKey)
            try refuseDeletedPartner(db, "license", source)
            guard source != license else {
                throw StoreError.invalid("a transfer's source is its target, \(try licenseLabel(db, license)); expected another license")
            }
            if let chosen, let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM b2b_incoming WHERE id = ?"), arguments: [chosen]) {
                let different = LotStore.differs("source", row["source_license_id"] as String, source)
                    + LotStore.differs("target", row["target_license_id"] as String, license) + LotStore.differs("name", row["name"] as String?, name)
                    + LotStore.differs("depart_at", row["depart_at"] as String?, depart) + LotStore.differs("arrive_at", row["arrive_at"] as String?, arrive)
                guard different.isEmpty else {
                    throw StoreError.conflict("transfer id '\(chosen)' is already taken by another transfer (\(different.joined(separator: "; "))); choose another id")
                }
                return try transferStatus(db, chosen)
            }
            let id = try chosen ?? issueID(db)
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_outgoing WHERE id = ?"), arguments: [id]) == true {
                throw StoreError.conflict("transfer id '\(id)' is already an outgoing transfer here; choose another id")
            }
            try db.execute(sql: """
                INSERT INTO b2b_incoming (id, source_license_id, target_license_id, name, depart_at, arrive_at, meta, stat)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, source, license, name, depart, arrive, JSONText.object(["actor": actor]), draft ? Stat.open : Stat.live])
            try audit(db, actor: actor, action: "create", objectType: "b2b_incoming", objectID: id, detail: ["source": source, "items": "0"])
            return try transferStatus(db, id)
        }
    }

    /// Adds a package to an open incoming transfer of `license`, checked as a manifest's is (a
    /// package listed twice, or the tag of a live lot here, is refused). Under a chosen
    /// `itemID`, the same package again is answered with its item. `requireDraft` takes lines
    /// only while the transfer is a draft (the API's manifest typed in by hand).
    public func addIncomingItem(transfer id: String, license: String, _ item: NewTransferItem, itemID chosen: String? = nil,
                                requireDraft: Bool = false, actor: String) throws -> TransferItemStatus {
        if let chosen { try LotStore.requireChosenID(chosen, "transfer item") }
        return try write { db in
            let transfer = try transferStatus(db, id)
            guard transfer.targetLicenseID == license else { throw StoreError.notFound(kind: "transfer", key: id) }
            let package = Self.packageID(item.packageID)
            if let chosen, let existing = transfer.items.first(where: { $0.id == chosen }) {
                guard existing.packageID == package else {
                    throw StoreError.conflict("transfer item id '\(chosen)' is already taken by package \(existing.packageID); choose another id")
                }
                return existing
            }
            guard !transfer.isAccepted else { throw OperationRefused("transfer-closed", "transfer \(transfer.id) was already accepted") }
            if let refusal = transfer.receivingRefusal, refusal.reason == "transfer-canceled" { throw refusal }
            guard !requireDraft || transfer.stat == Stat.open else {
                throw OperationRefused("transfer-closed", "transfer \(transfer.id) is committed and at the dock; it takes no more lines")
            }
            if let chosen, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2b_incoming_item WHERE id = ?"), arguments: [chosen]) == true {
                throw StoreError.conflict("transfer item id '\(chosen)' is already on another transfer; choose another id")
            }
            guard !package.isEmpty else { throw StoreError.invalid("a transfer item has an empty package id") }
            if transfer.items.contains(where: { $0.packageID.uppercased() == package.uppercased() }) {
                throw StoreError.conflict("package '\(package)' is already on transfer \(transfer.id)")
            }
            if let owner = try liveOwner(db, ofPackage: package) {
                throw StoreError.conflict("package \(package) is the tag of lot \(owner.id), which is live and holds stock here; "
                                          + "a package cannot arrive while it is on the shelf")
            }
            let itemID = try chosen ?? issueID(db)
            try insertIncomingItem(db, item, id: itemID, transfer: transfer.id, target: license, actor: actor)
            try audit(db, actor: actor, action: "add-item", objectType: "b2b_incoming", objectID: transfer.id,
                      detail: ["item": itemID, "package": package])
            guard let added = try transferStatus(db, transfer.id).items.first(where: { $0.id == itemID }) else {
                throw StoreError.notFound(kind: "transfer item", key: itemID)
            }
            return added
        }
    }

    /// The license's incoming transfers, by id, with their items; `q` matches id and name.
    public func incomingTransfers(license: String, query: ListQuery = ListQuery()) throws -> ListPage<TransferStatus> {
        let page: ListPage<IncomingHeader> = try self.page(table: "b2b_incoming", searched: ["name"], scope: .target(license),
                                                           query: query, order: "t.id")
        return try read { db in
            ListPage(rows: try page.rows.map { try transferStatus(db, $0.id) }, cursor: page.cursor)
        }
    }
}

/// The id of an incoming transfer, read by a listing before its items are.
struct IncomingHeader: FetchableRecord, Sendable {
    var id: String
    init(row: Row) throws { id = row["id"] }
}
