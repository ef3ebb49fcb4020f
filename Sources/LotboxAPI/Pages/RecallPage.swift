import Foundation
import LotboxCore
import LotboxStore

/// A recall from a lot's page (`/lots/{id}/recall`): every lot on this box made from it (split,
/// converted, or received from a transfer that carried it) and every sale holding one of them,
/// with dates, quantities, amounts and states. No customer of any sale is read or shown: a
/// recall notice goes out through the shop's own records, not this screen.
enum RecallPage {
    struct Screen: Sendable {
        let recall: LotRecall
        let zone: ShopTimeZone
    }

    static func screen(_ id: String, _ caller: Caller, _ services: APIServices) async throws -> Screen? {
        let license = caller.licenseID
        return try await services.read { store -> Screen? in
            guard let recall = try store.recall(lot: id, license: license) else { return nil }
            return Screen(recall: recall, zone: try LotPage.zone(store))
        }
    }

    static func values(_ screen: Screen, license: String) -> [String: Any] {
        let recall = screen.recall
        let money = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
        let products = Dictionary(recall.lots.map { ($0.id, $0.productName) }) { first, _ in first }
        let lots = recall.lots.map { lot -> [String: Any] in
            ["id": lot.id, "short": KioskPage.shortID(lot.id), "own": lot.licenseID == license, "how": lot.depth == 0 ? "recalled lot" : LotPage.linkWord(lot.how),
             "parent": lot.parentID.map(KioskPage.shortID) ?? "", "parent_id": lot.parentID ?? "", "depth": lot.depth,
             "license": lot.licenseName, "product": lot.productName, "qty": lot.qty.description, "state": StateWords.lot(lot.stat),
             "live": lot.stat == Stat.live, "root": lot.depth == 0]
        }
        let sales = recall.sales.map { sale -> [String: Any] in
            ["id": sale.id, "short": KioskPage.shortID(sale.id), "date": LotPage.when(sale.date, screen.zone),
             "lot": KioskPage.shortID(sale.lotID), "lot_id": sale.lotID, "product": products[sale.lotID] ?? sale.productName,
             "qty": sale.qty.description, "amount": money(sale.amount), "state": saleWord(sale.stat),
             "counted": sale.stat == Stat.live]
        }
        let root = recall.lots.first
        let sold = recall.sales.filter { $0.stat == Stat.live }
        return ["id": root?.id ?? "", "short": root.map { KioskPage.shortID($0.id) } ?? "", "product": root?.productName ?? "",
                "lots": lots, "lot_count": lots.count, "sales": sales, "sale_count": Set(recall.sales.map(\.id)).count,
                "no_sales": sales.isEmpty, "sold_amount": money(sold.reduce(0) { $0 + $1.amount }),
                "live_count": recall.lots.filter { $0.stat == Stat.live && $0.qty.amount.units > 0 }.count, "zone": screen.zone.name]
    }

    /// A sale's state as a recall reads it: paid, still open at a kiosk, voided.
    static func saleWord(_ stat: Int) -> String {
        switch stat {
        case Stat.open: return "open at a kiosk"
        case Stat.live: return "paid"
        default: return StateWords.sale(stat)
        }
    }
}
