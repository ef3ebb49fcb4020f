import ArgumentParser
import LotboxStore

/// `lotbox contact`: the people of a company (employees, drivers, managers). An API session
/// acts as one of them; the ledger and audit log name them.
struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contact", abstract: "People of a company (an API session acts as one).",
                                                    subcommands: [Add.self, List.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact (prints its id).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The person's name.") var name: String
        @Option(help: "Company id or name.") var company: String
        @Option(help: "\(LotStore.contactTypes.joined(separator: ", ")).") var type: String = "Employee"
        @Option(help: "E-mail address.") var email: String?
        @Option(help: "Phone number.") var phone: String?
        func run() throws {
            let contact = try options.openStore().addContact(name: name, type: type, companyKey: company, email: email, phone: phone,
                                                             actor: options.actor)
            options.json ? Output.encodable(contact) : print(contact.id)
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contacts.")
        @OptionGroup var options: StoreOptions
        func run() throws {
            let rows = try options.openStore(readOnly: true).contacts()
            if options.json { return Output.encodable(rows) }
            Output.table(["ID", "TYPE", "NAME", "COMPANY"], rows.map { [$0.id, $0.type, $0.name, $0.companyId] })
        }
    }
}
