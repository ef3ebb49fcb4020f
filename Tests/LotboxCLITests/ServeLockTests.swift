import Foundation
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One daemon per store: a second `lotbox serve` would print every new lot's label again and
/// read the same scanners. It is refused in one line naming the first one's pid; a daemon that
/// was killed leaves nothing behind that stops the next.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeLockTests {
    @Test func aSecondServeOnTheSameStoreIsRefusedAndAKilledOneLeavesNoLock() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = cli.folder + "/lotbox.toml"
        try "store = \"\(cli.db)\"\ntemplates = \"\(ServeFaultTests.templates)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let lockFile = cli.db + ".serve.lock"

        let first = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { first.kill(SIGTERM) }
        #expect(Self.waitForHolder(first.process.processIdentifier, of: lockFile, seconds: 30), "\(first.output)")
        let mode = try FileManager.default.attributesOfItem(atPath: lockFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let second = try runProgram(CLITests.binary, ["serve", "--config", config], deadline: 30)
        #expect(second.status == 75, "\(second)")
        let lines = second.err.split(separator: "\n")
        #expect(lines.count == 1 && second.err.hasPrefix("lotbox: another lotbox serve (pid \(first.process.processIdentifier)) is serving \(cli.db)"),
                "\(second.err)")
        // A restore would pull the store from under it: refused too.
        let backup = cli.folder + "/copy.sqlite"
        #expect(try cli.lotbox("backup", backup).status == 0)
        let restore = try cli.lotbox("restore", backup)
        #expect(restore.status == 1 && restore.err.contains("lotbox serve (pid \(first.process.processIdentifier)) is using"), "\(restore.err)")

        // Killed outright, the first leaves the lock file but not the lock.
        first.kill(SIGKILL)
        let third = try ServeFaultTests.Daemon.start(cli, config: config)
        defer { third.kill(SIGTERM) }
        #expect(Self.waitForHolder(third.process.processIdentifier, of: lockFile, seconds: 30), "\(third.output)")
        #expect(third.process.isRunning, "\(third.output)")
    }

    /// Whether `pid` is written in the lock file within `seconds`.
    static func waitForHolder(_ pid: Int32, of path: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(pid)" {
                return true
            }
            usleep(50_000)
        }
        return false
    }
}
