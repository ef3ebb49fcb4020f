import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `lotbox backup` with no file, as the nightly timer runs it: proven copies in the configured
/// folder, their key files beside them with their modes, the newest `keep` kept, and any of
/// them brought back by `lotbox restore`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BackupCLITests {
    let cli: CLITests
    let backups: String
    let config: String

    init() throws {
        cli = try CLITests()
        backups = cli.folder + "/backups"
        config = cli.folder + "/lotbox.toml"
    }

    /// A config naming the store, the backup folder and `extra` (an `[api]` table).
    func writeConfig(keep: Int, extra: String = "") throws {
        try "store = \"\(cli.db)\"\n\(extra)\n[backup]\nfolder = \"\(backups)\"\nkeep = \(keep)\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
    }

    func backup() throws -> [String: Any] {
        let result = try cli.lotbox("backup", "--config", config, "--json")
        #expect(result.status == 0, "\(result.err)")
        return try cli.json(result)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    func lotIDs() throws -> Set<String> {
        let list = try cli.lotbox("lot", "list", "--json")
        let lots = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        return Set(lots.compactMap { $0["id"] as? String })
    }

    /// The whole store as `lotbox export` writes it, without the export's own time.
    func exportedData() throws -> String {
        var object = try cli.json(try cli.lotbox("export"))
        var meta = try #require(object["meta"] as? [String: Any])
        #expect(meta.removeValue(forKey: "created_at") != nil)
        object["meta"] = meta
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func names(in folder: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    }

    @Test func fiveRunsWithKeepThreeLeaveTheNewestThreeAndRestoreBringsBackTheThirdNewestExactly() throws {
        try cli.setUp()
        try writeConfig(keep: 3)

        var runs: [(copy: String, lots: Set<String>, export: String)] = []
        for run in 1...5 {
            let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(run) g")
            #expect(lot.status == 0, "\(lot.err)")
            let report = try backup()
            let copy = try #require(report["backup"] as? String)
            #expect(report["verified"] as? Bool == true)
            runs.append((copy, try lotIDs(), try exportedData()))
            #expect((report["kept"] as? [String])?.count == min(run, 3))
            if run == 1 {
                // The first run made the folder; files in it that are not the backup's own are never touched.
                #expect(mode(backups) == 0o750)
                try "mine".write(toFile: backups + "/notes.txt", atomically: true, encoding: .utf8)
                try "mine".write(toFile: backups + "/lotbox-by-hand.sqlite", atomically: true, encoding: .utf8)
            }
        }
        #expect(Set(runs.map(\.copy)).count == 5)
        let copies = names(in: backups).filter { $0.hasSuffix(".sqlite") && $0.hasPrefix("lotbox-2") }
        #expect(copies == Set(runs.suffix(3).map { ($0.copy as NSString).lastPathComponent }))
        for run in runs.suffix(3) {
            #expect(FileManager.default.fileExists(atPath: run.copy + ".verified"))
            #expect(mode(run.copy) == 0o640)
        }
        for run in runs.prefix(2) {
            #expect(!FileManager.default.fileExists(atPath: run.copy))
            #expect(!FileManager.default.fileExists(atPath: run.copy + ".verified"))
            #expect(!FileManager.default.fileExists(atPath: String(run.copy.dropLast(7)) + ".keys"))
        }
        #expect(names(in: backups).isSuperset(of: ["notes.txt", "lotbox-by-hand.sqlite"]))

        // The third-newest kept copy is run 3's: restoring it brings back exactly that state.
        let third = runs[2]
        #expect(runs[4].lots.count == 5 && third.lots.count == 3)
        let restored = try cli.lotbox("restore", third.copy)
        #expect(restored.status == 0, "\(restored.err)")
        #expect(try lotIDs() == third.lots)
        #expect(try exportedData() == third.export)
    }

    /// A backup to a named file is 0640 whatever the umask: it holds the staff's PIN hashes.
    @Test func aBackupToAFileIsNotWorldReadable() throws {
        try cli.setUp()
        let old = umask(0o022)
        defer { umask(old) }
        let file = cli.folder + "/by-hand.sqlite"
        let result = try cli.lotbox("backup", file)
        #expect(result.status == 0, "\(result.err)")
        #expect(mode(file) == 0o640)
    }

    @Test func keyFilesAreCopiedBesideEachBackupWithTheirModes() throws {
        try cli.setUp()
        let apiKey = cli.folder + "/api.key"
        let certificate = cli.folder + "/api.crt"
        #expect(try cli.lotbox("api", "keygen", "--out", apiKey).status == 0)
        let cert = try cli.lotbox("api", "cert", "--out", certificate, "--host", "localhost")
        #expect(cert.status == 0, "\(cert.err)")
        try writeConfig(keep: 14, extra: """
            [api]
            listen = "127.0.0.1:8080"
            key = "\(apiKey)"
            tls_certificate = "\(certificate)"
            tls_key = "\(certificate).key"
            """)
        let report = try backup()
        let copy = try #require(report["backup"] as? String)
        #expect(Set(report["keys"] as? [String] ?? []) == ["api-server.key", "api-tls.crt", "api-tls.key", "customer.key"])
        let keys = String(copy.dropLast(".sqlite".count)) + ".keys"
        #expect(mode(keys) == 0o700)
        let sources = ["api-server.key": apiKey, "api-tls.crt": certificate, "api-tls.key": certificate + ".key",
                       "customer.key": cli.db + ".customer-key"]
        #expect(mode(apiKey) == 0o600 && mode(certificate) == 0o644)
        for (name, source) in sources {
            #expect(mode(keys + "/" + name) == mode(source), "\(name)")
            #expect(FileManager.default.contents(atPath: keys + "/" + name) == FileManager.default.contents(atPath: source), "\(name)")
        }
        // The marker names where each came from, for whoever restores the box.
        let marker = try #require(FileManager.default.contents(atPath: copy + ".verified"))
        let object = try #require(try JSONSerialization.jsonObject(with: marker) as? [String: Any])
        #expect((object["keys"] as? [String: String])?["api-server.key"] == apiKey)
        #expect(object["integrity_check"] as? String == "ok")
    }

    /// A box rebuilt from its backup: the store and its key files come back, the customer key
    /// beside the new store, a freshly made API key kept aside rather than lost.
    @Test func restoreOnARebuiltBoxPutsTheKeyFilesBack() throws {
        try cli.setUp()
        let apiKey = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", apiKey).status == 0)
        try writeConfig(keep: 3, extra: "[api]\nlisten = \"127.0.0.1:8080\"\nkey = \"\(apiKey)\"")
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2 g").line
        let copy = try #require(try backup()["backup"] as? String)
        let oldAPIKey = try #require(FileManager.default.contents(atPath: apiKey))
        let customerKey = try #require(FileManager.default.contents(atPath: cli.db + ".customer-key"))

        // The new box: another store folder, and `api keygen` run again during its set-up.
        let newStore = cli.folder + "/rebuilt/lotbox.db"
        #expect(mkdir(cli.folder + "/rebuilt", 0o750) == 0)
        #expect(unlink(apiKey) == 0)
        #expect(try cli.lotbox("api", "keygen", "--out", apiKey).status == 0)
        let newAPIKey = try #require(FileManager.default.contents(atPath: apiKey))
        #expect(newAPIKey != oldAPIKey)

        let restored = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(restored.status == 0, "\(restored.err)")
        // A store made for the restore: nothing was replaced, and its time zone is the backup's.
        #expect(restored.out.contains("into \(newStore) (a new store)") && !restored.err.contains("time zone"), "\(restored.out) \(restored.err)")
        #expect(!FileManager.default.fileExists(atPath: newStore + ".before-restore"))
        #expect(restored.out.contains("key file customer.key -> \(newStore).customer-key"), "\(restored.out)")
        #expect(restored.out.contains("key file api-server.key -> \(apiKey) (the one there is kept as \(apiKey).before-restore)"), "\(restored.out)")
        #expect(FileManager.default.contents(atPath: newStore + ".customer-key") == customerKey)
        #expect(FileManager.default.contents(atPath: apiKey) == oldAPIKey)
        #expect(FileManager.default.contents(atPath: apiKey + ".before-restore") == newAPIKey)
        #expect(mode(newStore + ".customer-key") == 0o600 && mode(apiKey) == 0o600)
        let lots = try cli.lotbox("lot", "list", "--json", "--db", newStore)
        #expect(lots.status == 0 && lots.out.contains(lot), "\(lots.err)")

        // Not under a running daemon (its state file names a live pid: this test's own): refused, nothing replaced.
        let stateFile = cli.folder + "/rebuilt/lotbox.scanners.json"
        try #"{"pid": \#(getpid()), "scanners": []}"#.write(toFile: stateFile, atomically: true, encoding: .utf8)
        let underDaemon = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(underDaemon.status == 1 && underDaemon.err.contains("lotbox serve (pid \(getpid())) is using \(newStore); stop it first"),
                "\(underDaemon.err)")
        #expect(!FileManager.default.fileExists(atPath: newStore + ".before-restore"))
        #expect(unlink(stateFile) == 0)

        // Again: everything is already in place, and nothing is moved aside twice. The replaced
        // store is kept, and a third restore keeps the second's copy too (0640 both).
        let again = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(again.status == 0 && again.out.contains("api-server.key -> \(apiKey): already in place"), "\(again.out) \(again.err)")
        #expect(FileManager.default.contents(atPath: apiKey + ".before-restore") == newAPIKey)
        #expect(again.out.contains("the previous content is in \(newStore).before-restore\n"), "\(again.out)")
        let second = try #require(FileManager.default.contents(atPath: newStore + ".before-restore"))
        let third = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(third.status == 0 && third.out.contains("the previous content is in \(newStore).before-restore-2"), "\(third.out)")
        #expect(FileManager.default.contents(atPath: newStore + ".before-restore") == second)
        let asides = names(in: cli.folder + "/rebuilt").filter { $0.hasPrefix("lotbox.db.before-restore") }
        #expect(asides.count == 2 && asides.nonEmptyAllSatisfy { mode(cli.folder + "/rebuilt/" + $0) == 0o640 }, "\(asides)")

        // A backup moved without its .keys folder: each key its marker lists is a line, exit 1.
        let keysFolder = String(copy.dropLast(".sqlite".count)) + ".keys"
        #expect(rename(keysFolder, keysFolder + ".elsewhere") == 0)
        let bare = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(bare.status == 1, "\(bare.out)")
        #expect(bare.err.contains("customer.key: the backup had it, but \(keysFolder)/customer.key is missing"), "\(bare.err)")
        #expect(bare.err.contains("api-server.key: the backup had it"), "\(bare.err)")
        #expect(rename(keysFolder + ".elsewhere", keysFolder) == 0)

        // A backup whose marker is gone cannot say where the API key goes: the store and the
        // customer key are restored, the rest is one line each, and the exit says so.
        #expect(unlink(copy + ".verified") == 0)
        #expect(unlink(apiKey) == 0)
        let unmarked = try cli.lotbox("restore", copy, "--db", newStore)
        #expect(unmarked.status == 1, "\(unmarked.out)")
        let lines = unmarked.err.split(separator: "\n").filter { !$0.contains("time zone") }
        #expect(lines.count == 2 && lines.first?.contains("api-server.key: the backup's marker") == true
                && lines.first?.contains("copy \(String(copy.dropLast(7))).keys/api-server.key by hand") == true, "\(unmarked.err)")
        #expect(!FileManager.default.fileExists(atPath: apiKey))
    }

    @Test func aKeyFileThatCannotBeReadIsAWarningAndTheCopyStillCounts() throws {
        try cli.setUp()
        try writeConfig(keep: 14, extra: "[api]\nkey = \"\(cli.folder)/no-such.key\"")
        let result = try cli.lotbox("backup", "--config", config)
        #expect(result.status == 0, "\(result.err)")
        let warnings = result.err.split(separator: "\n").filter { $0.contains("key file not backed up") }
        #expect(warnings.count == 1, "\(result.err)")
        #expect(warnings.first?.contains("api-server.key (\(cli.folder)/no-such.key)") == true)
        #expect(names(in: backups).filter { $0.hasSuffix(".sqlite.verified") }.count == 1)
    }

    @Test func aCopyThatFailsItsIntegrityCheckIsRemovedAndTheRunFails() throws {
        try cli.setUp()
        try writeConfig(keep: 3)
        let good = try #require(try backup()["backup"] as? String)
        // Damage one index page of the store itself: the online backup copies it as it is.
        let sqlite3 = "/usr/bin/sqlite3"
        #expect(try cli.runProgram(sqlite3, [cli.db, "PRAGMA wal_checkpoint(TRUNCATE)"]).status == 0)
        let root = try cli.runProgram(sqlite3, [cli.db, "SELECT rootpage FROM sqlite_master WHERE name = 'vehicle_license_name'"])
        let page = try #require(Int(root.line))
        let handle = try #require(FileHandle(forWritingAtPath: cli.db))
        try handle.seek(toOffset: UInt64((page - 1) * 4096))
        try handle.write(contentsOf: Data(repeating: 0, count: 4096))
        try handle.close()

        let before = names(in: backups)
        let failed = try cli.lotbox("backup", "--config", config)
        #expect(failed.status == 74)
        let lines = failed.err.split(separator: "\n").filter { !$0.contains("time zone") }
        #expect(lines.count == 1, "\(failed.err)")
        #expect(failed.err.contains("failed its check (integrity check failed: Page \(page)"), "\(failed.err)")
        #expect(failed.err.contains("was removed"))
        #expect(failed.out.isEmpty)
        // Nothing new but the failure note; the good copy stays the last good one.
        #expect(names(in: backups).subtracting(before) == ["lotbox-backup-failed.json"])
        #expect(FileManager.default.fileExists(atPath: good + ".verified"))
    }

    @Test(arguments: [
        ("keep = 0", "backup.keep 0 is not between 1 and 365"),
        ("keep = 366", "backup.keep 366 is not between 1 and 365"),
        ("folder = \"backups\"", "backup.folder 'backups' is not an absolute folder path"),
        ("kept = 3", "backup.kept is not a known key"),
    ])
    func aBadBackupSettingIsOneLineAndNothingIsWritten(setting: String, expected: String) throws {
        try cli.setUp()
        try "store = \"\(cli.db)\"\n[backup]\nfolder = \"\(backups)\"\n\(setting)\n".replacingOccurrences(of: "folder = \"\(backups)\"\nfolder", with: "folder")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try cli.lotbox("backup", "--config", config)
        #expect(result.status == 78)
        #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
        #expect(result.err.contains(expected), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: backups))
    }

    @Test func aSecondRunWhileOneIsWritingIsRefusedAndLeavesNothing() throws {
        try cli.setUp()
        try writeConfig(keep: 3)
        #expect(try backup()["backup"] is String)
        let before = names(in: backups)
        // Another run holds the folder's lock (as a slow nightly run would).
        let lock = open(backups + "/.lotbox-backup.lock", O_RDWR | O_CLOEXEC)
        try #require(lock >= 0)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let second = try cli.lotbox("backup", "--config", config)
        #expect(second.status == 1)
        let lines = second.err.split(separator: "\n").filter { !$0.contains("time zone") }
        #expect(lines.count == 1 && lines.first?.contains("another `lotbox backup` is writing into \(backups)") == true, "\(second.err)")
        // Not a failed run either: the run in hand decides how the night went.
        #expect(names(in: backups) == before, "\(names(in: backups))")
    }
}
