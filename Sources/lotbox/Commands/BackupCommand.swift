import ArgumentParser
import Foundation
import LotboxConfig
import LotboxStore

/// `lotbox backup`: a consistent copy of the live store. With a file, exactly that file; with
/// none (the nightly timer's form), a proven copy in the configured folder with its key files,
/// keeping the newest `[backup] keep`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent copy of the live store (with no FILE: a checked copy in the backup folder).",
        discussion: """
            With no FILE, writes lotbox-<UTC time>.sqlite into the config's [backup] folder (default \(BackupConfig.defaultFolder)), \
            checks it with PRAGMA integrity_check (a copy that fails is removed and the command fails), copies the key files the \
            store does not hold beside it (modes kept), and keeps the newest [backup] keep good copies (default \(BackupConfig.defaultKeep)).
            """)
    @OptionGroup var options: StoreOptions
    @Argument(help: "The backup file to write (default: a new copy in the configured backup folder).") var file: String?
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() throws {
        guard let file else { return try intoFolder() }
        let store = try options.openStore(readOnly: true)
        try store.backup(to: file, overwrite: force)
        options.json ? Output.json(["backup": file]) : print("backed up \(store.path) to \(file)")
    }

    private func intoFolder() throws {
        guard !force else { throw ValidationError("--force is for a named FILE; copies in the backup folder always have new names") }
        let storePath = try options.storePath()
        let settings = try Self.settings(config: options.config)
        let folder = BackupFolder(settings?.backup.folder ?? BackupConfig.defaultFolder)
        try folder.prepare(forStore: storePath)
        let store = try options.openStore(readOnly: true)
        let keys = settings?.backupKeyFiles ?? ServeConfig.storeKeyFiles(store: store.path)
        let report = try folder.take(from: store, keyFiles: keys, keep: settings?.backup.keep ?? BackupConfig.defaultKeep)
        for missing in report.copy.missingKeys { Output.stderr("warning: key file not backed up: \(missing)") }
        if options.json {
            return Output.json(["backup": report.copy.path, "verified": true, "keys": report.keys,
                                "keys_missing": report.copy.missingKeys, "removed": report.removed, "kept": report.kept.map(\.path)])
        }
        print("backed up \(store.path) to \(report.copy.path) (integrity check ok"
              + (report.keys.isEmpty ? "" : "; keys: \(report.keys.joined(separator: ", "))")
              + "; \(report.kept.count) good \(report.kept.count == 1 ? "copy" : "copies") kept"
              + (report.removed.isEmpty ? "" : ", \(report.removed.count) old file(s) removed") + ")")
    }

    /// The configuration, when there is one: the file named (`--config`, `LOTBOX_CONFIG`) must
    /// load; the default one may be absent (then the defaults apply).
    static func settings(config: String?) throws -> ServeConfig? {
        let path = StoreRule.configPath(config)
        let named = config != nil || !(ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "").isEmpty
        guard named || FileManager.default.fileExists(atPath: path) else { return nil }
        return try ServeConfig.load(path)
    }
}
