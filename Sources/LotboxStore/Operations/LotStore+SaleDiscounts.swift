import GRDB
import LotboxCore

/// How much a discount takes off.
public enum DiscountSize: Sendable, Equatable {
    /// Ten-thousandths of a dollar, positive.
    case amount(Int64)
    /// A share of what the line (or the sale) comes to after earlier discounts, rounded half up to the cent.
    case percent(TaxRate)
}

extension LotStore {
    /// Takes a discount off an open sale, before tax: on one line (`line`, counted from 1 in
    /// the order the lines were scanned) or on the whole sale. Kept as an OpenTHC price
    /// adjustment of type Discount with a negative amount. Refused, nothing written, when the
    /// discount is zero or more than what is left to discount.
    public func addDiscount(_ saleKey: String, line: Int?, size: DiscountSize, name: String?, actor: String) throws -> SaleAdjustment {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            let discounts = sale.discounts
            var target: SaleLine?
            let left: Int64
            if let line {
                guard sale.lines.indices.contains(line - 1) else {
                    throw OperationRefused("no-line", "sale \(sale.id) has \(sale.lines.count) line(s); there is no line \(line)")
                }
                let chosen = sale.lines[line - 1]
                target = chosen
                left = chosen.total + discounts.filter { $0.lineID == chosen.id }.reduce(0) { $0 + $1.amount }
            } else {
                left = sale.subtotal + discounts.reduce(0) { $0 + $1.amount }
            }
            let amount: Int64
            var rate: TaxRate?
            switch size {
            case .amount(let value):
                guard value % 100 == 0 else {
                    throw OperationRefused("bad-discount", "a discount of \(Fixed4(units: value)) is not a whole number of cents")
                }
                amount = value
            case .percent(let percent):
                rate = percent
                amount = try TaxRounding.halfUp.cents(Fraction(Int128(left)).times(percent.fraction))
            }
            let shown = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
            guard amount > 0 else { throw OperationRefused("bad-discount", "a discount of \(shown(amount)) takes nothing off") }
            guard amount <= left else {
                throw OperationRefused("bad-discount", "a discount of \(shown(amount)) is more than the \(shown(left)) left on "
                              + (target.map { "line \(line ?? 0) (\($0.productName))" } ?? "sale \(sale.id)"))
            }
            let id = try issueID(db)
            let label = name ?? "Discount"
            try db.execute(sql: """
                INSERT INTO b2c_sale_adjust (id, b2c_sale_id, b2c_sale_item_id, type, name, rate, amount) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, sale.id, target?.id, SaleAdjustment.discountType, label, rate?.decimalText, -amount])
            var detail = ["amount": Fixed4(units: -amount).decimalText, "name": label]
            if let target { detail["line"] = target.id }
            try audit(db, actor: actor, action: "discount", objectType: "b2c_sale", objectID: sale.id, detail: detail)
            return SaleAdjustment(id: id, lineID: target?.id, type: SaleAdjustment.discountType, name: label, rate: rate,
                                  included: false, amount: -amount)
        }
    }

    /// Takes every discount off an open sale (one that no longer fits after a line was voided
    /// refuses PAY until it goes). Returns how many there were.
    public func clearDiscounts(_ saleKey: String, actor: String) throws -> Int {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            try db.execute(sql: "DELETE FROM b2c_sale_adjust WHERE b2c_sale_id = ? AND type = ?", arguments: [sale.id, SaleAdjustment.discountType])
            let count = db.changesCount
            try audit(db, actor: actor, action: "clear-discounts", objectType: "b2c_sale", objectID: sale.id, detail: ["count": String(count)])
            return count
        }
    }

    /// Makes an open sale adult-use or medical. Refused, nothing changed, when what is already
    /// on the sale is over the new type's purchase limit.
    public func setSaleType(_ saleKey: String, to type: SaleType, limit: PurchaseLimit?, actor: String) throws -> SaleStatus {
        try write { db in
            var sale = try openSaleStatus(db, saleKey)
            sale.saleType = type
            if let first = sale.lines.first {
                // Nothing added: checks the lines already on the sale against the new limit.
                try checkLimit(db, sale: sale, product: try resolveProduct(db, first.productID), adding: 0, limit: limit)
            }
            try db.execute(sql: "UPDATE b2c_sale SET meta = json_set(coalesce(meta, '{}'), '$.sale_type', ?) WHERE id = ?",
                           arguments: [type.rawValue, sale.id])
            try audit(db, actor: actor, action: "sale-type", objectType: "b2c_sale", objectID: sale.id, detail: ["sale_type": type.rawValue])
            return try saleStatus(db, sale.id)
        }
    }
}
