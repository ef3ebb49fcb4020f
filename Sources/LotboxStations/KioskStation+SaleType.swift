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
        let sale: SaleStatus
        do {
            sale = try store.setSaleType(saleID, to: type, limit: config.purchaseLimit, actor: actor(current))
        } catch let refused as OperationRefused {
            return refuse(scan, Refusal(refused), state: current, "b2c_sale", saleID)
        }
        let decided = event(scan, .accepted, "sale-type", "sale \(sale.id) is \(sale.saleType.rawValue)", "b2c_sale", sale.id)
        try store.saveStation(current, event: decided, actor: actor(current))
        return decided
    }
}
