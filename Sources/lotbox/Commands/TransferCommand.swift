import ArgumentParser
import Foundation
import LotboxCore
import LotboxStore

/// `lotbox b2b`: incoming transfers (manifests) for the receiving dock.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "b2b", abstract: "Incoming B2B transfers: load manifests, see them, accept them.",
                                                    subcommands: [Import.self, Create.self, List.self, Show.self, Accept.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load incoming transfers from OpenTHC B2B JSON (prints their ids).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The manifest file (one transfer, a list, or {\"data\": [...]}).") var file: String
        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("manifest \(file) cannot be read; expected an OpenTHC B2B JSON file")
            }
            let ids = try options.openStore().importTransfers(json: data, actor: options.actor)
            options.json ? Output.json(ids) : ids.forEach { print($0) }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an incoming transfer by hand (prints its id).")
        @OptionGroup var options: StoreOptions
        @Option(help: "The sender's license (id, code or name).") var from: String
        @Option(help: "The receiving license (id, code or name).") var to: String
        @Option(name: .customLong("item"), help: ArgumentHelp("PACKAGE,PRODUCT,QTY: the sender's package id, the product, the quantity; repeat.", valueName: "ITEM"))
        var items: [String]
        @Option(help: "The sender's transfer id (default: a new ULID).") var id: String?
        @Option(help: "A name for the transfer.") var name: String?
        func run() throws {
            let parsed = try items.map { text -> NewTransferItem in
                let parts = text.split(separator: ",", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                    throw ValidationError("item '\(text)' is not PACKAGE,PRODUCT,QTY (e.g. 1A4FF0100000022000000123,Flower,\"2 lb\")")
                }
                return NewTransferItem(packageID: parts[0], productKey: parts[1], qty: parts[2])
            }
            let id = try options.openStore().createTransfer(NewTransfer(id: id, sourceLicenseKey: from, targetLicenseKey: to, name: name, items: parsed),
                                                            actor: options.actor)
            print(id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open incoming transfers.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let transfers = try options.openStore().openTransfers()
            if options.json { return Output.json(transfers.map(TransferCommand.json)) }
            Output.table(["ID", "FROM", "PACKAGES", "COUNTED"], transfers.map {
                [$0.id, $0.sourceLicenseName, String($0.openItems.count), String($0.openItems.filter { $0.counted > 0 }.count)]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A transfer's packages: expected, counted, received.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Transfer id.") var id: String
        func run() throws {
            let transfer = try options.openStore().transferWithPrices(id)
            if options.json { return Output.json(TransferCommand.json(transfer)) }
            print("transfer \(transfer.id) from \(transfer.sourceLicenseName): \(StateWords.transfer(transfer.stat))")
            // Wholesale prices keep their fractions of a cent ($1,200/lb is $2.6455/g).
            Output.table(["PACKAGE", "PRODUCT", "EXPECTED", "COUNTED", "PRICE", "LOT"], transfer.items.map { item in
                [item.packageID, item.productName, item.expectedText, item.countedText,
                 item.unitPrice.map { Money(amount: Fixed4(units: $0)).wholesaleDescription + "/" + item.dimension.rawValue } ?? "-",
                 item.lotID ?? "-"]
            })
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept what was counted into new lots (partial acceptance keeps the rest open).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Transfer id.") var id: String
        @Flag(help: "Also accept packages not scanned, at their manifest quantities.") var all = false
        @Option(help: "Section for the new lots.") var section: String?
        func run() throws {
            let store = try options.openStore()
            let accepted = try store.acceptTransfer(id, everything: all, sectionKey: section, actor: options.actor)
            // What each item is counted in, so every quantity shown carries its unit.
            let items = Dictionary(uniqueKeysWithValues: try store.transfer(accepted.transferID).items.map { ($0.id, $0.dimension) })
            if options.json {
                return Output.json(["transfer": accepted.transferID,
                                    "lots": accepted.lots.map { ["package": $0.packageID, "lot": $0.lotID, "qty": Fixed4(units: $0.qty).decimalText,
                                                                 "uom": (items[$0.itemID] ?? .mass).rawValue] },
                                    "under": accepted.under, "still_open": accepted.stillOpen])
            }
            for lot in accepted.lots {
                print("\(lot.packageID) -> \(lot.lotID) (\(Quantity(units: lot.qty, dimension: items[lot.itemID] ?? .mass)))")
            }
            if accepted.stillOpen > 0 { Output.stderr("\(accepted.stillOpen) package(s) still open on transfer \(accepted.transferID)") }
        }
    }

    static func json(_ transfer: TransferStatus) -> [String: Any] {
        ["id": transfer.id, "source": ["id": transfer.sourceLicenseID, "name": transfer.sourceLicenseName],
         "target": ["id": transfer.targetLicenseID], "stat": transfer.stat,
         "item_list": transfer.items.map { item -> [String: Any] in
             ["id": item.id, "inventory": ["id": item.packageID], "product": ["id": item.productID, "name": item.productName],
              "qty": Fixed4(units: item.expected).decimalText, "counted": Fixed4(units: item.counted).decimalText,
              "qty_received": item.received.map { Fixed4(units: $0).decimalText } ?? NSNull(),
              "lot": item.lotID ?? NSNull(), "uom": item.dimension.rawValue,
              "unit_price": item.unitPrice.map { Fixed4(units: $0).decimalText } ?? NSNull()]
         }]
    }
}
