import LotboxCore
import LotboxStore

/// What the kiosk's templates see: the open sale in the words and money a budtender reads, the
/// limit meter, the age check, and the last decision with what to do about a refusal.
enum KioskPage {
    static func sale(_ screen: KioskScreen, last: StationEvent?) -> [String: Any] {
        var values: [String: Any] = ["station": screen.station]
        let money = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
        if let preview = screen.sale {
            let sale = preview.sale
            values["sale"] = [
                "id": sale.id,
                "lines": sale.lines.enumerated().map { index, line -> [String: Any] in
                    ["n": index + 1, "product": line.productName, "lot": line.lotID, "lot_short": shortID(line.lotID),
                     "qty": line.quantityText, "unit_price": money(line.unitPrice), "total": money(line.total)]
                },
                "empty": sale.lines.isEmpty,
                "count": sale.lines.count,
                "subtotal": money(sale.subtotal),
                "discounts": sale.discounts.map { ["name": $0.name, "amount": money($0.amount)] },
                "taxes": preview.taxes.map { ["name": $0.name, "amount": money($0.amount), "included": $0.included] },
                "total": money(preview.total),
                "total_cents": preview.total / 100,
            ] as [String: Any]
        }
        let type = screen.sale?.sale.saleType.rawValue ?? screen.defaultSaleType
        values["sale_type"] = type == SaleType.medical.rawValue ? "Medical" : "Adult-use"
        values["medical"] = type == SaleType.medical.rawValue
        if let used = screen.sale?.gramsUsed, let allowed = screen.sale?.gramsAllowed, allowed > 0 {
            let percent = Int(min(100, used * 100 / allowed))
            values["limit"] = ["used": Quantity(units: used, dimension: .mass).description,
                               "allowed": Quantity(units: allowed, dimension: .mass).description,
                               "percent": percent, "near": percent >= 80]
        }
        values["age"] = age(screen)
        if let pending = screen.pendingQuantity { values["pending_qty"] = pending }
        if let last {
            var decision: [String: Any] = ["refused": last.outcome == .refused, "accepted": last.outcome == .accepted, "message": last.message]
            let todo = todo(last)
            if !todo.isEmpty { decision["todo"] = todo }
            values["last"] = decision
        }
        if let paid = screen.lastPaid {
            values["last_paid"] = ["id": paid.id, "short": shortID(paid.id), "total": money(paid.total),
                                   "tender": paid.tender.map { $0.description } ?? ""]
            values["can_reprint"] = screen.receiptPrinter != nil
        }
        return values
    }

    /// The age check's state on this sale: needed, passed, or refused with why.
    static func age(_ screen: KioskScreen) -> [String: Any] {
        let recorded = screen.sale?.sale.ageCheck
        if let recorded, recorded == "passed" {
            return ["state": "passed", "text": "Age check passed (\(screen.minimumAge)+)"]
        }
        if let recorded, recorded.hasPrefix("refused") {
            return ["state": "refused", "text": "Age check " + recorded.replacingOccurrences(of: ": ", with: " — ")]
        }
        if screen.ageCheckRequired {
            return ["state": "needed", "text": "Age check needed: scan the customer's ID (\(screen.minimumAge)+)"]
        }
        return ["state": "off", "text": "No age check at this kiosk"]
    }

    /// What the budtender does about a refusal, by its reason (the message says what happened).
    static func todo(_ event: StationEvent) -> String {
        guard event.outcome == .refused else { return "" }
        switch event.action {
        case "void-lot": return "Set it aside and tell a manager."
        case "quarantined": return "Set it aside: it is in quarantine."
        case "other-license": return "Set it aside: it is not this shop's stock."
        case "oversell": return "Check the package: scan another package of it."
        case "purchase-limit": return "Take an item off (VOID-LAST) or finish the sale."
        case "age-check":
            return event.message.contains("refused") ? "Do not sell: the customer did not pass the age check." : "Scan the customer's ID first."
        case "unknown": return "Scan the lot label or the METRC tag instead."
        case "not-for-sale": return "Scan a product or a lot label."
        case "unreadable":
            return event.message.contains("not a code lotbox reads") ? "Scan the lot label or the METRC tag instead." : "Scan it again."
        case "no-price": return "Ask a manager to set a price."
        case "empty-sale": return "Scan items first."
        default: return "Check the item and scan again, or ask a manager."
        }
    }

    /// The last eight characters of a ULID: what a person reads off a label.
    static func shortID(_ id: String) -> String { id.count > 12 ? "…" + id.suffix(8) : id }
}
