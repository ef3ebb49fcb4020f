import GRDB
import LotboxCore

extension LotStore {
    /// Opens a sale (B2C draft, stat 100) at a kiosk. Its lines are rows from the first scan on,
    /// so an open sale survives a restart.
    public func openSale(license key: String, station: String?, employee: String?, saleType: SaleType = .adultUse,
                         actor: String) throws -> String {
        try write { db in
            let license = try resolveLicense(db, key)
            let id = try issueID(db)
            var meta = ["actor": actor, "sale_type": saleType.rawValue]
            if let station { meta["station"] = station }
            if let employee { meta["employee"] = employee }
            try db.execute(sql: "INSERT INTO b2c_sale (id, license_id, stat, meta) VALUES (?, ?, ?, ?)",
                           arguments: [id, license, Stat.open, JSONText.object(meta)])
            try audit(db, actor: actor, action: "open", objectType: "b2c_sale", objectID: id, detail: meta)
            return id
        }
    }

    public func sale(_ key: String) throws -> SaleStatus {
        try read { db in try saleStatus(db, key) }
    }

    /// Sales, newest first (open ones included).
    public func sales(limit: Int = 50) throws -> [SaleStatus] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM b2c_sale ORDER BY created_at DESC, id DESC LIMIT ?"), arguments: [limit])
                .map { try saleStatus(db, $0) }
        }
    }

    /// Records an age check's outcome (never the licence) on an open sale.
    public func recordAgeCheck(sale key: String, outcome: String, actor: String) throws {
        try write { db in
            let sale = try openSaleStatus(db, key)
            try db.execute(sql: "UPDATE b2c_sale SET meta = json_set(coalesce(meta, '{}'), '$.age_check', ?) WHERE id = ?",
                           arguments: [outcome, sale.id])
            try audit(db, actor: actor, action: "age-check", objectType: "b2c_sale", objectID: sale.id, detail: ["outcome": outcome])
        }
    }

    /// Adds a lot to an open sale at its product's price: one unit of an each/pack lot, or
    /// `quantity` (required for a bulk lot). Refused, with nothing added, for a lot that is void,
    /// quarantined, another license's, unpriced, short of stock, or over the purchase limit.
    public func addToSale(_ saleKey: String, lot lotKey: String, quantity: String?, limit: PurchaseLimit?,
                          actor: String) throws -> SaleLine {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            let lot = try resolveLot(db, lotKey)
            let product = try resolveProduct(db, lot.productId)
            let count = try saleQuantity(quantity, product: product)
            try checkSellable(db, lot: lot, product: product, sale: sale, adding: count)
            try checkLimit(db, sale: sale, product: product, adding: count, limit: limit)
            let line = try insertLine(db, sale: sale, lot: lot, product: product, count: count, actor: actor)
            return line
        }
    }

    /// Adds a product (scanned by its UPC) to an open sale from the oldest lot that can cover it.
    public func addProductToSale(_ saleKey: String, product productKey: String, quantity: String?, limit: PurchaseLimit?,
                                 actor: String) throws -> SaleLine {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            let product = try resolveProduct(db, productKey, license: sale.licenseID)
            let count = try saleQuantity(quantity, product: product)
            let candidates = try Lot.fetchAll(db.cachedStatement(sql: """
                SELECT i.* FROM inventory i JOIN section s ON s.id = i.section_id
                 WHERE i.product_id = ? AND i.license_id = ? AND i.stat = 200 AND s.type <> 'inventory-quarantine'
                   AND i.qty - coalesce((SELECT sum(unit_count) FROM b2c_sale_item WHERE b2c_sale_id = ? AND inventory_id = i.id), 0) >= ?
                 ORDER BY i.created_at, i.id LIMIT 1
                """), arguments: [product.id, sale.licenseID, sale.id, count])
            guard let lot = candidates.first else {
                throw OperationRefused("oversell", "no lot of \(product.name) has \(Quantity(units: count, dimension: product.lotDimension)) left to sell")
            }
            try checkSellable(db, lot: lot, product: product, sale: sale, adding: count)
            try checkLimit(db, sale: sale, product: product, adding: count, limit: limit)
            let line = try insertLine(db, sale: sale, lot: lot, product: product, count: count, actor: actor)
            return line
        }
    }

    /// Takes the last line off an open sale (`LOTBOX:VOID-LAST`).
    public func removeLastSaleLine(_ saleKey: String, actor: String) throws -> SaleLine? {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            guard let last = sale.lines.last else {
                return nil
            }
            // The line's own discounts go with it.
            try db.cachedStatement(sql: "DELETE FROM b2c_sale_adjust WHERE b2c_sale_item_id = ?").execute(arguments: [last.id])
            try db.cachedStatement(sql: "DELETE FROM b2c_sale_item WHERE id = ?").execute(arguments: [last.id])
            try audit(db, actor: actor, action: "void-line", objectType: "b2c_sale", objectID: sale.id,
                      detail: ["lot": last.lotID, "count": Fixed4(units: last.unitCount).decimalText])
            return last
        }
    }

    /// Drops an open sale (`LOTBOX:CANCEL`): it stays on file as canceled (stat 410), stock
    /// untouched; an empty one leaves no sale at all.
    public func cancelSale(_ saleKey: String, actor: String) throws {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            if sale.lines.isEmpty {
                // Nothing was sold on it: the sale goes as if never opened (stations let go of it
                // first; the audit log keeps its opening and this).
                try db.cachedStatement(sql: "UPDATE station_state SET b2c_sale_id = NULL WHERE b2c_sale_id = ?").execute(arguments: [sale.id])
                try db.cachedStatement(sql: "DELETE FROM b2c_sale WHERE id = ?").execute(arguments: [sale.id])
                try audit(db, actor: actor, action: "cancel-empty", objectType: "b2c_sale", objectID: sale.id, detail: [:])
                return
            }
            try db.cachedStatement(sql: """
                UPDATE b2c_sale SET stat = 410, meta = json_set(coalesce(meta, '{}'), '$.canceled', 1),
                       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """).execute(arguments: [sale.id])
            try audit(db, actor: actor, action: "cancel", objectType: "b2c_sale", objectID: sale.id, detail: ["lines": String(sale.lines.count)])
        }
    }

    /// Voids a committed sale in two steps, as OpenTHC does for B2C: the first call marks it
    /// (stat 423), the second confirms (stat 410) and puts the stock back through the ledger.
    /// `note` (a manager's approval typed at a screen) goes on both audit rows and the ledger's.
    public func voidSale(_ saleKey: String, actor: String, note: String? = nil) throws -> VoidOutcome {
        try write { db in
            let noted = note.map { ["note": $0] } ?? [:]
            let sale = try saleStatus(db, saleKey)
            switch sale.stat {
            case Stat.live:
                try db.execute(sql: "UPDATE b2c_sale SET stat = 423, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                               arguments: [sale.id])
                try audit(db, actor: actor, action: "void-request", objectType: "b2c_sale", objectID: sale.id, detail: noted)
                return .requested
            case Stat.voidConfirmed:
                for line in sale.lines {
                    try appendLedger(db, lotID: line.lotID, delta: line.unitCount, reason: .saleVoid, note: note, actor: actor,
                                     refType: "b2c_sale", refID: sale.id)
                }
                try db.execute(sql: "UPDATE b2c_sale SET stat = 410, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                               arguments: [sale.id])
                try audit(db, actor: actor, action: "void", objectType: "b2c_sale", objectID: sale.id,
                          detail: noted.merging(["lines": String(sale.lines.count)]) { a, _ in a })
                return .confirmed
            case Stat.open:
                throw StoreError.conflict("sale \(sale.id) is still open; cancel it at the kiosk (LOTBOX:CANCEL) instead")
            default:
                throw StoreError.conflict("sale \(sale.id) is already void or canceled; nothing changed")
            }
        }
    }

    // MARK: - Shared

    func saleStatus(_ db: Database, _ key: String) throws -> SaleStatus {
        // The id as given through the primary key first; a NOCASE comparison cannot use that
        // index, so the scan for an id typed in another case is only the fallback.
        let select = "SELECT *, json_extract(meta, '$.canceled') IS NOT NULL AS is_canceled FROM b2c_sale WHERE id = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select), arguments: [key])
                ?? Row.fetchOne(db.cachedStatement(sql: select + " COLLATE NOCASE"), arguments: [key]) else {
            throw StoreError.notFound(kind: "sale", key: key)
        }
        let id: String = row["id"]
        let lines = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.id, s.inventory_id, s.unit_count, s.unit_price, p.id AS product_id, p.name, p.type AS product_type,
                   p.package_type, p.package_unit_uom
              FROM b2c_sale_item s JOIN inventory i ON i.id = s.inventory_id JOIN product p ON p.id = i.product_id
             WHERE s.b2c_sale_id = ? ORDER BY s.created_at, s.id
            """), arguments: [id]).map { line in
                let bulk = (line["package_type"] as String) == PackageType.bulk.rawValue
                return SaleLine(id: line["id"], lotID: line["inventory_id"], productID: line["product_id"], productName: line["name"],
                                productType: line["product_type"], dimension: bulk ? (Dimension(rawValue: line["package_unit_uom"]) ?? .mass) : .count,
                                unitCount: line["unit_count"], unitPrice: line["unit_price"])
            }
        // Discounts first, then taxes in the order they were charged (ids are issued in order).
        let adjustments = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM b2c_sale_adjust WHERE b2c_sale_id = ? ORDER BY type <> ?, id"),
                                           arguments: [id, SaleAdjustment.discountType]).map {
            SaleAdjustment(id: $0["id"], lineID: $0["b2c_sale_item_id"], type: $0["type"], name: $0["name"],
                           rate: ($0["rate"] as String?).flatMap { try? TaxRate(parsing: $0) }, included: $0["included"], amount: $0["amount"])
        }
        let meta = (row["meta"] as String?).flatMap { JSONText.decode($0) } ?? [:]
        return SaleStatus(id: id, licenseID: row["license_id"], stat: row["stat"], station: meta["station"], employee: meta["employee"],
                          ageCheck: meta["age_check"], saleType: meta["sale_type"].flatMap(SaleType.init(parsing:)) ?? .adultUse,
                          pricesIncludeTax: meta["price_includes_tax"] == "1",
                          lines: lines, adjustments: adjustments, executeAt: row["execute_at"],
                          canceled: row["is_canceled"],
                          tender: (row["tender"] as String?).map { SaleTender(kind: $0, given: row["tender_given"] ?? 0, change: row["tender_change"] ?? 0) })
    }

    func openSaleStatus(_ db: Database, _ key: String) throws -> SaleStatus {
        let sale = try saleStatus(db, key)
        guard sale.isOpen else { throw OperationRefused("sale-closed", "sale \(sale.id) is not open; it is \(StateWords.sale(sale.stat))") }
        return sale
    }

    /// The quantity one scan adds: one unit of an each/pack product, or the quantity given.
    func saleQuantity(_ text: String?, product: Product) throws -> Int64 {
        guard let text else {
            guard product.lotDimension == .count else {
                throw OperationRefused("needs-quantity", "\(product.name) is sold by weight or volume: scan LOTBOX:QTY:<amount> (e.g. 3.5g) before the lot")
            }
            return Fixed4.scale
        }
        let count: Int64
        do {
            count = try LotStore.lotQuantity(text, for: product)
        } catch {
            throw OperationRefused("bad-quantity", "\(error)")
        }
        guard count > 0 else { throw OperationRefused("bad-quantity", "quantity \(text) is zero") }
        return count
    }

    func checkSellable(_ db: Database, lot: Lot, product: Product, sale: SaleStatus, adding count: Int64, inCart: Int64? = nil) throws {
        guard !lot.isVoid else { throw OperationRefused("void-lot", "lot \(lot.id) is void; it cannot be sold") }
        guard lot.licenseId == sale.licenseID else {
            throw OperationRefused("other-license", "lot \(lot.id) belongs to \(try licenseLabel(db, lot.licenseId)), not this kiosk's \(try licenseLabel(db, sale.licenseID))")
        }
        let sectionType = try String.fetchOne(db.cachedStatement(sql: "SELECT type FROM section WHERE id = ?"), arguments: [lot.sectionId])
        guard sectionType != SectionType.inventoryQuarantine.rawValue else {
            throw OperationRefused("quarantined", "lot \(lot.id) is in quarantine; it cannot be sold")
        }
        guard product.unitPrice != nil else { throw OperationRefused("no-price", "\(product.name) has no price; set one before selling it") }
        let cart = try inCart ?? (Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(sum(unit_count), 0) FROM b2c_sale_item WHERE b2c_sale_id = ? AND inventory_id = ?"),
                                                 arguments: [sale.id, lot.id]) ?? 0)
        if cart + count > lot.qty {
            let dimension = product.lotDimension
            throw OperationRefused("oversell", "lot \(lot.id) holds \(Quantity(units: lot.qty, dimension: dimension)); "
                          + "\(Quantity(units: cart + count, dimension: dimension)) is more than it holds")
        }
    }

    func checkLimit(_ db: Database, sale: SaleStatus, product: Product, adding count: Int64, limit: PurchaseLimit?) throws {
        guard let limit else { return }
        var grams: Int64 = 0
        for line in sale.lines {
            grams += gramsEquivalent(try resolveProduct(db, line.productID), count: line.unitCount, limit: limit)
        }
        let adding = gramsEquivalent(product, count: count, limit: limit)
        let allowed = limit.grams(for: sale.saleType)
        if grams + adding > allowed {
            let shown = { (units: Int64) in Quantity(units: units, dimension: .mass).description }
            throw OperationRefused("purchase-limit", "over the \(sale.saleType.rawValue) purchase limit of \(shown(allowed)) per sale: "
                          + "\(shown(grams)) already on the sale, \(product.name) adds \(shown(adding))")
        }
    }

    /// Grams of flower `count` of `product` counts as.
    func gramsEquivalent(_ product: Product, count: Int64, limit: PurchaseLimit) -> Int64 {
        let factor = limit.equivalency[product.type]
        if product.packageType == PackageType.bulk.rawValue {
            guard product.packageUnitUom == Dimension.mass.rawValue else { return factor.map { Fixed4.multiply(count, $0) } ?? 0 }
            return Fixed4.multiply(count, factor ?? Fixed4.scale)
        }
        // each / pack: a count of units of package_unit_qom (× units per pack).
        var perUnit = product.packageUnitQom ?? 0
        if let pack = product.packagePackQom { perUnit = Fixed4.multiply(perUnit, pack) }
        guard product.packageUnitUom == Dimension.mass.rawValue else { return factor.map { Fixed4.multiply(count, $0) } ?? 0 }
        return Fixed4.multiply(Fixed4.multiply(count, perUnit), factor ?? Fixed4.scale)
    }

    func insertLine(_ db: Database, sale: SaleStatus, lot: Lot, product: Product, count: Int64, id chosen: String? = nil,
                    actor: String) throws -> SaleLine {
        let id = try chosen ?? issueID(db)
        let price = product.unitPrice ?? 0
        try db.execute(sql: "INSERT INTO b2c_sale_item (id, b2c_sale_id, inventory_id, unit_count, unit_price) VALUES (?, ?, ?, ?, ?)",
                       arguments: [id, sale.id, lot.id, count, price])
        try audit(db, actor: actor, action: "add-line", objectType: "b2c_sale", objectID: sale.id,
                  detail: ["lot": lot.id, "count": Fixed4(units: count).decimalText])
        return SaleLine(id: id, lotID: lot.id, productID: product.id, productName: product.name, productType: product.type,
                        dimension: product.lotDimension,
                        unitCount: count, unitPrice: price)
    }
}
