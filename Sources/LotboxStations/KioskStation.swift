import LotboxCore
import LotboxScanning
import LotboxStore

/// A retail kiosk: each scan of a lot label, METRC tag or product code adds to the open sale;
/// `LOTBOX:PAY` commits it; a licence scan is the age check.
public struct KioskStation: Station {
    public let config: StationConfig
    public let store: LotStore

    public init(config: StationConfig, store: LotStore) {
        self.config = config
        self.store = store
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
        let id = try store.openSale(license: config.license, station: config.name, employee: actor(state), actor: actor(state)) { id in
            next.saleID = id
            return (next, event(scan, .info, "open-sale", "new sale \(id)", "b2c_sale", id))
        }
        return (id, next)
    }

    func ageCheck(_ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        guard let outcome = scan.ageCheck else {
            return refuse(scan, Refusal("age-check", "the licence could not be checked"), state: state)
        }
        let saleOpen = state.saleID.flatMap { try? store.sale($0) }?.isOpen == true
        guard outcome.passed || saleOpen else {
            // A failed check with no sale open is refused like any refused scan: no sale is opened for it.
            return refuse(scan, Refusal("age-check", "age check \(outcome.description)"), state: state)
        }
        let (saleID, current) = try openSale(scan, state)
        var made: StationEvent?
        try store.recordAgeCheck(sale: saleID, outcome: outcome.description, actor: actor(current)) { recorded in
            let decided = event(scan, outcome.passed ? .accepted : .refused, "age-check", "age check \(recorded)", "b2c_sale", saleID)
            made = decided
            return (current, decided)
        }
        return made ?? event(scan, .info, "age-check", outcome.description)
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
        let openNow = state.saleID.flatMap { id in (try? store.sale(id)).flatMap { $0.isOpen ? $0 : nil } }
        if config.ageCheck, openNow?.ageCheck == AgeCheck.Outcome.passed.description {
            // checked
        } else if config.ageCheck {
            return refuse(scan, Refusal("age-check", "scan the customer's licence first (age \(config.minimumAge)+)"), state: state)
        }
        let item: SaleItem
        switch target {
        case .lot(let lot): item = .lot(lot.id)
        case .product(let product): item = .product(product.id)
        default: return refuse(scan, Refusal("not-for-sale", "\(target.summary) is not something a kiosk sells"), state: state)
        }
        var made: StationEvent?
        do {
            // The sale is opened with its first line, in one transaction: a refused scan opens none.
            _ = try store.sell(item, sale: openNow?.id, opening: SaleOpening(license: config.license, station: config.name, employee: actor(state)),
                               quantity: state.pendingQuantity, limit: config.purchaseLimit, actor: actor(state)) { line, saleID in
                var next = state
                next.saleID = saleID
                next.pendingQuantity = nil
                let price = Money(amount: Fixed4(units: line.total))
                let total = Money(amount: Fixed4(units: (openNow?.subtotal ?? 0) + line.total))
                let opened = openNow == nil ? "new sale \(saleID): " : ""
                let decided = event(scan, .accepted, "add", "\(opened)\(line.quantityText) \(line.productName) \(price) (lot \(line.lotID)); subtotal \(total)",
                                    "b2c_sale", saleID)
                made = decided
                return (next, decided)
            }
        } catch let refusal as Refusal {
            return refuse(scan, refusal, state: state, openNow.map { _ in "b2c_sale" }, openNow?.id)
        }
        return made ?? event(scan, .accepted, "add", "added")
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
            var made: StationEvent?
            try store.cancelSale(saleID, actor: actor(state)) { lines in
                var next = state
                next.saleID = nil
                next.pendingQuantity = nil
                let decided = event(scan, .accepted, "cancel", "sale \(saleID) canceled (\(lines) line(s) dropped)", "b2c_sale", saleID)
                made = decided
                return (next, decided)
            }
            return made ?? event(scan, .accepted, "cancel", "canceled")
        case .voidLast:
            guard let saleID = state.saleID else {
                return refuse(scan, Refusal("empty-sale", "no sale is open"), state: state)
            }
            var made: StationEvent?
            _ = try store.removeLastSaleLine(saleID, actor: actor(state)) { line in
                let decided = line.map { event(scan, .accepted, "void-last", "removed \($0.quantityText) \($0.productName)", "b2c_sale", saleID) }
                    ?? event(scan, .refused, "void-last", "nothing on the sale to remove", "b2c_sale", saleID)
                made = decided
                return (state, decided)
            }
            return made ?? event(scan, .info, "void-last", "nothing removed")
        case .accept:
            return refuse(scan, Refusal("wrong-station", "ACCEPT is for a dock; at a kiosk scan LOTBOX:PAY"), state: state)
        case .quantity, .employee:
            return event(scan, .info, "command", command.code)
        }
    }

    /// Commits the open sale (`LOTBOX:PAY`, or `lotbox sale commit`).
    public func pay(_ saleID: String, _ scan: RecordedScan?, _ state: StationState) throws -> StationEvent {
        var made: StationEvent?
        do {
            _ = try store.commitSale(saleID, taxes: config.taxes, receipt: config.receipt, actor: actor(state)) { sale in
                var next = state
                next.saleID = nil
                next.pendingQuantity = nil
                let taxes = sale.adjustments.reduce(Int64(0)) { $0 + $1.amount }
                let decided = event(scan, .accepted, "pay",
                                    "sale \(sale.id) paid: \(sale.lines.count) line(s), subtotal \(Money(amount: Fixed4(units: sale.subtotal))), "
                                    + "taxes \(Money(amount: Fixed4(units: taxes))), total \(Money(amount: Fixed4(units: sale.total)))",
                                    "b2c_sale", sale.id)
                made = decided
                return (next, decided)
            }
        } catch let refusal as Refusal {
            return refuse(scan, Refusal(refusal.reason, refusal.message + "; the sale stays open"), state: state, "b2c_sale", saleID)
        }
        return made ?? event(scan, .accepted, "pay", "paid")
    }
}
