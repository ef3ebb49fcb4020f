import ArgumentParser
import Foundation
import LotboxConfig
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

/// `lotbox sale`: B2C sales recorded at kiosks.
struct SaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sale", abstract: "Sales: see them, commit a kiosk's open sale, void one.",
                                                    subcommands: [List.self, Show.self, Discount.self, SaleTypeCommand.self, Commit.self, Void.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recent sales, newest first.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let store = try options.openStore(readOnly: true)
            let sales = try store.sales()
            if options.json { return Output.json(sales.map(SaleCommand.json)) }
            let zone = options.timeZone(store)
            Output.table(["ID", "STATE", "LINES", "TOTAL", "STATION", "WHEN"], sales.map {
                [$0.id, SaleCommand.state($0), String($0.lines.count), Money(amount: Fixed4(units: $0.total)).description, $0.station ?? "-",
                 $0.executeAt.map { zone.localTime(of: $0) ?? $0 } ?? "-"]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A sale's lines, taxes and total.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Sale id.") var id: String
        func run() throws {
            let store = try options.openStore(readOnly: true)
            let sale = try store.sale(id)
            if options.json { return Output.json(SaleCommand.json(sale)) }
            print("sale \(sale.id): \(SaleCommand.state(sale)), \(sale.saleType.rawValue)")
            if let executed = sale.executeAt { print("executed: \(Output.local(executed, in: options.timeZone(store)))") }
            Output.table(["LINE", "QTY", "PRODUCT", "LOT", "PRICE", "AMOUNT"], sale.lines.enumerated().map { index, line in
                [String(index + 1), line.quantityText, line.productName, line.lotID, Money(amount: Fixed4(units: line.unitPrice)).description,
                 Money(amount: Fixed4(units: line.total)).description]
            })
            print("subtotal: \(Money(amount: Fixed4(units: sale.subtotal)))")
            for adjustment in sale.adjustments {
                let line = adjustment.lineID.flatMap { id in sale.lines.firstIndex { $0.id == id } }.map { " (line \($0 + 1))" } ?? ""
                let rate = adjustment.rate.map { " \($0.percentText)" } ?? ""
                print("\(adjustment.name)\(rate)\(line)\(adjustment.included ? " (included)" : ""): \(Money(amount: Fixed4(units: adjustment.amount)))")
            }
            print("total: \(Money(amount: Fixed4(units: sale.total)))")
            if let tender = sale.tender {
                print("paid: \(tender.kind) \(Money(amount: Fixed4(units: tender.given)))")
                if tender.kind == Tender.cash { print("change: \(Money(amount: Fixed4(units: tender.change)))") }
            }
        }
    }

    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commit a kiosk's open sale (as LOTBOX:PAY does), with the station's taxes and receipt.",
            discussion: "Paid in cash, exact, unless --cash-given (the change is worked out) or --tender names another tender.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The kiosk station.") var station: String
        @Option(help: "cash (the default) or another tender's name, e.g. card or debit (at most 40 characters).") var tender: String?
        @Option(parsing: .unconditional, help: "Cash handed over, e.g. 50 or 42.50: the change is the rest.") var cashGiven: String?
        func run() throws {
            let paying: Tender
            do {
                paying = try Tender(kind: tender, given: cashGiven)
            } catch {
                throw ValidationError(error.description)
            }
            let (settings, store) = try options.load()
            let config = try options.station(station, in: settings)
            guard config.kind == .kiosk else { throw ValidationError("station '\(station)' is a \(config.kind.rawValue), not a kiosk") }
            guard let event = try KioskStation(config: config, store: store).paying(paying).payOpenSale() else {
                throw CommandFailure(.refused, "station '\(station)' has no open sale")
            }
            // The kiosk's refusal (cash short of the total, no age check yet) is a refusal, not a bad command line.
            guard event.outcome != .refused else { throw CommandFailure(.refused, event.message) }
            print(event.message)
        }
    }

    struct Discount: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a discount off a kiosk's open sale, before tax: one line (--line) or the whole sale.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The kiosk station.") var station: String
        @Option(parsing: .unconditional, help: "Amount off, e.g. 5 or 5.00.") var amount: String?
        @Option(help: "Percent off, e.g. 10%.") var percent: String?
        @Option(help: "The line (as `lotbox sale show` numbers them); the whole sale when left out.") var line: Int?
        @Option(help: "What the receipt calls it (default Discount).") var name: String?
        @Flag(help: "Take every discount off the sale instead.") var clear = false
        func run() throws {
            if clear {
                guard amount == nil, percent == nil, line == nil, name == nil else {
                    throw ValidationError("--clear takes every discount off; give it alone")
                }
                let (settings, store) = try options.load()
                let (config, saleID) = try SaleCommand.openSale(station, options: options, settings: settings, store: store)
                let count = try store.clearDiscounts(saleID, actor: config.employee ?? "cli")
                return print("\(count) discount(s) taken off sale \(saleID)")
            }
            let size: DiscountSize
            switch (amount, percent) {
            case (let amount?, nil):
                guard let money = try? Money(parsing: amount) else {
                    throw ValidationError("--amount '\(amount)' is not an amount of money; expected e.g. 5 or 5.00")
                }
                size = .amount(money.amount.units)
            case (nil, let percent?):
                let text = percent.hasSuffix("%") ? percent : percent + "%"
                guard let rate = try? TaxRate(parsing: text) else {
                    throw ValidationError("--percent '\(percent)' is not a percentage; expected e.g. 10% (0 to 100)")
                }
                size = .percent(rate)
            default:
                throw ValidationError("give one of --amount, --percent or --clear")
            }
            let (settings, store) = try options.load()
            let (config, saleID) = try SaleCommand.openSale(station, options: options, settings: settings, store: store)
            let discount = try store.addDiscount(saleID, line: line, size: size, name: name, actor: config.employee ?? "cli")
            print("\(discount.name) \(Money(amount: Fixed4(units: discount.amount))) on "
                  + (line.map { "line \($0) of " } ?? "") + "sale \(saleID)")
        }
    }

    struct SaleTypeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "type", abstract: "Make a kiosk's open sale adult-use or medical (taxes and the purchase limit follow).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The kiosk station.") var station: String
        @Argument(help: "adult-use or medical.") var type: String?
        @Flag(help: "A medical sale (the same as giving `medical`).") var medical = false
        func run() throws {
            guard let chosen = medical ? SaleType.medical : type.flatMap(SaleType.init(parsing:)) else {
                throw ValidationError("sale type '\(type ?? "")' is not adult-use or medical")
            }
            if medical, let type, SaleType(parsing: type) != .medical {
                throw ValidationError("--medical and '\(type)' disagree; give one")
            }
            let (settings, store) = try options.load()
            let (config, saleID) = try SaleCommand.openSale(station, options: options, settings: settings, store: store)
            let sale = try store.setSaleType(saleID, to: chosen, limit: config.purchaseLimit, actor: config.employee ?? "cli")
            print("sale \(sale.id) is \(sale.saleType.rawValue)")
        }
    }

    /// A kiosk's config and its open sale, or a one-line error.
    static func openSale(_ station: String, options: ConfigOptions, settings: ServeConfig, store: LotStore) throws -> (StationConfig, String) {
        let config = try options.station(station, in: settings)
        guard config.kind == .kiosk else { throw ValidationError("station '\(station)' is a \(config.kind.rawValue), not a kiosk") }
        guard let saleID = try store.stationState(station)?.saleID, try store.sale(saleID).isOpen else {
            throw ValidationError("station '\(station)' has no open sale")
        }
        return (config, saleID)
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Void a committed sale: run twice (request, then confirm); the stock goes back through the ledger.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Sale id.") var id: String
        func run() throws {
            switch try options.openStore().voidSale(id, actor: options.actor) {
            case .requested: print("void requested for sale \(id); run again to confirm and put the stock back")
            case .confirmed: print("sale \(id) voided; stock returned")
            }
        }
    }

    /// A sale canceled at the kiosk is stat 410 like a void one, but it was never sold: it is
    /// never shown as void.
    static func state(_ sale: SaleStatus) -> String { sale.canceled ? "canceled" : StateWords.sale(sale.stat) }

    static func json(_ sale: SaleStatus) -> [String: Any] {
        ["id": sale.id, "license": ["id": sale.licenseID], "stat": sale.stat, "execute_at": sale.executeAt ?? NSNull(),
         "station": sale.station ?? NSNull(), "employee": sale.employee ?? NSNull(), "age_check": sale.ageCheck ?? NSNull(), "canceled": sale.canceled,
         "sale_type": sale.saleType.rawValue, "price_includes_tax": sale.pricesIncludeTax,
         "item_list": sale.lines.map { ["id": $0.id, "inventory": ["id": $0.lotID], "product": ["id": $0.productID, "name": $0.productName],
                                        "unit_count": Fixed4(units: $0.unitCount).decimalText, "unit_price": Fixed4(units: $0.unitPrice).decimalText,
                                        "uom": $0.dimension.rawValue] },
         "price_adjust_list": sale.adjustments.map { ["id": $0.id, "type": $0.type, "name": $0.name, "rate": $0.rate.map { $0.decimalText as Any } ?? NSNull(),
                                                      "b2c_sale_item": $0.lineID.map { ["id": $0] as Any } ?? NSNull(), "included": $0.included,
                                                      "amount": Fixed4(units: $0.amount).decimalText] },
         "subtotal": Fixed4(units: sale.subtotal).decimalText, "total": Fixed4(units: sale.total).decimalText,
         "tender": sale.tender.map { ["kind": $0.kind, "given": Fixed4(units: $0.given).decimalText, "change": Fixed4(units: $0.change).decimalText] as Any }
            ?? NSNull()]
    }
}
