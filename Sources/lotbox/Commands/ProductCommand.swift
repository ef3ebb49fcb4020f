import ArgumentParser
import LotboxCore
import LotboxStore

struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "product", abstract: "Products: what lots are.",
                                                    subcommands: [Add.self, Set.self, List.self, Code.self, Types.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a product (prints its id).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The product's name.") var name: String
        @Option(help: "Product type name or id (see `lotbox product types`).") var type: String
        @Option(help: "bulk, each or pack.") var package: String = "bulk"
        @Option(help: "bulk: the unit lots are measured in (g, l, ea); each/pack: size of one unit, e.g. '3.5 g'.") var unit: String?
        @Option(name: .customLong("pack-count"), help: "pack: units in one pack.") var packCount: String?
        @Option(parsing: .unconditional, help: "Retail price per unit, e.g. 35.00.") var price: String?
        @Option(help: "License id, code or name.") var license: String?
        @Option(name: .customLong("code"), help: "A retail code on the product (UPC-A, EAN-8/13, GTIN-14); repeat for more.") var codes: [String] = []
        func run() throws {
            guard let packageType = PackageType(rawValue: package.lowercased()) else {
                throw ValidationError("package type '\(package)' is unknown; expected bulk, each or pack")
            }
            let product = try options.openStore().addProduct(
                NewProduct(name: name, typeKey: type, packageType: packageType, unit: unit, packCount: packCount,
                           unitPrice: price, licenseKey: license, codes: codes), actor: options.actor)
            options.json ? Output.json(Output.productJSON(product)) : print(product.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List products.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).products()
            if options.json { return Output.json(rows.map(Output.productJSON)) }
            let types = Dictionary(uniqueKeysWithValues: ProductType.all.map { ($0.id, $0.name) })
            Output.table(["ID", "TYPE", "PACKAGE", "PRICE", "NAME"], rows.map {
                [$0.id, types[$0.type] ?? $0.type, $0.packageDescription, $0.unitPrice.map { Money(amount: Fixed4(units: $0)).description } ?? "", $0.name]
            })
        }
    }
    struct Code: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a product a retail code (UPC/EAN/GTIN), so scanning it at a kiosk finds the product.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Product id or name.") var product: String
        @Argument(help: "UPC-A, EAN-8, EAN-13 or GTIN-14 (check digit verified).") var code: String
        func run() throws {
            print(try options.openStore().addProductCode(code, product: product, actor: options.actor))
        }
    }
    struct Types: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List OpenTHC product types.")
        @Flag var json = false
        func run() {
            if json { return Output.json(ProductType.all.map { ["id": $0.id, "name": $0.name, "mode": $0.mode?.rawValue ?? "none"] }) }
            Output.table(["ID", "MODE", "NAME"], ProductType.all.map { [$0.id, $0.mode?.rawValue ?? "-", $0.name] })
        }
    }
}
