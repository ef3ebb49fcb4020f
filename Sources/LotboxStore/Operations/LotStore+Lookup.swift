import GRDB
import LotboxCore

/// A lot with everything a person or a label needs to see about it.
public struct LotDetail: Sendable, Equatable {
    public var lot: Lot
    public var product: Product
    public var license: License
    public var varietyName: String
    public var sectionName: String
    public var externalIDs: [ExternalID]
    public var ledger: [LedgerEntry]
    public var parents: [LineageLink]
    public var children: [LineageLink]
    /// The section's type: a lot in an `inventory-quarantine` section cannot be sold.
    public var sectionType: String = SectionType.inventory.rawValue
    /// What each parent lot is counted in: a parent link's qty is in the parent's unit (350 g of
    /// flower converted into 100 jars), not this lot's.
    public var parentDimensions: [String: Dimension] = [:]

    public var isQuarantined: Bool { sectionType == SectionType.inventoryQuarantine.rawValue }

    public var qty: Quantity { Quantity(units: lot.qty, dimension: product.lotDimension) }
    public var qtyInitial: Quantity { Quantity(units: lot.qtyInitial, dimension: product.lotDimension) }
}

/// Which lots a listing shows.
public struct LotFilter: Sendable {
    public var licenseKey: String?
    public var productKey: String?
    public var includeVoid = false
    public var limit = 1000

    public init(licenseKey: String? = nil, productKey: String? = nil, includeVoid: Bool = false, limit: Int = 1000) {
        self.licenseKey = licenseKey
        self.productKey = productKey
        self.includeVoid = includeVoid
        self.limit = limit
    }
}

extension LotStore {
    /// A lot by its exact id; the fast path scanners and the label queue use.
    public func lot(id: String) throws -> Lot? {
        // One SELECT is its own snapshot: no BEGIN and COMMIT around it (the scan paths' lookup).
        try readOne { db in try findLot(db, id) }
    }

    /// The lot an external identifier (METRC tag, BioTrack id, sender's lot id) names, in any
    /// case; the newest live one when several lots carry it.
    public func lot(externalID value: String, kind: ExternalIDKind) throws -> Lot? {
        try readOne { db in try lotCarrying(db, value, kinds: [kind]) }
    }

    /// Everything about one lot, found by id or by an identifier on its package.
    /// - Parameter history: with the ledger and lineage; a label needs neither, and a print
    ///   worker reads one lot per label.
    public func lotDetail(_ key: String, history: Bool = true) throws -> LotDetail {
        try read { db in
            let lot = try resolveLot(db, key)
            let section = try Row.fetchOne(db.cachedStatement(sql: "SELECT name, type FROM section WHERE id = ?"), arguments: [lot.sectionId])
            var detail = LotDetail(
                lot: lot,
                product: try requireRecord(Product.self, db, "SELECT * FROM product WHERE id = ?", lot.productId),
                license: try requireRecord(License.self, db, "SELECT * FROM license WHERE id = ?", lot.licenseId),
                varietyName: try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM variety WHERE id = ?"), arguments: [lot.varietyId]) ?? lot.varietyId,
                sectionName: section?["name"] ?? lot.sectionId,
                externalIDs: try ExternalID.fetchAll(db.cachedStatement(sql: "SELECT * FROM inventory_external_id WHERE inventory_id = ? ORDER BY kind"), arguments: [lot.id]),
                ledger: history ? try LedgerEntry.fetchAll(db.cachedStatement(sql: "SELECT * FROM inventory_ledger WHERE inventory_id = ? ORDER BY id"), arguments: [lot.id]) : [],
                parents: history ? try LineageLink.fetchAll(db.cachedStatement(sql: "SELECT * FROM inventory_family WHERE inventory_id_output = ? ORDER BY id"), arguments: [lot.id]) : [],
                children: history ? try LineageLink.fetchAll(db.cachedStatement(sql: "SELECT * FROM inventory_family WHERE inventory_id = ? ORDER BY id"), arguments: [lot.id]) : []
            )
            detail.sectionType = section?["type"] ?? detail.sectionType
            for parent in detail.parents where detail.parentDimensions[parent.inventoryId] == nil {
                if let source = try findLot(db, parent.inventoryId) {
                    detail.parentDimensions[parent.inventoryId] = try Product.find(db, key: source.productId).lotDimension
                }
            }
            return detail
        }
    }

    /// The ids of quarantine sections, so a listing can say which lots sit in one.
    public func quarantineSectionIDs() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM section WHERE type = ?", arguments: [SectionType.inventoryQuarantine.rawValue]))
        }
    }

    /// Lots, newest first.
    public func lots(_ filter: LotFilter = LotFilter()) throws -> [(lot: Lot, product: Product)] {
        try read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            let license = try filter.licenseKey.map { try resolveLicense(db, $0) }
            if let license {
                conditions.append("license_id = ?")
                arguments.append(license)
            }
            if let key = filter.productKey {
                conditions.append("product_id = ?")
                arguments.append(try resolveProduct(db, key, license: license).id)
            }
            if !filter.includeVoid { conditions.append("stat = 200") }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(filter.limit)
            let lots = try Lot.fetchAll(db, sql: "SELECT * FROM inventory \(whereClause) ORDER BY id DESC LIMIT ?",
                                        arguments: StatementArguments(arguments.map { $0.databaseValue }))
            var products: [String: Product] = [:]
            return try lots.map { lot in
                let product = try products[lot.productId] ?? Product.find(db, key: lot.productId)
                products[lot.productId] = product
                return (lot, product)
            }
        }
    }

    /// Lots whose quantity differs from the sum of their ledger: always empty, by construction.
    public func ledgerMismatches() throws -> [String] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT inventory.id FROM inventory
                LEFT JOIN (SELECT inventory_id, sum(delta) AS total FROM inventory_ledger GROUP BY inventory_id) AS ledger
                  ON ledger.inventory_id = inventory.id
                WHERE ledger.total IS NOT inventory.qty
                """))
        }
    }

    /// A record that must exist, through a cached statement (the print worker reads one per label).
    func requireRecord<R: FetchableRecord>(_ type: R.Type, _ db: Database, _ sql: String, _ id: String) throws -> R {
        guard let record = try R.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) else {
            throw StoreError.notFound(kind: R.self == Product.self ? "product" : "license", key: id)
        }
        return record
    }
}
