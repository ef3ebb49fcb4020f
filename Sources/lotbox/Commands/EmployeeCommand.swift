import ArgumentParser
import Foundation
import LotboxAPI
import LotboxStore

/// `lotbox employee`: staff who sign in at the screens. The PIN or password is read from the
/// terminal without echo (twice), or from the first line of standard input when that is not a
/// terminal; never from the command line, where `ps` and shell history would keep it. Only its
/// Argon2id hash reaches the store.
struct EmployeeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employee", abstract: "Staff who sign in at the screens (role and PIN).",
        subcommands: [Add.self, Set.self, List.self, Unlock.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make someone an employee of a license (prints their contact id); asks for their PIN.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The person's name (a new contact of the license's company), unless --contact names an existing one.") var name: String?
        @Option(help: "License code, name or id.") var license: String
        @Option(help: "budtender, receiver, manager or admin.") var role: String
        @Option(help: "An existing contact (id or name) of the license's company.") var contact: String?
        func validate() throws {
            guard (name == nil) != (contact == nil) else { throw ValidationError("give the employee's name or --contact, not both or neither") }
        }
        func run() throws {
            let role = try StaffRole.named(role)
            let store = try options.openStore()
            let hash = try SecretInput.hashed(prompt: "PIN or password for the new employee")
            let employee = try store.addEmployee(name: name, contactKey: contact, licenseKey: license, role: role, secretHash: hash, actor: options.actor)
            options.json ? Output.json(EmployeeCommand.json(employee)) : print(employee.contactID)
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an employee's role, PIN or whether they may sign in (their screens are signed out).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The employee's contact id or name.") var employee: String
        @Option(help: "budtender, receiver, manager or admin.") var role: String?
        @Flag(name: .customLong("new-pin"), help: "Ask for a new PIN or password.") var newPIN = false
        @Flag(inversion: .prefixedNo, help: "Whether they may sign in.") var active: Bool?
        func run() throws {
            let role = try role.map(StaffRole.named)
            guard role != nil || newPIN || active != nil else {
                throw ValidationError("nothing to change; give --role, --new-pin, --active or --no-active")
            }
            let store = try options.openStore()
            let hash = newPIN ? try SecretInput.hashed(prompt: "New PIN or password") : nil
            let changed = try store.setEmployee(employee, role: role, secretHash: hash, active: active, actor: options.actor)
            options.json ? Output.json(EmployeeCommand.json(changed)) : print("\(changed.name): \(changed.role.rawValue), \(changed.active ? "active" : "inactive")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List employees.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Only this license's (code, name or id).") var license: String?
        func run() throws {
            let rows = try options.openStore(readOnly: true).employees(license: license)
            if options.json { return Output.json(rows.map(EmployeeCommand.json)) }
            Output.table(["ID", "NAME", "ROLE", "LICENSE", "ACTIVE"], rows.map { [$0.contactID, $0.name, $0.role.rawValue, $0.licenseID, $0.active ? "yes" : "no"] })
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unlock an employee locked by wrong PINs, on one device (its address) or all.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The employee's contact id or name.") var employee: String
        @Option(help: "Only this device (the screen's address).") var device: String?
        func run() throws {
            let cleared = try options.openStore().unlockEmployee(employee, device: device, actor: options.actor)
            options.json ? Output.json(["devices_cleared": cleared]) : print("unlocked \(employee) on \(cleared) device\(cleared == 1 ? "" : "s")")
        }
    }

    static func json(_ employee: Employee) -> [String: Any] {
        ["id": employee.contactID, "name": employee.name, "role": employee.role.rawValue, "license": employee.licenseID, "active": employee.active]
    }
}

/// A secret typed at the terminal (echo off, asked twice) or piped in (its first line), checked
/// for shape and hashed before anything is written.
enum SecretInput {
    static func hashed(prompt: String) throws -> String {
        let secret: String
        if isatty(STDIN_FILENO) == 1 {
            let first = try readHidden(prompt + ": ")
            let second = try readHidden("Again: ")
            guard first == second else { throw CommandFailure(.refused, "the two entries differ; nothing was changed") }
            secret = first
        } else {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure(.usage, "no PIN or password on standard input; expected one line")
            }
            secret = line
        }
        do { return try StaffSecret.hash(secret) } catch {
            throw CommandFailure(.refused, "the PIN or password is refused: \(error)")
        }
    }

    private static func readHidden(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure(.usage, "no PIN or password was typed") }
        return line
    }
}
