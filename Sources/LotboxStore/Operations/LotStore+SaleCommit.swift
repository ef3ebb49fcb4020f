import GRDB
import LotboxMetrics
import LotboxCore

extension LotStore {
    /// Commits an open sale in one transaction: its taxes as OpenTHC price adjustments (worked
    /// out by `TaxCalculator`, discounts first), each lot decremented through the ledger
    /// (reason `sale`, the employee as actor), the sale committed (stat 200), and a receipt
    /// queued when a printer is given. Refused, with the sale left open, when a lot no longer
    /// holds enough, is void or quarantined, or the discounts come to more than the sale.
    ///
    /// When `pricesIncludeTax`, the shelf prices on the lines contain the taxes: each line's
    /// unit price is rewritten to its pre-tax price (OpenTHC's `unit_price`), the discounts to
    /// their pre-tax amounts, and the taxes are marked as contained, so the lines, discounts
    /// and taxes add up to what the customer pays.
    ///
    /// `tender` is how the customer pays: the change is worked out against the total rounded to
    /// cents, and cash short of it is refused (`short-tender`) with nothing written.
    public func commitSale(_ saleKey: String, taxes: [Tax], pricesIncludeTax: Bool = false, receipt: LabelRoute?,
                           tender: Tender = .exactCash, actor: String) throws -> SaleStatus {
        try write { db in
            let sale = try openSaleStatus(db, saleKey)
            guard !sale.lines.isEmpty else { throw OperationRefused("empty-sale", "sale \(sale.id) has nothing on it to pay for") }
            var byLot: [String: Int64] = [:]
            for line in sale.lines { byLot[line.lotID, default: 0] += line.unitCount }
            for (lotID, count) in byLot.sorted(by: { $0.key < $1.key }) {
                let lot = try requireLot(db, lotID)
                let product = try resolveProduct(db, lot.productId)
                try checkSellable(db, lot: lot, product: product, sale: sale, adding: 0, inCart: count)
            }
            let taxed = try tax(sale, taxes: taxes, pricesIncludeTax: pricesIncludeTax)
            if pricesIncludeTax { try recordPreTax(db, sale: sale, taxed: taxed) }
            let ids = try issueIDs(db, count: taxed.charges.count + (receipt == nil ? 0 : 1))
            for (charge, id) in zip(taxed.charges, ids) {
                try db.execute(sql: """
                    INSERT INTO b2c_sale_adjust (id, b2c_sale_id, type, name, rate, included, amount) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, sale.id, charge.tax.type, charge.tax.name, charge.tax.rate.decimalText, pricesIncludeTax, charge.amount])
            }
            let seller = sale.employee ?? actor
            for line in sale.lines {
                try appendLedger(db, lotID: line.lotID, delta: -line.unitCount, reason: .sale, note: nil, actor: seller,
                                 refType: "b2c_sale", refID: sale.id)
            }
            // The total is known only once the taxes are in; a short tender undoes them (this
            // write's savepoint or transaction) before the sale is committed or a receipt queued.
            let paid = try SaleTender.paying(try saleStatus(db, sale.id).total, with: tender)
            try db.cachedStatement(sql: """
                UPDATE b2c_sale SET stat = 200, execute_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                       meta = json_set(coalesce(meta, '{}'), '$.price_includes_tax', ?),
                       tender = ?, tender_given = ?, tender_change = ?,
                       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """).execute(arguments: [pricesIncludeTax ? "1" : "0", paid.kind, paid.given, paid.change, sale.id])
            if let receipt, let id = ids.last {
                try db.execute(sql: "INSERT INTO print_job (id, kind, object_id, template, printer, copies) VALUES (?, 'sale-receipt', ?, ?, ?, ?)",
                               arguments: [id, sale.id, receipt.template, receipt.printer, receipt.copies])
                Telemetry.labelsQueued(printer: receipt.printer)
            }
            let committed = try saleStatus(db, sale.id)
            try audit(db, actor: actor, action: "commit", objectType: "b2c_sale", objectID: sale.id,
                      detail: ["lines": String(sale.lines.count), "total": Money(amount: Fixed4(units: committed.total)).description,
                               "employee": seller, "sale_type": sale.saleType.rawValue, "tender": paid.description])
            return committed
        }
    }

    func tax(_ sale: SaleStatus, taxes: [Tax], pricesIncludeTax: Bool) throws -> TaxedSale {
        let discounts = sale.discounts
        let lines = sale.lines.map { line in
            TaxableLine(productType: line.productType, amount: line.total,
                        discount: -discounts.filter { $0.lineID == line.id }.reduce(0) { $0 + $1.amount })
        }
        let saleDiscount = -discounts.filter { $0.lineID == nil }.reduce(0) { $0 + $1.amount }
        do {
            return try TaxCalculator.compute(lines: lines, saleDiscount: saleDiscount, saleType: sale.saleType, taxes: taxes,
                                             pricesIncludeTax: pricesIncludeTax)
        } catch {
            throw OperationRefused("tax", "sale \(sale.id): \(error)")
        }
    }

    /// Rewrites a tax-included sale's lines and discounts to their pre-tax amounts.
    private func recordPreTax(_ db: Database, sale: SaleStatus, taxed: TaxedSale) throws {
        let discounts = sale.discounts
        for (index, line) in sale.lines.enumerated() {
            // unit_price × unit_count (both in ten-thousandths) is the line's pre-tax amount.
            let amount = Int128(taxed.preTaxAmounts[index]) * Int128(Fixed4.scale)
            let unitPrice = Int64(clamping: TaxRounding.halfUp.divide(amount, Int128(line.unitCount)))
            try db.cachedStatement(sql: "UPDATE b2c_sale_item SET unit_price = ? WHERE id = ?").execute(arguments: [unitPrice, line.id])
            let own = discounts.filter { $0.lineID == line.id }
            try rewrite(db, own, to: taxed.preTaxLineDiscounts[index])
        }
        try rewrite(db, discounts.filter { $0.lineID == nil }, to: taxed.preTaxSaleDiscountShares.reduce(0, +))
    }

    /// Sets discount rows to add up to `total` (positive) in proportion to what they were.
    private func rewrite(_ db: Database, _ rows: [SaleAdjustment], to total: Int64) throws {
        guard !rows.isEmpty else { return }
        for (row, part) in zip(rows, apportionCents(total, over: rows.map { -$0.amount })) {
            try db.cachedStatement(sql: "UPDATE b2c_sale_adjust SET amount = ? WHERE id = ?").execute(arguments: [-part, row.id])
        }
    }
}
