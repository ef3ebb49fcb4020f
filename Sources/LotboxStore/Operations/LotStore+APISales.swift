import Foundation
import GRDB
import LotboxCore

/// A B2C sale as the REST API shows it: the kiosk's view of it plus the row's own dates and contact.
public struct APISale: Sendable, Equatable {
    public var sale: SaleStatus
    public var contactID: String?
    public var createdAt: String
    public var updatedAt: String
}

/// One line a client asks for: a lot of its own license, a quantity in the lot's unit (nil: one
/// unit of an each/pack lot) and a pre-tax unit price (nil: the product's price).
public struct NewSaleLine: Sendable, Equatable {
    public var lotID: String
    public var quantity: String?
    public var unitPrice: String?
    /// The line's id when the client chose one (a box syncing its sales keeps its line ids).
    public var id: String?

    public init(lotID: String, quantity: String?, unitPrice: String?, id: String? = nil) {
        self.lotID = lotID
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.id = id
    }
}

/// What a DELETE did to a sale (OpenTHC's B2C order: void requested 423, then voided 410).
public enum SaleDeletion: Sendable, Equatable {
    /// An open sale with lines: canceled (stat 410), stock untouched.
    case canceled
    /// An open sale with nothing on it: removed, as if never opened.
    case discarded
    /// A committed sale: void requested (stat 423).
    case voidRequested
    /// A void confirmed: stat 410, its stock back through the ledger.
    case voided
    /// Already void or canceled: nothing changed.
    case alreadyGone
}

extension LotStore {
    /// The sale with exactly this id if it belongs to `license`, else nil: another license's
    /// sale is as unknown to a session as one that does not exist.
    public func apiSale(id: String, license: String) throws -> APISale? {
        try read { db in try apiSale(db, id: id, license: license) }
    }

    /// A license's sales, newest first.
    public func apiSales(license: String, stat: Int? = nil, limit: Int, offset: Int) throws -> [APISale] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT id FROM b2c_sale WHERE license_id = ? AND (? IS NULL OR stat = ?)
                 ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                """), arguments: [license, stat, stat, limit, offset])
                .compactMap { try apiSale(db, id: $0, license: license) }
        }
    }

    /// Opens a sale (stat 100) for `license`, under the client's id when it gives one, with its
    /// first lines, all in one transaction: a bad line leaves no sale behind. An id already
    /// taken, by any license, is a conflict; see ``openSaleOrReplay`` for a replay.
    public func openSale(id chosen: String?, license: String, contact: String?, lines: [NewSaleLine], actor: String) throws -> APISale {
        try openSaleOrReplay(id: chosen, license: license, contact: contact, lines: lines, actor: actor).sale
    }

    /// As ``openSale``, except that the same open again under a chosen id is answered with the
    /// sale it made, writing nothing (`replayed`): a second box replaying the calls it made
    /// offline must not sell twice. "The same" is the same license and contact, and the sale's
    /// first lines are the asked ones (lot, quantity, price; lines added later do not count).
    /// Anything else under the id, another license's sale included, is a conflict.
    public func openSaleOrReplay(id chosen: String?, license: String, contact: String?, lines: [NewSaleLine],
                                 actor: String) throws -> (sale: APISale, replayed: Bool) {
        try write { db in
            let licenseID = try resolveLicense(db, license)
            let id: String
            if let chosen {
                try LotStore.checkChosenID(chosen, kind: "sale")
                if let taken = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM b2c_sale WHERE id = ? COLLATE NOCASE"), arguments: [chosen]) {
                    guard let existing = try apiSale(db, id: taken, license: licenseID) else {
                        throw StoreError.conflict("sale \(chosen) already exists; choose another id or leave 'id' out")
                    }
                    let different = try replayDifferences(db, existing, license: licenseID, contact: contact, lines: lines)
                    guard different.isEmpty else {
                        throw StoreError.conflict("sale \(chosen) already exists and differs (\(different.joined(separator: "; "))); choose another id or leave 'id' out")
                    }
                    return (existing, true)
                }
                id = chosen
            } else {
                id = try issueID(db)
            }
            if let contact, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM contact WHERE id = ?"), arguments: [contact]) != true {
                throw OperationRefused("not-found", "contact \(contact) is not in the directory")
            }
            if let contact { try refuseDeletedPartner(db, "contact", contact) }
            let meta = ["actor": actor, "sale_type": SaleType.adultUse.rawValue, "channel": "api"]
            try db.execute(sql: "INSERT INTO b2c_sale (id, license_id, contact_id, stat, meta) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, licenseID, contact, Stat.open, JSONText.object(meta)])
            try audit(db, actor: actor, action: "open", objectType: "b2c_sale", objectID: id, detail: meta)
            for (index, line) in lines.enumerated() {
                try addSaleLine(db, saleID: id, line: line, number: lines.count > 1 ? index + 1 : nil, actor: actor)
            }
            guard let sale = try apiSale(db, id: id, license: licenseID) else { throw StoreError.notFound(kind: "sale", key: id) }
            return (sale, false)
        }
    }

    /// How a stored sale differs from an open asked again: its contact, and each asked line
    /// against the sale's line in the same place, resolved as it would be added (a bare number
    /// in the lot's unit, no price the product's), without the stock checks: a replay may come
    /// after the sale was committed.
    private func replayDifferences(_ db: Database, _ existing: APISale, license: String, contact: String?,
                                   lines: [NewSaleLine]) throws -> [String] {
        var different = LotStore.differs("contact", existing.contactID, contact)
        for (index, line) in lines.enumerated() {
            let place = "line \(index + 1)"
            guard index < existing.sale.lines.count else {
                different.append("\(place) asked, the sale has \(existing.sale.lines.count) line(s)")
                continue
            }
            let stored = existing.sale.lines[index]
            guard let lot = try Lot.fetchOne(db.cachedStatement(sql: "SELECT * FROM inventory WHERE id = ? AND license_id = ?"),
                                             arguments: [line.lotID, license]) else {
                different.append("\(place) lot \(line.lotID) is not one of this license's lots")
                continue
            }
            var product = try resolveProduct(db, lot.productId)
            if let price = line.unitPrice { product.unitPrice = try? Money(parsing: price).amount.units }
            let count = try? lineCount(line, lot: lot, product: product)
            if let chosen = line.id { different += LotStore.differs("\(place) id", stored.id, chosen) }
            different += LotStore.differs("\(place) lot", stored.lotID, lot.id)
                + LotStore.differs("\(place) quantity", Fixed4(units: stored.unitCount).decimalText, count.map { Fixed4(units: $0).decimalText })
                + LotStore.differs("\(place) unit price", Fixed4(units: stored.unitPrice).decimalText, product.unitPrice.map { Fixed4(units: $0).decimalText })
        }
        return different
    }

    /// Adds a line to an open sale of `license` at the client's price: refused, with nothing
    /// added, for a lot that is not the license's, void, quarantined or short of stock, a
    /// quantity in the wrong unit, or no price at all.
    public func addSaleLine(sale id: String, license: String, line: NewSaleLine, actor: String) throws -> APISale {
        try write { db in
            guard try apiSale(db, id: id, license: license) != nil else { throw StoreError.notFound(kind: "sale", key: id) }
            try addSaleLine(db, saleID: id, line: line, number: nil, actor: actor)
            guard let sale = try apiSale(db, id: id, license: license) else { throw StoreError.notFound(kind: "sale", key: id) }
            return sale
        }
    }

    /// Commits an open sale of `license` through the kiosk's commit (ledger, stat 200). The
    /// API charges no taxes: OpenTHC's unit prices are pre-tax and its clients send taxes, if
    /// any, as adjustments of their own.
    public func commitSale(id: String, license: String, tender: Tender = .exactCash, actor: String) throws -> APISale {
        try write { db in
            guard try apiSale(db, id: id, license: license) != nil else { throw StoreError.notFound(kind: "sale", key: id) }
            _ = try commitSale(id, taxes: [], receipt: nil, tender: tender, actor: actor)
            guard let sale = try apiSale(db, id: id, license: license) else { throw StoreError.notFound(kind: "sale", key: id) }
            return sale
        }
    }

    /// One DELETE of a sale of `license`: an open one is canceled (or dropped when empty), a
    /// committed one goes through the two-step void of ``voidSale(_:actor:)``.
    public func deleteSale(id: String, license: String, actor: String, note: String? = nil) throws -> SaleDeletion {
        try write { db in
            guard let found = try apiSale(db, id: id, license: license) else { throw StoreError.notFound(kind: "sale", key: id) }
            switch found.sale.stat {
            case Stat.open:
                try cancelSale(id, actor: actor)
                return found.sale.lines.isEmpty ? .discarded : .canceled
            case Stat.live, Stat.voidConfirmed:
                return try voidSale(id, actor: actor, note: note) == .requested ? .voidRequested : .voided
            default:
                return .alreadyGone
            }
        }
    }

    // MARK: - Shared

    func apiSale(_ db: Database, id: String, license: String) throws -> APISale? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT contact_id, created_at, updated_at FROM b2c_sale WHERE id = ? AND license_id = ?
            """), arguments: [id, license]) else { return nil }
        return APISale(sale: try saleStatus(db, id), contactID: row["contact_id"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// One line, checked as the kiosk checks a scan (stock, void, quarantine), except that the
    /// price is the client's when it gives one. `number` names the line in a refusal of several.
    private func addSaleLine(_ db: Database, saleID: String, line: NewSaleLine, number: Int?, actor: String) throws {
        let prefix = number.map { "line \($0): " } ?? ""
        do {
            let sale = try openSaleStatus(db, saleID)
            guard let lot = try Lot.fetchOne(db.cachedStatement(sql: "SELECT * FROM inventory WHERE id = ? AND license_id = ?"),
                                             arguments: [line.lotID, sale.licenseID]) else {
                throw OperationRefused("unknown-lot", "lot \(line.lotID) is not one of this license's lots")
            }
            var product = try resolveProduct(db, lot.productId)
            if let price = line.unitPrice {
                do { product.unitPrice = try Money(parsing: price).amount.units } catch {
                    throw OperationRefused("bad-price", "unit price '\(price)': \(error.description)")
                }
            }
            guard product.unitPrice != nil else {
                throw OperationRefused("no-price", "\(product.name) has no price in the store; send 'unit_price'")
            }
            let count = try lineCount(line, lot: lot, product: product)
            try checkSellable(db, lot: lot, product: product, sale: sale, adding: count)
            if let chosen = line.id {
                try LotStore.checkChosenID(chosen, kind: "sale line")
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM b2c_sale_item WHERE id = ?"), arguments: [chosen]) == true {
                    throw StoreError.conflict("sale line id '\(chosen)' is already taken; choose another id or leave it out")
                }
            }
            _ = try insertLine(db, sale: sale, lot: lot, product: product, count: count, id: line.id, actor: actor)
        } catch let refusal as OperationRefused where !prefix.isEmpty {
            throw OperationRefused(refusal.reason, prefix + refusal.message)
        }
    }

    /// The quantity a line asks for, in ten-thousandths of the lot's unit.
    private func lineCount(_ line: NewSaleLine, lot: Lot, product: Product) throws -> Int64 {
        switch line.quantity {
        case nil where product.lotDimension != .count:
            throw OperationRefused("needs-quantity", "lot \(lot.id) of \(product.name) is sold by \(product.lotDimension == .mass ? "weight" : "volume"); send a quantity such as \"3.5\" (\(product.packageUnitUom))")
        case let text?:
            // A bare number is in the lot's own unit, as OpenTHC's unit_count is.
            let bare = text.trimmingWhitespace().allSatisfy { ("0"..."9").contains($0) || $0 == "." }
            return try saleQuantity(bare && product.lotDimension != .count ? "\(text) \(product.packageUnitUom)" : text, product: product)
        case nil:
            return try saleQuantity(nil, product: product)
        }
    }

    /// An id a client chose: 1 to 64 letters, digits, `.`, `_`, `-` or `:` (the rule of the
    /// store's other chosen ids), so it travels in a URL path and a barcode as it is.
    static func checkChosenID(_ id: String, kind: String) throws {
        let allowed = id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_:".unicodeScalars.contains($0)) }
        guard !id.isEmpty, id.utf8.count <= 64, allowed else {
            let shown = String(String.UnicodeScalarView(id.unicodeScalars.prefix(40).map { $0.properties.generalCategory == .control ? "?" : $0 }))
            throw OperationRefused("bad-id", "\(kind) id '\(shown)' is not an id lotbox takes; expected 1 to 64 letters, digits, '.', '_', '-' or ':'")
        }
    }
}
