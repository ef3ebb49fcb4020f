import GRDB
import LotboxCore

/// What a new lot is. References are ids or names; the quantity is text in any unit of the
/// product's dimension ("2 lb" for a bulk-gram product is kept as 907.1847 g).
public struct NewLot: Sendable {
    public var licenseKey: String
    public var productKey: String
    public var varietyKey: String?
    public var sectionKey: String?
    public var qty: String
    public var name: String?
    public var externalIDs: [ExternalIDKind: String]
    public var origin: LotOrigin
    /// The caller's choice of id (an API client's); nil: a new ULID. The same lot created again
    /// under it is answered with the lot, not made twice.
    public var id: String?

    public init(licenseKey: String, productKey: String, varietyKey: String? = nil, sectionKey: String? = nil,
                qty: String, name: String? = nil, externalIDs: [ExternalIDKind: String] = [:],
                origin: LotOrigin = .created, id: String? = nil) {
        self.id = id
        self.licenseKey = licenseKey
        self.productKey = productKey
        self.varietyKey = varietyKey
        self.sectionKey = sectionKey
        self.qty = qty
        self.name = name
        self.externalIDs = externalIDs
        self.origin = origin
    }
}

extension NewLot {
    /// Same license, product, variety, section and quantity text: the same resolved row.
    func sameReferences(as other: NewLot) -> Bool {
        licenseKey == other.licenseKey && productKey == other.productKey && varietyKey == other.varietyKey
            && sectionKey == other.sectionKey && qty == other.qty
    }
}

extension LotStore {
    /// Creates a lot with a new ULID. Its opening ledger entry and its change-feed event are
    /// written by the store's triggers in the same transaction.
    @discardableResult
    public func createLot(_ new: NewLot, actor: String) throws -> Lot {
        if let chosen = new.id { try LotStore.requireChosenID(chosen, "lot") }
        return try write { db in
            if let chosen = new.id {
                var cache = ResolvedReferences()
                let row = try resolveRow(db, new, cache: &cache)
                if let existing = try replayed(db, Lot.self, kind: "lot", id: chosen, differences: { lot in
                    LotStore.differs("license", lot.licenseId, row.licenseID) + LotStore.differs("product", lot.productId, row.productID)
                        + LotStore.differs("variety", lot.varietyId, row.varietyID) + LotStore.differs("section", lot.sectionId, row.sectionID)
                        + LotStore.differs("name", lot.name, new.name) + LotStore.differs("qty_initial", Fixed4(units: lot.qtyInitial).decimalText, Fixed4(units: row.qty).decimalText)
                }) { return existing }
            }
            let id = try new.id ?? issueID(db)
            try insertLot(db, id: id, new, actor: actor)
            try audit(db, actor: actor, action: "create", objectType: "inventory", objectID: id,
                      detail: ["origin": new.origin.rawValue, "qty": new.qty])
            return try requireLot(db, id)
        }
    }

    struct QuantityKey: Hashable {
        var text: String
        var productID: String
    }

    /// References already looked up in this transaction: a batch of lots usually shares them.
    struct ResolvedReferences {
        var licenses: [String: String] = [:]
        /// Keyed by license id and key, NUL between.
        var products: [String: Product] = [:]
        var varieties: [String: String] = [:]
        var sections: [String: String] = [:]
        /// Quantity texts already read for a product: a manifest repeats its package sizes.
        var quantities: [QuantityKey: Int64] = [:]
        /// One timestamp per transaction: everything it writes happened at once.
        let now = Timestamp.now()
        private var metaText: (actor: String, text: String)?

        mutating func meta(actor: String) -> String {
            if let metaText, metaText.actor == actor { return metaText.text }
            let text = JSONText.object(["actor": actor])
            metaText = (actor, text)
            return text
        }
    }

    func insertLot(_ db: Database, id: String, _ new: NewLot, actor: String) throws {
        var cache = ResolvedReferences()
        try insertLot(db, id: id, new, actor: actor, cache: &cache)
    }

    func insertLot(_ db: Database, id: String, _ new: NewLot, actor: String, cache: inout ResolvedReferences) throws {
        let row = try resolveRow(db, new, cache: &cache)
        try db.cachedStatement(sql: """
            INSERT INTO inventory (id, license_id, product_id, variety_id, section_id, name, qty, qty_initial, origin, meta,
                                   created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, row.licenseID, row.productID, row.varietyID, row.sectionID, new.name, row.qty, row.qty,
                                     new.origin.rawValue, cache.meta(actor: actor), cache.now, cache.now])
        for (kind, value) in new.externalIDs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try addExternalID(db, lotID: id, kind: kind, value: value, now: cache.now)
        }
    }

    /// A new lot's references and quantity, checked: what its row will hold.
    struct ResolvedRow {
        /// Same license, product, variety and section.
        func sameReferences(as other: ResolvedRow) -> Bool {
            licenseID == other.licenseID && productID == other.productID && varietyID == other.varietyID && sectionID == other.sectionID
        }

        var licenseID: String
        var productID: String
        var varietyID: String
        var sectionID: String
        var qty: Int64
    }

    func resolveRow(_ db: Database, _ new: NewLot, cache: inout ResolvedReferences) throws -> ResolvedRow {
        if let name = new.name { try requireName(name, "lot name") }
        let licenseID = try cache.licenses[new.licenseKey] ?? resolveLicense(db, new.licenseKey)
        cache.licenses[new.licenseKey] = licenseID
        // Names are the lot's license's (see `resolveOwned`): a batch of several licenses
        // looks each name up once per license.
        let productKey = licenseID + "\u{0}" + new.productKey
        let product = try cache.products[productKey] ?? resolveProduct(db, new.productKey, license: licenseID)
        cache.products[productKey] = product
        var varietyID = WellKnown.unknownVariety
        if let key = new.varietyKey {
            varietyID = try cache.varieties[licenseID + "\u{0}" + key] ?? resolveVariety(db, key, license: licenseID)
            cache.varieties[licenseID + "\u{0}" + key] = varietyID
        }
        var sectionID = WellKnown.defaultSection
        if let key = new.sectionKey {
            sectionID = try cache.sections[licenseID + "\u{0}" + key] ?? resolveSection(db, key, license: licenseID)
            cache.sections[licenseID + "\u{0}" + key] = sectionID
        }
        let qtyKey = QuantityKey(text: new.qty, productID: product.id)
        let qty = try cache.quantities[qtyKey] ?? LotStore.lotQuantity(new.qty, for: product)
        cache.quantities[qtyKey] = qty
        guard qty > 0 else { throw StoreError.invalid("lot quantity '\(new.qty)' is zero; a new lot needs more than zero") }
        return ResolvedRow(licenseID: licenseID, productID: product.id, varietyID: varietyID, sectionID: sectionID, qty: qty)
    }
}
