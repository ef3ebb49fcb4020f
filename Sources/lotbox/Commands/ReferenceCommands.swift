import ArgumentParser
import LotboxCore
import LotboxStore

struct CompanyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "company", abstract: "Companies that hold licenses.",
                                                    subcommands: [Add.self, List.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a company.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The company's name.") var name: String
        @Option(help: "Government ID.") var code: String?
        func run() throws {
            let company = try options.openStore().addCompany(name: name, code: code, actor: options.actor)
            options.json ? Output.encodable(company) : print(company.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List companies.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).companies()
            if options.json { return Output.encodable(rows) }
            Output.table(["ID", "NAME", "CODE"], rows.map { [$0.id, $0.name, $0.code ?? ""] })
        }
    }
}

struct LicenseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "license", abstract: "State licenses that own lots.",
                                                    subcommands: [Add.self, Set.self, List.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a license (prints its id).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The licensee's name.") var name: String
        @Option(help: "The license number the state issued.") var code: String?
        @Option(help: "grower, processor, grower-processor, retail, lab, carrier.") var type: String = "grower"
        @Option(help: "Company id or name (default: a new company of the same name).") var company: String?
        func run() throws {
            let license = try options.openStore().addLicense(name: name, code: code, typeKey: type, companyKey: company, actor: options.actor)
            options.json ? Output.encodable(license) : print(license.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List licenses.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).licenses()
            if options.json { return Output.encodable(rows) }
            let types = Dictionary(uniqueKeysWithValues: WellKnown.licenseTypes.map { ($0.id, $0.key) })
            Output.table(["ID", "CODE", "TYPE", "NAME"], rows.map { [$0.id, $0.code ?? "", types[$0.type] ?? $0.type, $0.name] })
        }
    }
}

struct VarietyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "variety", abstract: "Varieties (strains).",
                                                    subcommands: [Add.self, Set.self, List.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a variety (prints its id).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The variety's name.") var name: String
        @Option(help: "Hemp, Hybrid, Indica, Sativa or Ruderalis.") var type: String?
        @Option(help: "License id, code or name (default: a variety every license uses).") var license: String?
        func run() throws {
            let variety = try options.openStore().addVariety(name: name, type: type, licenseKey: license, actor: options.actor)
            options.json ? Output.encodable(variety) : print(variety.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List varieties.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).varieties()
            if options.json { return Output.encodable(rows) }
            Output.table(["ID", "TYPE", "NAME"], rows.map { [$0.id, $0.type ?? "", $0.name] })
        }
    }
}

struct SectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "section", abstract: "Sections (rooms, vaults, quarantine).",
                                                    subcommands: [Add.self, Set.self, List.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a section (prints its id).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The section's name.") var name: String
        @Option(help: "crop, inventory or inventory-quarantine.") var type: String = "inventory"
        @Option(help: "License id, code or name.") var license: String?
        func run() throws {
            guard let sectionType = SectionType(rawValue: type.lowercased()) else {
                throw ValidationError("section type '\(type)' is unknown; expected crop, inventory or inventory-quarantine")
            }
            let section = try options.openStore().addSection(name: name, type: sectionType, licenseKey: license, actor: options.actor)
            options.json ? Output.encodable(section) : print(section.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sections.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).sections()
            if options.json { return Output.encodable(rows) }
            Output.table(["ID", "TYPE", "NAME"], rows.map { [$0.id, $0.type, $0.name] })
        }
    }
}
