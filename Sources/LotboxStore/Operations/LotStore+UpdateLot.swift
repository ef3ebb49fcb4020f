import GRDB
import LotboxCore

/// What an update of a lot (the API's `PATCH /inventory/{id}`) changes; nil leaves a field.
public struct LotChanges: Sendable {
    /// The new quantity, counted (any unit of the product's dimension): the difference goes
    /// through the ledger as an `audit` entry.
    public var qty: String?
    /// A section id or name the lot's license sees.
    public var sectionKey: String?
    public var name: String?
    /// The ledger note of a quantity change; without one it says what was set.
    public var note: String?

    public init(qty: String? = nil, sectionKey: String? = nil, name: String? = nil, note: String? = nil) {
        self.qty = qty
        self.sectionKey = sectionKey
        self.name = name
        self.note = note
    }

    var isEmpty: Bool { qty == nil && sectionKey == nil && name == nil }
}

extension LotStore {
    /// Changes a lot of `license` in one transaction: its quantity through the ledger, its
    /// section, its name. `ifMatch` is the lot's ``RowHash`` as the caller read it: when the lot
    /// has changed since, nothing is written (``StoreError/changedMeanwhile(kind:id:)``).
    /// Another license's lot is not found.
    public func updateLot(_ id: String, license: String, _ changes: LotChanges, ifMatch: String? = nil,
                          actor: String) throws -> LotView {
        guard !changes.isEmpty else { throw StoreError.invalid("nothing to change; give qty, section or name") }
        if let name = changes.name { try requireName(name, "lot name") }
        if let note = changes.note { try requireNote(note, "adjust note") }
        return try write { db in
            let select = try db.cachedStatement(sql: Self.lotViewSQL)
            guard let row = try PositionalRow.first(select, arguments: [id, license], LotView.init) else {
                throw StoreError.notFound(kind: "lot", key: id)
            }
            try requireUnchanged(row.hash, ifMatch: ifMatch, kind: "lot", id: id)
            let lot = row.lot
            try refuseVoid(lot)
            var detail: [String: String] = [:]
            if let text = changes.qty {
                let product = try Product.find(db, key: lot.productId)
                let counted = try LotStore.lotQuantity(text, for: product)
                let delta = counted - lot.qty
                if delta != 0 {
                    let shown = Quantity(units: counted, dimension: product.lotDimension)
                    try appendLedger(db, lotID: lot.id, delta: delta, reason: .audit, note: changes.note ?? "quantity set to \(shown)",
                                     actor: actor)
                    detail["qty"] = "\(Fixed4(units: lot.qty).decimalText) -> \(Fixed4(units: counted).decimalText)"
                }
            }
            if let key = changes.sectionKey {
                let section = try resolveSection(db, key, license: license)
                if section != lot.sectionId {
                    try db.execute(sql: "UPDATE inventory SET section_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                                   arguments: [section, lot.id])
                    detail["section"] = "\(lot.sectionId) -> \(section)"
                }
            }
            if let name = changes.name, name != lot.name {
                try db.execute(sql: "UPDATE inventory SET name = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                               arguments: [name, lot.id])
                detail["name"] = "\(lot.name ?? "none") -> \(name)"
            }
            if !detail.isEmpty {
                try audit(db, actor: actor, action: "update", objectType: "inventory", objectID: lot.id, detail: detail)
            }
            guard let updated = try PositionalRow.first(select, arguments: [id, license], LotView.init) else {
                throw StoreError.notFound(kind: "lot", key: id)
            }
            return updated
        }
    }
}
