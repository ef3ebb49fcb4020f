import LotboxCore
import LotboxLabels
import LotboxStore

extension LabelValue {
    /// The data of a sale's receipt in `store`: the one way the CLI and the print worker get it.
    public static func sale(_ key: String, in store: LotStore, timeZone: ShopTimeZone) throws -> LabelValue {
        let sale = try store.sale(key)
        let license = try store.licenses().first { $0.id == sale.licenseID }
        return .sale(sale, licenseName: license?.name ?? sale.licenseID, licenseCode: license?.code, timeZone: timeZone)
    }

    /// What a receipt template sees: the sale, a `lines` list (one row each: qty, product, lot,
    /// unit price, amount), a `taxes` list (the sale's price adjustments: discounts, then taxes;
    /// each with a `label` such as "Coupon" or "Sales Tax 10.25% included", its name, rate (null
    /// for an amount), whether it was included in the price, and amount), and the totals,
    /// formatted for print. `executed_at` is the shop's wall-clock time (`2026-11-29 23:30`), as
    /// the customer's own clock shows it. `tender` is how it was paid (kind, given, change, and
    /// `line`: "Cash $50.00  Change $7.50" or "Card $42.50"); null for a sale not yet paid.
    public static func sale(_ sale: SaleStatus, licenseName: String, licenseCode: String?, timeZone: ShopTimeZone) -> LabelValue {
        func money(_ units: Int64) -> LabelValue { .text(Money(amount: Fixed4(units: units)).description) }
        let lines: [LabelValue] = sale.lines.map { line in
            .object([
                "qty": .text(line.quantityText),
                "product": .text(line.productName),
                "lot": .text(line.lotID),
                "short_lot": .text(String(line.lotID.suffix(8))),
                "unit_price": money(line.unitPrice),
                "amount": money(line.total),
            ])
        }
        // Discounts, then taxes, each as charged: their amounts are the sale's own price
        // adjustments, so the rows and the total agree to the cent. A tax contained in the
        // shelf price says so.
        let taxes: [LabelValue] = sale.adjustments.map { adjustment in
            let rate = adjustment.rate.map { " " + $0.percentText } ?? ""
            return .object([
                "label": .text(adjustment.name + rate + (adjustment.included ? " included" : "")),
                "name": .text(adjustment.name),
                "rate": adjustment.rate.map { .text($0.percentText) } ?? .null,
                "included": .flag(adjustment.included),
                "amount": money(adjustment.amount),
            ])
        }
        let taxTotal = sale.taxes.reduce(Int64(0)) { $0 + $1.amount }
        return .object([
            "id": .text(sale.id),
            "short_id": .text(String(sale.id.suffix(8))),
            "executed_at": .text(sale.executeAt.map { timeZone.localTime(of: $0) ?? $0 } ?? "open"),
            "executed_date": sale.executeAt.flatMap { timeZone.date(of: $0) }.map { .text($0.iso) } ?? .null,
            "time_zone": .text(timeZone.name),
            "station": sale.station.map(LabelValue.text) ?? .null,
            "employee": sale.employee.map(LabelValue.text) ?? .null,
            "license": .object(["id": .text(sale.licenseID), "name": .text(licenseName), "code": licenseCode.map(LabelValue.text) ?? .null]),
            "lines": .list(lines),
            "line_count": .text(String(sale.lines.count)),
            "taxes": .list(taxes),
            "subtotal": money(sale.subtotal),
            "sale_type": .text(sale.saleType.rawValue),
            "discount_total": money(sale.discounts.reduce(Int64(0)) { $0 + $1.amount }),
            "tax_total": money(taxTotal),
            "prices_include_tax": sale.pricesIncludeTax ? .text("yes") : .null,
            "total": money(sale.total),
            "tender": sale.tender.map { tender in
                let kind = tender.kind.prefix(1).uppercased() + tender.kind.dropFirst()
                let change = tender.kind == Tender.cash ? "  Change \(Money(amount: Fixed4(units: tender.change)))" : ""
                return .object(["kind": .text(tender.kind), "given": money(tender.given), "change": money(tender.change),
                                "line": .text("\(kind) \(Money(amount: Fixed4(units: tender.given)))" + change)])
            } ?? .null,
        ])
    }
}
