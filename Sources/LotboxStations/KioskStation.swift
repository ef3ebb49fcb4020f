import LotboxCore
import LotboxScanning
import LotboxStore

/// A retail kiosk: each scan of a lot label, METRC tag or product code adds to the open sale;
/// `LOTBOX:PAY` commits it; a licence scan is the age check.
public struct KioskStation: Station {
    public let config: StationConfig
    public let store: LotStore
    /// How the next PAY is paid. The command barcode carries none, so it pays exact cash; a
    /// screen's PAY dialog hands the station a copy with the tender it took (``paying(_:)``).
    public var tender: Tender = .exactCash

    public init(config: StationConfig, store: LotStore) {
        self.config = config
        self.store = store
    }

    /// This kiosk, paying its next PAY with `tender`.
    public func paying(_ tender: Tender) -> KioskStation {
        var station = self
        station.tender = tender
        return station
    }

    public func decide(_ recognition: Recognition, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        switch recognition.code {
        case .command(let command): return try run(command, scan, state)
        case .licence: return try ageCheck(scan, state)
        default: return try sell(recognition, scan, state)
        }
    }

    /// The open sale's id, opening one (saved with the station's state) when there is none.
    func openSale(_ scan: RecordedScan, _ state: StationState) throws -> (String, StationState) {
        if let id = state.saleID, let sale = try? store.sale(id), sale.isOpen { return (id, state) }
        var next = state
        let id = try store.openSale(license: config.license, station: config.name, employee: actor(state), saleType: config.saleType,
                                    actor: actor(state))
        next.saleID = id
        try store.saveStation(next, event: event(scan, .info, "open-sale", "new sale \(id)", "b2c_sale", id), actor: actor(next))
        return (id, next)
    }

    func ageCheck(_ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        guard let outcome = scan.ageCheck else {
            return refuse(scan, Refusal("age-check", "the licence could not be checked"), state: state)
        }
        let saleOpen = state.saleID.flatMap { try? store.sale($0) }?.isOpen == true
        guard outcome.passed || saleOpen else {
            // A failed check with no sale open is refused like any refused scan: no sale is opened for it.
            return refuse(scan, Refusal("age-check", "age check \(outcome)"), state: state)
        }
        let (saleID, current) = try openSale(scan, state)
        try store.recordAgeCheck(sale: saleID, outcome: outcome.description, actor: actor(current))
        let decided = event(scan, outcome.passed ? .accepted : .refused, "age-check", "age check \(outcome)", "b2c_sale", saleID)
        try store.saveStation(current, event: decided, actor: actor(current))
        return decided
    }

    func sell(_ recognition: Recognition, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        let target = try store.target(of: recognition)
        switch target {
        case .lot, .product:
            break
        case .unknown:
            return refuse(scan, Refusal("unknown", "nothing in the store has \(recognition.code.kind) \(recognition.code.value)"), state: state)
        default:
            return refuse(scan, Refusal("not-for-sale", "\(target.summary) is not something a kiosk sells"), state: state)
        }
        // Read once: both the age check and a refusal's reference need the sale as it stands.
        let previous = state.saleID.flatMap { try? store.sale($0) }
        if config.ageCheck, let sale = previous, sale.isOpen, sale.ageCheck == AgeCheck.Outcome.passed.description {
            // checked
        } else if config.ageCheck {
            return refuse(scan, Refusal("age-check", "scan the customer's licence first (age \(config.minimumAge)+)"), state: state)
        }
        let wasOpen = previous?.isOpen == true ? state.saleID : nil
        let saleID: String, current: StationState, line: SaleLine
        do {
            // The sale is opened and its line added in one savepoint: a refused scan opens none.
            (saleID, current, line) = try store.transaction {
                let (saleID, current) = try openSale(scan, state)
                switch target {
                case .lot(let lot):
                    return (saleID, current, try store.addToSale(saleID, lot: lot.id, quantity: current.pendingQuantity,
                                                                 limit: config.purchaseLimit, actor: actor(current)))
                case .product(let product):
                    return (saleID, current, try store.addProductToSale(saleID, product: product.id, quantity: current.pendingQuantity,
                                                                        limit: config.purchaseLimit, actor: actor(current)))
                default:
                    throw OperationRefused("not-for-sale", "\(target.summary) is not something a kiosk sells")
                }
            }
        } catch let refused as OperationRefused {
            return refuse(scan, Refusal(refused), state: state, wasOpen.map { _ in "b2c_sale" }, wasOpen)
        }
        var next = current
        next.pendingQuantity = nil
        // Read in this scan's transaction: the subtotal includes the line just added.
        let subtotal = Money(amount: Fixed4(units: try store.sale(saleID).subtotal))
        let price = Money(amount: Fixed4(units: line.total))
        let decided = event(scan, .accepted, "add", "\(line.quantityText) \(line.productName) \(price) (lot \(line.lotID)); subtotal \(subtotal)",
                            "b2c_sale", saleID)
        try store.saveStation(next, event: decided, actor: actor(next))
        return decided
    }

    func run(_ command: LotboxCommand, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        switch command {
        case .pay:
            guard let saleID = state.saleID else {
                return refuse(scan, Refusal("empty-sale", "no sale is open: scan items first"), state: state)
            }
            return try pay(saleID, scan, state)
        case .cancel:
            guard let saleID = state.saleID else {
                return refuse(scan, Refusal("empty-sale", "no sale is open"), state: state)
            }
            let lines = try store.sale(saleID).lines.count
            try store.cancelSale(saleID, actor: actor(state))
            var next = state
            next.saleID = nil
            next.pendingQuantity = nil
            let decided = event(scan, .accepted, "cancel", "sale \(saleID) canceled (\(lines) line(s) dropped)", "b2c_sale", saleID)
            try store.saveStation(next, event: decided, actor: actor(next))
            return decided
        case .voidLast:
            guard let saleID = state.saleID else {
                return refuse(scan, Refusal("empty-sale", "no sale is open"), state: state)
            }
            let line = try store.removeLastSaleLine(saleID, actor: actor(state))
            let decided = line.map { event(scan, .accepted, "void-last", "removed \($0.quantityText) \($0.productName)", "b2c_sale", saleID) }
                ?? event(scan, .refused, "void-last", "nothing on the sale to remove", "b2c_sale", saleID)
            try store.saveStation(state, event: decided, actor: actor(state))
            return decided
        case .saleType(let type):
            return try changeSaleType(to: type, scan, state)
        case .accept:
            return refuse(scan, Refusal("wrong-station", "ACCEPT is for a dock; at a kiosk scan LOTBOX:PAY"), state: state)
        case .quantity, .employee:
            return event(scan, .info, "command", command.code)
        }
    }

    /// Commits the station's open sale as `LOTBOX:PAY` does (`lotbox sale commit`), in one
    /// transaction with the station's state; nil when no sale is open.
    public func payOpenSale() throws -> StationEvent? {
        try store.transaction {
            let state = try currentState()
            guard let saleID = state.saleID else { return nil }
            return try pay(saleID, nil, state)
        }
    }

    /// Commits the open sale, with the station's new state, in the caller's transaction.
    func pay(_ saleID: String, _ scan: RecordedScan?, _ state: StationState) throws -> StationEvent {
        let sale: SaleStatus
        do {
            sale = try store.commitSale(saleID, taxes: config.taxes, pricesIncludeTax: config.pricesIncludeTax, receipt: config.receipt,
                                        tender: tender, actor: actor(state))
        } catch let refused as OperationRefused {
            return refuse(scan, Refusal(refused.reason, refused.message + "; the sale stays open"), state: state, "b2c_sale", saleID)
        }
        var next = state
        next.saleID = nil
        next.pendingQuantity = nil
        let money = { (units: Int64) in Money(amount: Fixed4(units: units)).description }
        let discounts = sale.discounts.reduce(Int64(0)) { $0 + $1.amount }
        let taxes = sale.taxes.reduce(Int64(0)) { $0 + $1.amount }
        let decided = event(scan, .accepted, "pay",
                            "sale \(sale.id) paid (\(sale.saleType.rawValue)): \(sale.lines.count) line(s), subtotal \(money(sale.subtotal)), "
                            + (discounts == 0 ? "" : "discounts \(money(discounts)), ")
                            + "taxes \(money(taxes))\(sale.pricesIncludeTax ? " included" : ""), total \(money(sale.total))"
                            + (sale.tender.map { "; \($0)" } ?? ""),
                            "b2c_sale", sale.id)
        try store.saveStation(next, event: decided, actor: actor(next))
        return decided
    }
}
