import GRDB
import LotboxCore
import LotboxMetrics

/// An open sale as a counter screen shows it before PAY: the taxes PAY would charge, the total,
/// and how much of the purchase limit the lines use. Nothing here is written.
public struct SalePreview: Sendable, Equatable {
    public struct Charge: Sendable, Equatable {
        public var name: String
        /// Ten-thousandths of a dollar.
        public var amount: Int64
        /// Contained in the shelf prices rather than added to them.
        public var included: Bool
    }

    public var sale: SaleStatus
    public var taxes: [Charge]
    /// What the customer pays: the subtotal, discounts and taxes added (taxes contained in the
    /// prices are not added twice).
    public var total: Int64
    /// Grams of flower the lines count as (equivalency applied), when the station has a limit.
    public var gramsUsed: Int64?
    /// The limit for this sale's type, in ten-thousandths of a gram.
    public var gramsAllowed: Int64?
}

extension LotStore {
    /// The sale with the taxes PAY would charge at a station with these taxes, worked out by the
    /// same `TaxCalculator` as the commit; a committed sale shows the taxes it was charged.
    public func previewSale(_ key: String, taxes: [Tax], pricesIncludeTax: Bool, limit: PurchaseLimit?) throws -> SalePreview {
        try read { db in
            let sale = try saleStatus(db, key)
            var charges: [SalePreview.Charge]
            var total: Int64
            if sale.isOpen && !sale.lines.isEmpty {
                let taxed = try tax(sale, taxes: taxes, pricesIncludeTax: pricesIncludeTax)
                charges = taxed.charges.filter { $0.amount != 0 }.map { .init(name: $0.tax.name, amount: $0.amount, included: pricesIncludeTax) }
                let discounts = sale.discounts.reduce(Int64(0)) { $0 + $1.amount }
                total = sale.subtotal + discounts + (pricesIncludeTax ? 0 : taxed.taxTotal)
            } else {
                charges = sale.taxes.map { .init(name: $0.name, amount: $0.amount, included: $0.included) }
                total = sale.total
            }
            if sale.isOpen && sale.lines.isEmpty { charges = [] }
            var used: Int64?
            if let limit {
                var grams: Int64 = 0
                for line in sale.lines {
                    grams += gramsEquivalent(try resolveProduct(db, line.productID), count: line.unitCount, limit: limit)
                }
                used = grams
            }
            return SalePreview(sale: sale, taxes: charges, total: total, gramsUsed: used, gramsAllowed: limit?.grams(for: sale.saleType))
        }
    }

    /// The newest sale committed at `station` (the one a receipt reprint is for), if any.
    public func lastPaidSale(station: String) throws -> SaleStatus? {
        try read { db in
            let id = try String.fetchOne(db.cachedStatement(sql: """
                SELECT id FROM b2c_sale WHERE json_extract(meta, '$.station') = ? AND stat = 200
                 ORDER BY execute_at DESC, id DESC LIMIT 1
                """), arguments: [station])
            return try id.map { try saleStatus(db, $0) }
        }
    }

    /// Queues another receipt for a committed sale (a reprint at the counter).
    public func queueReceipt(sale key: String, route: LabelRoute, actor: String) throws -> PrintJob {
        let job = try write { db in
            let sale = try saleStatus(db, key)
            guard sale.stat == Stat.live else {
                throw StoreError.conflict("sale \(sale.id) is \(StateWords.sale(sale.stat)); only a paid sale has a receipt")
            }
            let id = try issueID(db)
            try db.execute(sql: "INSERT INTO print_job (id, kind, object_id, template, printer, copies) VALUES (?, 'sale-receipt', ?, ?, ?, ?)",
                           arguments: [id, sale.id, route.template, route.printer, route.copies])
            try audit(db, actor: actor, action: "reprint", objectType: "print_job", objectID: id, detail: ["sale": sale.id])
            return try PrintJob.find(db, key: id)
        }
        Telemetry.labelsQueued(printer: job.printer)
        return job
    }
}
