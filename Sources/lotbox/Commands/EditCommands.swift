import ArgumentParser
import LotboxCore
import LotboxStore

// `set` for the objects lots refer to: each change goes through the store's checks and leaves
// an audit line with the old and new values; `--json` prints the object as it now is.

extension ProductCommand {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a product's name, price, type or package.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Product id or name.") var product: String
        @Option(help: "A new name.") var name: String?
        @Option(parsing: .unconditional, help: "A new retail price per unit, e.g. 35.00, or 'none'.") var price: String?
        @Option(help: "A new product type name or id.") var type: String?
        @Option(help: "bulk, each or pack (only for a product with no lots yet).") var package: String?
        @Option(help: "bulk: the unit lots are measured in; each/pack: size of one unit, e.g. '3.5 g'.") var unit: String?
        @Option(name: .customLong("pack-count"), help: "pack: units in one pack.") var packCount: String?
        @Option(help: "The license whose name it is, when two licenses use the name (id, code or name).") var license: String?
        func run() throws {
            let packageType = try package.map { text in
                guard let type = PackageType(rawValue: text.lowercased()) else {
                    throw ValidationError("package type '\(text)' is unknown; expected bulk, each or pack")
                }
                return type
            }
            let changes = ProductChanges(name: name, price: price, typeKey: type, packageType: packageType, unit: unit, packCount: packCount)
            let product = try options.openStore().setProduct(self.product, changes, licenseKey: license, actor: options.actor)
            options.json ? Output.encodable(product) : print(product.id)
        }
    }
}

extension LicenseCommand {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a license's name, code or type.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "License id, code or name.") var license: String
        @Option(help: "A new name.") var name: String?
        @Option(help: "A new license number.") var code: String?
        @Option(help: "grower, processor, grower-processor, retail, lab, carrier.") var type: String?
        func run() throws {
            let license = try options.openStore().setLicense(self.license, name: name, code: code, typeKey: type, actor: options.actor)
            options.json ? Output.encodable(license) : print(license.id)
        }
    }
}

extension SectionCommand {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a section's name or type (e.g. into quarantine).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Section id or name.") var section: String
        @Option(help: "A new name.") var name: String?
        @Option(help: "crop, inventory or inventory-quarantine.") var type: String?
        @Option(help: "The license whose name it is, when two licenses use the name (id, code or name).") var license: String?
        func run() throws {
            let sectionType = try type.map { text in
                guard let type = SectionType(rawValue: text.lowercased()) else {
                    throw ValidationError("section type '\(text)' is unknown; expected crop, inventory or inventory-quarantine")
                }
                return type
            }
            let section = try options.openStore().setSection(self.section, name: name, type: sectionType, licenseKey: license, actor: options.actor)
            options.json ? Output.encodable(section) : print(section.id)
        }
    }
}

extension VarietyCommand {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a variety's name or type.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Variety id or name.") var variety: String
        @Option(help: "A new name.") var name: String?
        @Option(help: "Hemp, Hybrid, Indica, Sativa or Ruderalis.") var type: String?
        @Option(help: "The license whose name it is, when two licenses use the name (id, code or name).") var license: String?
        func run() throws {
            let variety = try options.openStore().setVariety(self.variety, name: name, type: type, licenseKey: license, actor: options.actor)
            options.json ? Output.encodable(variety) : print(variety.id)
        }
    }
}
