import LotboxCore
import LotboxScanning
import LotboxStore

extension KioskStation {
    /// `LOTBOX:MEDICAL` / `LOTBOX:ADULT-USE`: the open sale (a new one when none is open, as
    /// when a patient's card is the first thing scanned) becomes that type, so PAY charges its
    /// taxes and the purchase limit is its own. Refused, the sale unchanged, when what is on it
    /// is over the new type's limit.
    func changeSaleType(to type: SaleType, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        let (saleID, current) = try openSale(scan, state)
        var made: StationEvent?
        do {
            _ = try store.setSaleType(saleID, to: type, limit: config.purchaseLimit, actor: actor(current)) { sale in
                let decided = event(scan, .accepted, "sale-type", "sale \(sale.id) is \(sale.saleType.rawValue)", "b2c_sale", sale.id)
                made = decided
                return (current, decided)
            }
        } catch let refusal as Refusal {
            return refuse(scan, refusal, state: current, "b2c_sale", saleID)
        }
        return made ?? event(scan, .accepted, "sale-type", "sale \(saleID) is \(type.rawValue)", "b2c_sale", saleID)
    }
}
