import Foundation
import LotboxCore
import LotboxStore

/// The back office's transfers (`/transfers`, `/transfers/{id}`): the license's incoming and
/// outgoing transfers, newest first, and one with its items (package, product, quantity sent and
/// received, the lot each is, as a link). Read through the store's `apiTransfers`/`apiTransfer`,
/// as `GET /b2b` reads them; receiving happens at the dock, not here.
enum TransfersPage {
    static let shown = 100

    struct Screen: Sendable {
        let transfers: [APITransfer]
        let licenses: [String: String]
        let products: [String: Product]
        let zone: ShopTimeZone
    }

    static func read(_ id: String?, _ caller: Caller, _ services: APIServices) async throws -> Screen? {
        let license = caller.licenseID
        return try await services.read { store -> Screen? in
            let transfers: [APITransfer]
            if let id {
                guard let one = try store.apiTransfer(id: id, license: license) else { return nil }
                transfers = [one]
            } else {
                transfers = try store.apiTransfers(license: license, direction: nil, stat: nil, limit: shown, offset: 0)
            }
            var licenses: [String: String] = [:]
            for other in Set(transfers.flatMap { [$0.sourceLicenseID, $0.targetLicenseID] }) {
                licenses[other] = try store.license(id: other)?.name ?? other
            }
            let products = Dictionary(try store.products().map { ($0.id, $0) }) { first, _ in first }
            return Screen(transfers: transfers, licenses: licenses, products: products, zone: try LotPage.zone(store))
        }
    }

    static func row(_ transfer: APITransfer, _ screen: Screen) -> [String: Any] {
        let incoming = transfer.direction == .incoming
        let other = incoming ? transfer.sourceLicenseID : transfer.targetLicenseID
        let items = transfer.items.map { item -> [String: Any] in
            let product = item.productID.flatMap { screen.products[$0] }
            let dimension = product?.lotDimension ?? .count
            var row: [String: Any] = ["product": product?.name ?? item.productID ?? "", "qty": Quantity(units: item.qty, dimension: dimension).description]
            if let package = incoming ? item.originLotID : nil { row["package"] = package }
            if let lot = incoming ? item.lotID : item.originLotID { row["lot"] = lot; row["lot_short"] = KioskPage.shortID(lot) }
            if let received = item.qtyReceived { row["received"] = Quantity(units: received, dimension: dimension).description }
            return row
        }
        var row: [String: Any] = ["id": transfer.id, "short": KioskPage.shortID(transfer.id), "incoming": incoming,
                                  "direction": incoming ? "in from" : "out to", "other": screen.licenses[other] ?? other,
                                  "state": state(transfer), "stat": transfer.stat, "count": transfer.items.count, "items": items,
                                  "date": LotPage.when(transfer.createdAt, screen.zone)]
        if let name = transfer.name, !name.isEmpty { row["name"] = name }
        if let depart = transfer.departAt { row["depart"] = LotPage.when(depart, screen.zone) }
        if let arrive = transfer.arriveAt { row["arrive"] = LotPage.when(arrive, screen.zone) }
        return row
    }

    /// A transfer's state in words, for its side.
    static func state(_ transfer: APITransfer) -> String {
        let incoming = transfer.direction == .incoming
        switch transfer.stat {
        case Stat.open: return "being typed in"
        case Stat.live: return incoming ? "at the dock" : "open"
        case Stat.committed: return incoming ? "accepted" : "sent"
        case Stat.voidRequested: return "cancel requested"
        case Stat.voidConfirmed: return "canceled"
        default: return "stat \(transfer.stat)"
        }
    }
}
