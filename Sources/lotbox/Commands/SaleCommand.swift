import ArgumentParser
import Foundation
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore

/// `lotbox sale`: B2C sales recorded at kiosks.
struct SaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sale", abstract: "Sales: see them, commit a kiosk's open sale, void one.",
                                                    subcommands: [List.self, Show.self, Commit.self, Void.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recent sales, newest first.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let store = try options.openStore()
            let sales = try store.sales()
            if options.json { return Output.json(sales.map(SaleCommand.json)) }
            let zone = options.timeZone(store)
            Output.table(["ID", "STATE", "LINES", "TOTAL", "STATION", "WHEN"], sales.map {
                [$0.id, SaleCommand.state($0.stat), String($0.lines.count), Money(amount: Fixed4(units: $0.total)).description, $0.station ?? "-",
                 $0.executeAt.map { zone.localTime(of: $0) ?? $0 } ?? "-"]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A sale's lines, taxes and total.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Sale id.") var id: String
        func run() throws {
            let store = try options.openStore()
            let sale = try store.sale(id)
            if options.json { return Output.json(SaleCommand.json(sale)) }
            print("sale \(sale.id): \(SaleCommand.state(sale.stat))")
            if let executed = sale.executeAt { print("executed: \(Output.local(executed, in: options.timeZone(store)))") }
            Output.table(["QTY", "PRODUCT", "LOT", "PRICE", "AMOUNT"], sale.lines.map {
                [$0.quantityText, $0.productName, $0.lotID, Money(amount: Fixed4(units: $0.unitPrice)).description, Money(amount: Fixed4(units: $0.total)).description]
            })
            for adjustment in sale.adjustments { print("\(adjustment.name): \(Money(amount: Fixed4(units: adjustment.amount)))") }
            print("total: \(Money(amount: Fixed4(units: sale.total)))")
        }
    }

    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Commit a kiosk's open sale (as LOTBOX:PAY does), with the station's taxes and receipt.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The kiosk station.") var station: String
        func run() throws {
            let (settings, store) = try options.load()
            let config = try options.station(station, in: settings)
            guard config.kind == .kiosk else { throw ValidationError("station '\(station)' is a \(config.kind.rawValue), not a kiosk") }
            guard let event = try KioskStation(config: config, store: store).payOpenSale() else {
                throw ValidationError("station '\(station)' has no open sale")
            }
            guard event.outcome != .refused else { throw ValidationError(event.message) }
            print(event.message)
        }
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

    static func state(_ stat: Int) -> String {
        switch stat {
        case Stat.open: return "open"
        case Stat.live: return "committed"
        case Stat.voidConfirmed: return "void requested"
        case Stat.voidRequested: return "void"
        default: return "stat \(stat)"
        }
    }

    static func json(_ sale: SaleStatus) -> [String: Any] {
        ["id": sale.id, "license": ["id": sale.licenseID], "stat": sale.stat, "execute_at": sale.executeAt ?? NSNull(),
         "station": sale.station ?? NSNull(), "employee": sale.employee ?? NSNull(), "age_check": sale.ageCheck ?? NSNull(),
         "item_list": sale.lines.map { ["id": $0.id, "inventory": ["id": $0.lotID], "product": ["id": $0.productID, "name": $0.productName],
                                        "unit_count": Fixed4(units: $0.unitCount).decimalText, "unit_price": Fixed4(units: $0.unitPrice).decimalText,
                                        "uom": $0.dimension.rawValue] },
         "price_adjust_list": sale.adjustments.map { ["type": $0.type, "name": $0.name, "amount": Fixed4(units: $0.amount).decimalText] },
         "subtotal": Fixed4(units: sale.subtotal).decimalText, "total": Fixed4(units: sale.total).decimalText]
    }
}
