import Foundation
import LotboxCore
import Synchronization
import LotboxTestSupport
import Testing

/// The store as the real binary opens it: made only by `init`, refused when it is not lotbox's
/// (with nothing written), read on a read-only disk, found by one rule, with one table of exit codes.
@Suite(.serialized, .timeLimit(.minutes(10))) struct StoreOpenCLITests {
    /// The bytes, modification time and neighbours of a file, to show a command wrote nothing.
    struct Snapshot: Equatable {
        var bytes: Data?
        var modified: Date?
        var neighbours: [String]

        init(_ path: String) {
            bytes = FileManager.default.contents(atPath: path)
            modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            neighbours = ((try? FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)) ?? []).sorted()
        }
    }

    func sqlite(_ database: String, _ sql: String) throws -> String {
        let result = try runProgram("/usr/bin/sqlite3", [database, sql])
        guard result.status == 0 else { throw DecoderError(message: "sqlite3 \(sql): \(result.err)") }
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stationConfig(_ cli: CLITests, store: String) throws -> String {
        let path = cli.folder + "/stations-\(UUID().uuidString).toml"
        try """
            store = "\(store)"
            templates = "\(ServeFaultTests.templates)"

            [[stations]]
            name = "dock"
            kind = "dock"
            license = "G-412345"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every store command but `init` and `restore`, as a user would type it.
    func storeCommands(_ cli: CLITests, config: String) -> [[String]] {
        let lot = "01JD0000000000000000000000"
        return [
            ["status"], ["lot", "list"], ["lot", "show", lot], ["export"], ["backup", cli.folder + "/never.sqlite"],
            ["label", "render", "--templates", ServeFaultTests.templates, "--template", "lot-2x1", "--lot", lot, "--format", "png", "-o", cli.folder + "/never.png"],
            ["queue", "list"], ["sale", "list"], ["sale", "show", lot], ["station", "status", "--config", config],
            ["station", "scan", "dock", lot, "--config", config], ["sale", "void", lot],
            ["lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g"],
            ["license", "add", "Other", "--code", "O-1", "--type", "grower"], ["product", "list"], ["product", "add", "X", "--type", "Flower/Dry"],
            ["import", cli.folder + "/doc.json"], ["print", lot, "--config", config],
        ]
    }

    @Test func everyCommandRefusesWhatIsNotALotboxStoreAndWritesNothing() throws {
        let cli = try CLITests()
        try "{}".write(toFile: cli.folder + "/doc.json", atomically: true, encoding: .utf8)
        try cli.setUp()
        let goodBackup = cli.folder + "/good-backup.sqlite"
        #expect(try cli.lotbox("backup", goodBackup).status == 0)
        var files: [(path: String, reason: String)] = []
        let empty = cli.folder + "/empty/store.sqlite"
        try FileManager.default.createDirectory(atPath: cli.folder + "/empty", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: empty))
        files.append((empty, "it is empty (0 bytes); make a store with `lotbox init`"))
        for (name, sql) in [("other", "CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('ann');"),
                            ("other-wal", "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);")] {
            try FileManager.default.createDirectory(atPath: cli.folder + "/" + name, withIntermediateDirectories: true)
            let path = cli.folder + "/\(name)/store.sqlite"
            _ = try sqlite(path, sql)
            files.append((path, "it is an SQLite database without lotbox's tables (another program's?)"))
        }
        for file in files {
            let config = try stationConfig(cli, store: file.path)
            let before = Snapshot(file.path)
            var commands = storeCommands(cli, config: config)
            // `init` and `restore` may make a store of an empty file, never of another program's.
            if file.path != empty { commands += [["init"], ["restore", goodBackup]] }
            for command in commands {
                let result = try cli.lotbox(command, environment: ["LOTBOX_DB": file.path])
                #expect(result.status == 65, "\(command) on \(file.path): \(result.status) \(result.err)")
                #expect(result.err == "lotbox: \(file.path) is not a lotbox store: \(file.reason)\n", "\(command)")
                #expect(Snapshot(file.path) == before, "\(command) changed \(file.path) or left a -wal/-shm beside it")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/never.sqlite"))
        // `init` is the one command that makes a store, of a missing or an empty file.
        let created = try cli.lotbox("init", environment: ["LOTBOX_DB": empty])
        #expect(created.status == 0, "\(created.err)")
        #expect(created.line == "created store at \(empty)")
        #expect(try sqlite(empty, "PRAGMA application_id") == "1280267330")
    }

    @Test func aMissingStoreIsRefusedAndNotCreated() throws {
        let cli = try CLITests()
        try "{}".write(toFile: cli.folder + "/doc.json", atomically: true, encoding: .utf8)
        let config = try stationConfig(cli, store: cli.db)
        for command in storeCommands(cli, config: config) {
            let result = try cli.lotbox(command)
            #expect(result.status == 66, "\(command): \(result.status) \(result.err)")
            #expect(result.err == "lotbox: no lot store at \(cli.db); create one with `lotbox init` or pick another with --db / LOTBOX_DB\n", "\(command)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).sorted() == ["doc.json", (config as NSString).lastPathComponent].sorted(), "\(command)")
        }
        // `restore` makes a store only for a good backup.
        let badBackup = try cli.lotbox(["restore", cli.folder + "/doc.json"])
        #expect(badBackup.status == 65, "\(badBackup.err)")
        #expect(badBackup.err == "lotbox: \(cli.folder)/doc.json is not a lotbox store: not an SQLite database\n")
        let noBackup = try cli.lotbox(["restore", cli.folder + "/absent.sqlite"])
        #expect(noBackup.status == 66, "\(noBackup.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        // The daemon does not make one either: a mistyped `store` is said at once.
        // It is a configuration serve refuses to start with (78: systemd does not restart on it).
        let serve = try cli.lotbox(["serve", "--config", config])
        #expect(serve.status == 78, "\(serve.err)")
        #expect(serve.err.split(separator: "\n").contains { $0.hasPrefix("lotbox: config \(config) store \(cli.db): no lot store at \(cli.db)") }, "\(serve.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func aStoreFromANewerLotboxIsRefusedUntouched() throws {
        let cli = try CLITests()
        try cli.setUp()
        _ = try sqlite(cli.db, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let before = Snapshot(cli.db)
        for command in [["status"], ["lot", "list"], ["license", "add", "Other", "--code", "O-1", "--type", "grower"], ["init"]] {
            let result = try cli.lotbox(command)
            #expect(result.status == 65, "\(command): \(result.err)")
            #expect(result.err == "lotbox: the store at \(cli.db) was written by a newer lotbox; upgrade lotbox to use it\n")
            #expect(Snapshot(cli.db) == before, "\(command)")
        }
    }

    /// The SD card went read-only while the last lot was still in the WAL: every reading command
    /// works from it, and the backup taken from it has that lot.
    @Test func readingCommandsWorkOnAReadOnlyDiskWithTheLastTransactionInTheWAL() throws {
        let cli = try CLITests()
        let mount = try TmpfsMount(sizeKB: 16_384)
        defer { mount.unmount() }
        let db = mount.path + "/lotbox.sqlite"
        let env = ["LOTBOX_DB": db]
        #expect(try cli.lotbox("init", environment: env).status == 0)
        #expect(try cli.lotbox("license", "add", "Green Acres", "--code", "G-412345", "--type", "grower", environment: env).status == 0)
        #expect(try cli.lotbox("product", "add", "Flower", "--type", "Flower/Dry", environment: env).status == 0)
        let first = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", environment: env).line
        // Another connection stays open (as the daemon's would when the power went), so the last
        // `lotbox` to close cannot checkpoint the WAL into the main file; then it dies.
        let ready = cli.folder + "/holder-ready"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, time
            c = sqlite3.connect('\(db)')
            c.execute('SELECT count(*) FROM inventory').fetchall()
            open('\(ready)', 'w').close()
            time.sleep(60)
            """]
        try spawnLock.withLock { try holder.run() }
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        try VirtualLabelPrinter.wait("the holding connection", seconds: 20) { FileManager.default.fileExists(atPath: ready) }
        let last = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "2.5 g", environment: env).line
        #expect(ULID.isValid(last))
        kill(holder.processIdentifier, SIGKILL)
        try VirtualLabelPrinter.wait("the holder to die", seconds: 10) { !holder.isRunning }
        mount.remount(readOnly: true)
        #expect(!FileManager.default.isWritableFile(atPath: mount.path), "the tmpfs did not go read-only")
        #expect(FileManager.default.fileExists(atPath: db + "-wal") && FileManager.default.fileExists(atPath: db + "-shm"))
        #expect(try sqlite("file:\(db)?immutable=1", "SELECT count(*) FROM inventory WHERE id = '\(last)'") == "0",
                "the last lot is already in the main file: the test would not show the WAL is read")

        let out = try TemporaryFolder.make()
        let config = try stationConfig(cli, store: db)
        let reads: [[String]] = [
            ["status"], ["lot", "list"], ["lot", "show", last], ["export"], ["backup", out + "/backup.sqlite"],
            ["label", "render", "--templates", ServeFaultTests.templates, "--template", "lot-2x1", "--lot", last, "--format", "png", "-o", out + "/label.png"],
            ["queue", "list"], ["sale", "list"], ["station", "status", "--config", config],
        ]
        for command in reads {
            let result = try cli.lotbox(command, environment: env)
            #expect(result.status == 0, "\(command) on a read-only disk: \(result.err)")
        }
        #expect(try cli.lotbox("lot", "list", environment: env).out.contains(last))
        #expect(try cli.lotbox("export", environment: env).out.contains(last))
        let shown = try cli.json(try cli.lotbox("lot", "show", last, "--json", "--db", out + "/backup.sqlite"))
        #expect(shown["qty"] as? String == "2.5000", "\(shown)")
        #expect(try cli.lotbox("lot", "show", first, "--db", out + "/backup.sqlite").status == 0)
        #expect(try RealDecoder.zxing(out + "/label.png").map(\.text).contains(last))
        let write = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g", environment: env)
        #expect(write.status == 74, "\(write.err)")
        #expect(write.err == "lotbox: the store at \(db) is read-only (file or folder permissions, or a read-only disk); nothing was written\n")
    }

    @Test func oneRuleFindsTheStore() throws {
        let cli = try CLITests()
        try cli.setUp()
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g").line
        let nowhere = cli.folder + "/nowhere.sqlite"
        let configured = try stationConfig(cli, store: cli.db)
        let misconfigured = try stationConfig(cli, store: nowhere)
        func lots(_ arguments: [String], _ environment: [String: String]) throws -> CLITests.Result {
            try cli.runProgram(CLITests.binary, ["lot", "list"] + arguments, environment: environment)
        }
        // --db, over LOTBOX_DB and the config.
        let byFlag = try lots(["--db", cli.db, "--config", misconfigured], ["LOTBOX_DB": nowhere, "LOTBOX_CONFIG": misconfigured])
        #expect(byFlag.status == 0 && byFlag.out.contains(lot), "\(byFlag.err)")
        // LOTBOX_DB, over the config.
        let byEnvironment = try lots(["--config", misconfigured], ["LOTBOX_DB": cli.db])
        #expect(byEnvironment.status == 0 && byEnvironment.out.contains(lot), "\(byEnvironment.err)")
        // The config's store: from --config, over LOTBOX_CONFIG.
        let byConfigFlag = try lots(["--config", configured], ["LOTBOX_CONFIG": misconfigured])
        #expect(byConfigFlag.status == 0 && byConfigFlag.out.contains(lot), "\(byConfigFlag.err)")
        let configFirst = try cli.runProgram(CLITests.binary, ["--config", configured, "lot", "list"])
        #expect(configFirst.status == 0 && configFirst.out.contains(lot), "\(configFirst.err)")
        let byConfigEnvironment = try lots([], ["LOTBOX_CONFIG": configured])
        #expect(byConfigEnvironment.status == 0 && byConfigEnvironment.out.contains(lot), "\(byConfigEnvironment.err)")
        let missing = try lots([], ["LOTBOX_CONFIG": misconfigured])
        #expect(missing.status == 66 && missing.err.contains("no lot store at \(nowhere)"), "\(missing.err)")
        // A named config that cannot be read is a configuration error.
        let unreadable = try lots([], ["LOTBOX_CONFIG": cli.folder + "/absent.toml"])
        #expect(unreadable.status == 78, "\(unreadable.err)")
        #expect(unreadable.err == "lotbox: config \(cli.folder)/absent.toml cannot be read\n")

        // Station and sale commands follow the same rule, --db included.
        let status = try cli.runProgram(CLITests.binary, ["station", "status", "--config", misconfigured, "--db", cli.db, "--json"])
        #expect(status.status == 0, "\(status.err)")
        let withoutDB = try cli.runProgram(CLITests.binary, ["station", "status", "--config", misconfigured])
        #expect(withoutDB.status == 66 && withoutDB.err.contains(nowhere), "\(withoutDB.err)")
        let scan = try cli.runProgram(CLITests.binary, ["station", "scan", "dock", "01JD0000000000000000000000", "--config", misconfigured, "--db", cli.db])
        #expect(scan.status == 2, "\(scan.err)")
        let recorded = try cli.runProgram(CLITests.binary, ["station", "watch", "--last", "1", "--count", "1", "--json", "--db", cli.db])
        #expect(recorded.out.contains("\"station\":\"dock\""), "\(recorded.out) \(recorded.err)")
        let commit = try cli.runProgram(CLITests.binary, ["sale", "commit", "dock", "--config", misconfigured, "--db", cli.db])
        #expect(commit.status == 64 && commit.err == "lotbox: station 'dock' is a dock, not a kiosk\n", "\(commit.err)")
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }

    /// Processes creating lots at once see each other's newer ULIDs a few milliseconds early:
    /// that is no clock fault. A mark 10 s ahead of the clock is.
    @Test func theClockWarningIgnoresParallelCreatesAndCatchesAClockSetBack() throws {
        let cli = try CLITests()
        try cli.setUp()
        for round in 0..<3 {
            let results = Mutex<[CLITests.Result]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                let result = try? cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "\(index + 1) g")
                results.withLock { $0.append(result ?? CLITests.Result(status: -1, out: "", err: "could not run")) }
            }
            let all = results.withLock { $0 }
            #expect(all.count == 8)
            #expect(all.nonEmptyAllSatisfy { $0.status == 0 }, "round \(round): \(all.map(\.err))")
            #expect(all.nonEmptyAllSatisfy { !$0.err.contains("wall clock") }, "round \(round): \(all.map(\.err))")
        }
        let ahead = ULID(milliseconds: ULIDGenerator.systemMilliseconds() + 10_000, randomHigh: 0, randomLow: 0).text
        _ = try sqlite(cli.db, "UPDATE lotbox_meta SET value = '\(ahead)' WHERE key = 'ulid_mark'")
        let created = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Flower", "--qty", "1 g")
        #expect(created.status == 0)
        #expect(created.line > ahead)
        #expect(created.err.split(separator: "\n").filter { $0.contains("wall clock is wrong") }.count == 1, "\(created.err)")
    }

    @Test func exitStatusesAreTheREADMEsTable() throws {
        let cli = try CLITests()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: root.appendingPathComponent("Sources/lotbox/ExitStatus.swift"), encoding: .utf8)
        let inSource = Set(source.split(separator: "\n").compactMap { line -> Int? in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard parts.count == 4, parts[0] == "case", parts[2] == "=" else { return nil }
            return Int(parts[3])
        })
        let inREADME = Set(readme.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("| `") else { return nil }
            return Int(line.dropFirst(3).prefix { $0 != "`" })
        })
        #expect(inSource.count >= 10)
        #expect(inSource.isSubset(of: inREADME), "README's exit table lacks \(inSource.subtracting(inREADME).sorted())")

        try cli.setUp()
        #expect(try cli.lotbox("lot", "list", "--bogus").status == 64)
        #expect(try cli.lotbox("lot", "show", "01JD0000000000000000000000").status == 1)
        #expect(try cli.lotbox("import", cli.folder + "/absent.json").status == 66)
        let noFolder = try cli.lotbox("init", environment: ["LOTBOX_DB": cli.folder + "/absent/store.sqlite"])
        #expect(noFolder.status == 73, "\(noFolder.err)")
        // Another program holds the write lock for longer than lotbox waits (10 s): try again later.
        let locked = cli.folder + "/locked"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, time
            c = sqlite3.connect('\(cli.db)', isolation_level=None)
            c.execute('BEGIN IMMEDIATE')
            open('\(locked)', 'w').close()
            time.sleep(30)
            """]
        try spawnLock.withLock { try holder.run() }
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        try VirtualLabelPrinter.wait("the write lock", seconds: 20) { FileManager.default.fileExists(atPath: locked) }
        let busy = try cli.lotbox("license", "add", "Other", "--code", "O-1", "--type", "grower")
        #expect(busy.status == 75, "\(busy.err)")
        #expect(busy.err.contains("is locked by another program"), "\(busy.err)")
    }
}

extension CLITests {
    @discardableResult
    func lotbox(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        var env = ["LOTBOX_DB": db, "LOTBOX_ACTOR": "tester"]
        for (key, value) in environment { env[key] = value }
        return try runProgram(CLITests.binary, arguments, environment: env)
    }
}
