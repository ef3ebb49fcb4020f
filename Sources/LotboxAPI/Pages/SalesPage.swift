import Foundation
import LotboxCore
import LotboxStore

/// The back office's sales (`/sales`, `/sales/{id}`): the license's sales, newest first, and one
/// sale with its lines (each lot a link), discounts, taxes, total, how it was paid, where and by
/// whom; no customer. Read through the store's `apiSales`/`apiSale`, as `GET /b2c` reads them; a
/// manager voids one through the API's own `DELETE /b2c/{id}` (two steps: requested, then
/// voided with its stock back).
enum SalesPage {
    static let shown = 100

    struct Screen: Sendable {
        let sales: [APISale]
        let employees: [Employee]
        let zone: ShopTimeZone
    }

    static func list(_ caller: Caller, _ services: APIServices) async throws -> Screen {
        let license = caller.licenseID
        return try await services.read { store in
            try Screen(sales: store.apiSales(license: license, limit: shown, offset: 0), employees: store.employees(license: license),
                       zone: LotPage.zone(store))
        }
    }

    static func one(_ id: String, _ caller: Caller, _ services: APIServices) async throws -> Screen? {
        let license = caller.licenseID
        return try await services.read { store -> Screen? in
            guard let sale = try store.apiSale(id: id, license: license) else { return nil }
            return try Screen(sales: [sale], employees: store.employees(license: license), zone: LotPage.zone(store))
        }
    }

    static func row(_ sale: APISale, _ screen: Screen) -> [String: Any] {
        let status = sale.sale
        let money = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
        let names = Dictionary(screen.employees.map { ($0.contactID, $0.name) }) { first, _ in first }
        var row: [String: Any] = [
            "id": status.id, "short": KioskPage.shortID(status.id), "stat": status.stat, "state": state(status),
            "date": LotPage.when(status.executeAt ?? sale.createdAt, screen.zone), "total": money(status.total),
            "count": status.lines.count, "subtotal": money(status.subtotal), "type": status.saleType == .medical ? "Medical" : "Adult-use",
            "lines": status.lines.map { line -> [String: Any] in
                ["lot": line.lotID, "lot_short": KioskPage.shortID(line.lotID), "product": line.productName, "qty": line.quantityText,
                 "unit_price": money(line.unitPrice), "total": money(line.total)]
            },
            "discounts": status.discounts.map { ["name": $0.name, "amount": money($0.amount)] },
            "taxes": status.taxes.map { ["name": $0.name, "amount": money($0.amount), "included": $0.included] },
            "can_void": status.stat == Stat.live || status.stat == Stat.voidConfirmed,
            "void_requested": status.stat == Stat.voidConfirmed,
        ]
        if let station = status.station { row["station"] = station }
        if let employee = status.employee { row["seller"] = names[employee.replacingOccurrences(of: "contact:", with: "")] ?? employee }
        if let tender = status.tender { row["tender"] = tender.description }
        return row
    }

    /// A sale's state as the back office reads it.
    static func state(_ sale: SaleStatus) -> String {
        if sale.canceled { return "canceled" }
        switch sale.stat {
        case Stat.open: return "open at a kiosk"
        case Stat.live: return "paid"
        default: return StateWords.sale(sale.stat)
        }
    }
}
