import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// State files belong to the daemon: a root CLI on the daemon's store acts as the store's
/// owner, so it never leaves root-owned files that lock the daemon out. A real system user
/// stands in for `lotbox` (the tests run as root); its processes run through setpriv.
@Suite(.serialized, .timeLimit(.minutes(5))) struct OwnershipCLITests {
    struct SystemUser {
        let name: String
        let uid: uid_t
        let gid: gid_t

        static func make() throws -> SystemUser {
            let name = "lbx" + String(UUID().uuidString.prefix(8)).lowercased()
            let made = try runProgram("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name], deadline: 30)
            guard made.status == 0, let entry = getpwnam(name) else { throw DecoderError(message: "useradd \(name): \(made.err)") }
            return SystemUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
        }

        func remove() { _ = try? runProgram("/usr/sbin/userdel", [name], deadline: 30) }

        /// Runs the lotbox binary as this user, as the daemon would.
        func lotbox(_ cli: CLITests, db: String, _ arguments: String...) throws -> CLITests.Result {
            try cli.runProgram("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", CLITests.binary] + arguments,
                               environment: ["LOTBOX_DB": db, "LOTBOX_ACTOR": "daemon"])
        }
    }

    func owner(_ path: String) -> (uid: uid_t, gid: gid_t, mode: mode_t)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid, info.st_mode & 0o777)
    }

    @Test func aRootCLINeverLocksTheDaemonOutOfItsStore() throws {
        let user = try SystemUser.make()
        defer { user.remove() }
        let cli = try CLITests()
        // The daemon's state folder, as systemd's StateDirectory makes it: under a folder the
        // daemon's user can pass through (/var/lib is 0755; a checkout under `mktemp -d` is 0700).
        let base = "/tmp/lotbox-ownership-" + UUID().uuidString
        #expect(mkdir(base, 0o755) == 0 && chmod(base, 0o755) == 0)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let state = base + "/state"
        #expect(mkdir(state, 0o750) == 0 && chown(state, user.uid, user.gid) == 0)
        let db = state + "/lotbox.sqlite"
        let asRoot = ["LOTBOX_DB": db]

        // Root makes the store: it is made as the folder's owner, mode 0660.
        let made = try cli.lotbox("init", environment: asRoot)
        #expect(made.status == 0, "\(made.err)")
        let store = try #require(owner(db))
        #expect(store.uid == user.uid && store.gid == user.gid && store.mode == 0o660, "\(store)")

        // Root writes while the store is open elsewhere and is killed mid-way (the WAL and SHM
        // it made stay behind): they belong to the store's owner, never to root.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: CLITests.binary)
        holder.arguments = ["scan", "--stdin", "--record", "--station", "root-cli"]
        holder.environment = ProcessInfo.processInfo.environment.merging(asRoot) { $1 }
        let input = Pipe()
        let printed = cli.folder + "/holder.out"
        FileManager.default.createFile(atPath: printed, contents: nil)
        holder.standardInput = input
        holder.standardOutput = FileHandle(forWritingAtPath: printed)
        holder.standardError = FileHandle.nullDevice
        try spawnLock.withLock { try holder.run() }
        input.fileHandleForWriting.write(Data("LOTBOX:CANCEL\n".utf8))
        // Its one line is printed once the scan is in the log.
        let deadline = Date().addingTimeInterval(20)
        while (FileManager.default.contents(atPath: printed)?.isEmpty ?? true) && Date() < deadline { usleep(50_000) }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(FileManager.default.contents(atPath: printed)?.isEmpty == false, "the root CLI never recorded its scan")
        let leftovers = [db + "-wal", db + "-shm"].compactMap { path in owner(path).map { (path, $0) } }
        #expect(leftovers.count == 2, "the killed CLI left no WAL and SHM to check")
        for (path, file) in leftovers {
            #expect(file.uid == user.uid && file.gid == user.gid, "\(path) is owned by \(file.uid):\(file.gid)")
            #expect(file.mode == 0o660, "\(path) mode \(String(file.mode, radix: 8))")
        }

        // A root CLI write, then the daemon's user still writes.
        #expect(try cli.lotbox("license", "add", "Corner Shop", "--code", "R-1", "--type", "retail", environment: asRoot).status == 0)
        let daemonWrite = try user.lotbox(cli, db: db, "section", "add", "Vault")
        #expect(daemonWrite.status == 0, "\(daemonWrite.err)")
        let listed = try user.lotbox(cli, db: db, "license", "list", "--json")
        #expect(listed.status == 0 && listed.out.contains("R-1"), "\(listed.err)")
        for path in [db, db + "-wal", db + "-shm"] {
            if let file = owner(path) { #expect(file.uid == user.uid, "\(path) is owned by uid \(file.uid)") }
        }
    }
}
