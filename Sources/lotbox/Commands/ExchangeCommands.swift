import ArgumentParser
import Foundation
import LotboxScanning
import LotboxStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the store as OpenTHC JSON (all of it, or what changed since a cursor).")
    @OptionGroup var options: StoreOptions
    @Option(help: "Only objects changed after this change-feed cursor (meta.cursor of the last export).") var since: Int64?
    @Option(name: [.short, .long], help: "Write to this file instead of stdout.") var output: String?

    func run() throws {
        let data = try options.openStore(readOnly: true).exportDocument(since: since)
        guard let output else {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ValidationError("cannot write export file \(output): \(error.localizedDescription)")
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Read OpenTHC JSON into the store, all or nothing. Imported lots get no label.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The JSON file (- for stdin).") var file: String
    @Flag(help: "Take the file's content for objects already here that differ (lots excepted: their ledger is the truth).") var update = false

    func run() throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard FileManager.default.fileExists(atPath: file) else {
                throw CommandFailure(.noInput, "import file \(file) does not exist; expected an OpenTHC JSON file")
            }
            guard let contents = FileHandle(forReadingAtPath: file)?.readDataToEndOfFile() else {
                throw ValidationError("cannot read import file \(file); expected a readable OpenTHC JSON file")
            }
            data = contents
        }
        let summary = try options.openStore().importDocument(data, update: update, actor: options.actor)
        if options.json {
            return Output.json(["created": summary.created, "updated": summary.updated, "skipped_lots": summary.skippedLots,
                                "conflicts": summary.conflicts])
        }
        for conflict in summary.conflicts { Output.stderr("conflict: \(conflict)") }
        let created = summary.created.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        let updated = summary.updated.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        print("imported: \(created.isEmpty ? "nothing new" : created.joined(separator: ", "))"
              + (updated.isEmpty ? "" : "; updated: \(updated.joined(separator: ", "))")
              + (summary.skippedLots > 0 ? "; \(summary.skippedLots) lots already here, left as they are" : "")
              + (summary.conflicts.isEmpty ? "" : "; \(summary.conflicts.count) conflict(s) left unchanged (listed above)"))
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the store's content with a backup (the old content is kept as PATH.before-restore), and put back the key files beside it.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The backup file to restore.") var file: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw CommandFailure(.noInput, "backup file \(file) does not exist; expected a backup made by `lotbox backup`")
        }
        // A bad backup is refused before a missing store would be made for it.
        try LotStore.checkBackup(file)
        let target = try options.storePath()
        // A daemon on the store would go on from the backup's content: labels it printed since
        // would print again, and a sale it is taking would be lost. It is stopped first.
        let serving = ServeLock.heldBy(store: target)
        let daemon = ScannerStateFile.read(forStore: target).flatMap { $0.daemonRunning && $0.pid != getpid() ? $0.pid : nil }
        if serving.held || daemon != nil {
            let pid = (serving.pid ?? daemon).map { " (pid \($0))" } ?? ""
            throw CommandFailure(.refused, "lotbox serve\(pid) is using \(target); stop it first "
                                 + "(`sudo systemctl stop lotbox`), restore, then start it again")
        }
        let existed = FileManager.default.fileExists(atPath: target)
        // A store made for this restore gets its time zone from the backup: no reminder now.
        let store = try options.openStore(create: true, quietZone: !existed)
        let kept = try store.restore(from: file, keepPrevious: existed)
        // The key files the backup carries go back too; the customer key belongs beside this store.
        let keys = BackupKeyRestore.restore(beside: file, destinations: ["customer.key": CustomerKey.path(forStore: store.path)])
        if options.json {
            Output.json(["restored": file, "previous": kept ?? NSNull(), "keys_restored": keys.restored,
                         "keys_unchanged": keys.unchanged, "keys_not_restored": keys.problems])
        } else {
            print("restored \(file) into \(store.path)" + (kept.map { "; the previous content is in \($0)" } ?? " (a new store)"))
            for line in keys.restored { print("  key file \(line)") }
            for line in keys.unchanged { print("  key file \(line): already in place") }
        }
        guard keys.problems.isEmpty else {
            for line in keys.problems { Output.stderr("lotbox: key file \(line)") }
            throw CommandFailure(.refused, "the store was restored, but \(keys.problems.count) key file(s) were not (listed above)")
        }
    }
}
