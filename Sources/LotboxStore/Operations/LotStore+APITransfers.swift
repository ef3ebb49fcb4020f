import GRDB
import LotboxCore

/// A B2B transfer as the REST API shows it: an incoming one (its target's) or an outgoing one
/// (its source's), with the row's dates and every item.
public struct APITransfer: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable {
        case incoming, outgoing
        var table: String { "b2b_\(rawValue)" }
        /// The license that owns this side of a transfer.
        var ownerColumn: String { self == .incoming ? "target_license_id" : "source_license_id" }
    }

    public var id: String
    public var direction: Direction
    public var sourceLicenseID: String
    public var targetLicenseID: String
    public var name: String?
    /// How it travels (meta `method`), when a manifest said.
    public var method: String?
    public var departAt: String?
    public var arriveAt: String?
    public var createdAt: String
    public var updatedAt: String
    public var stat: Int
    /// The stat of the outgoing row with the same id (a transfer between two licenses of this box).
    public var outgoingStat: Int?
    public var items: [APITransferItem]
}

public struct APITransferItem: Sendable, Equatable {
    public var id: String
    /// The sender's package id (incoming), or the lot sent (outgoing).
    public var originLotID: String?
    /// The local lot an accepted incoming item became.
    public var lotID: String?
    public var productID: String?
    public var varietyID: String?
    /// Ten-thousandths of the product's lot unit.
    public var qty: Int64
    public var qtyReceived: Int64?
    /// Ten-thousandths of a dollar per lot unit.
    public var unitPrice: Int64?
    public var stat: Int
}

extension LotStore {
    /// The transfer with exactly this id on `license`'s side: incoming when the license is its
    /// target, outgoing when it is its source; nil for another license's.
    public func apiTransfer(id: String, license: String) throws -> APITransfer? {
        try read { db in try apiTransfer(db, id: id, license: license) }
    }

    /// A license's transfers, newest first: incoming, outgoing or both, of one stat or all.
    public func apiTransfers(license: String, direction: APITransfer.Direction?, stat: Int?, limit: Int, offset: Int) throws -> [APITransfer] {
        try read { db in
            let sides = direction.map { [$0] } ?? APITransfer.Direction.allCases
            let select = sides.map { side in
                "SELECT id, '\(side.rawValue)' AS side, created_at FROM \(side.table) WHERE \(side.ownerColumn) = ? AND (? IS NULL OR stat = ?)"
            }.joined(separator: " UNION ALL ")
            let arguments = StatementArguments(sides.flatMap { _ in [license, stat, stat] as [(any DatabaseValueConvertible)?] }) + [limit, offset]
            return try Row.fetchAll(db, sql: "\(select) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", arguments: arguments)
                .compactMap { row in
                    try APITransfer.Direction(rawValue: row["side"]).flatMap { try transfer(db, id: row["id"], direction: $0) }
                }
        }
    }

    /// Accepts an incoming transfer of `license` with the dock's operation, in one transaction:
    /// every item not yet accepted is taken at what was counted, else at the manifest's quantity,
    /// into `section` (one of the license's own, or a shared one). Returns the transfer after.
    /// `lotIDs` (item → the lot it becomes) and `quantities` (item → what was received) name the
    /// items to take, for a box replaying its dock's accept: only those are taken, and the same
    /// accept again writes nothing.
    public func acceptTransfer(id: String, license: String, section: String?, lotIDs: [String: String] = [:],
                               quantities: [String: Int64] = [:], actor: String) throws -> APITransfer {
        try write { db in
            guard try transfer(db, id: id, direction: .incoming).map({ $0.targetLicenseID == license }) == true else {
                throw StoreError.notFound(kind: "transfer", key: id)
            }
            if let section, try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM section WHERE id = ? AND (license_id = ? OR license_id IS NULL)
                """), arguments: [section, license]) != true {
                throw OperationRefused("unknown-section", "section \(section) is not a section of this license")
            }
            _ = try acceptTransfer(id, everything: true, sectionKey: section, lotIDs: lotIDs, quantities: quantities,
                                   onlyNamed: !lotIDs.isEmpty, actor: actor)
            guard let accepted = try transfer(db, id: id, direction: .incoming) else { throw StoreError.notFound(kind: "transfer", key: id) }
            return accepted
        }
    }

    // MARK: - Shared

    func apiTransfer(_ db: Database, id: String, license: String) throws -> APITransfer? {
        for direction in APITransfer.Direction.allCases {
            if let found = try transfer(db, id: id, direction: direction),
               (direction == .incoming ? found.targetLicenseID : found.sourceLicenseID) == license {
                return found
            }
        }
        return nil
    }

    private func transfer(_ db: Database, id: String, direction: APITransfer.Direction) throws -> APITransfer? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, source_license_id, target_license_id, name, json_extract(meta, '$.method') AS method, depart_at, arrive_at,
                   created_at, updated_at, stat, (SELECT stat FROM b2b_outgoing o WHERE o.id = t.id) AS outgoing_stat
              FROM \(direction.table) t WHERE id = ?
            """), arguments: [id]) else { return nil }
        let itemSQL = direction == .incoming
            ? "SELECT id, origin_inventory_id AS origin, inventory_id AS lot, product_id, variety_id, qty, qty_received, unit_price, stat FROM b2b_incoming_item WHERE b2b_incoming_id = ? ORDER BY id"
            : "SELECT id, inventory_id AS origin, NULL AS lot, product_id, variety_id, qty, NULL AS qty_received, unit_price, stat FROM b2b_outgoing_item WHERE b2b_outgoing_id = ? ORDER BY id"
        let items = try Row.fetchAll(db.cachedStatement(sql: itemSQL), arguments: [id]).map { item in
            APITransferItem(id: item["id"], originLotID: item["origin"], lotID: item["lot"], productID: item["product_id"],
                            varietyID: item["variety_id"], qty: item["qty"], qtyReceived: item["qty_received"],
                            unitPrice: item["unit_price"], stat: item["stat"])
        }
        return APITransfer(id: row["id"], direction: direction, sourceLicenseID: row["source_license_id"], targetLicenseID: row["target_license_id"],
                           name: row["name"], method: row["method"], departAt: row["depart_at"], arriveAt: row["arrive_at"],
                           createdAt: row["created_at"], updatedAt: row["updated_at"], stat: row["stat"],
                           outgoingStat: row["outgoing_stat"], items: items)
    }
}
