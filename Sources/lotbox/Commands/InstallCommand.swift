import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LotboxCore

/// `lotbox install`: the first configuration of a box the Debian package set up. The package
/// owns the binary, the unit, the udev rules and the templates; what it cannot know is the
/// shop's time zone and where its store lives. This writes /etc/lotbox/lotbox.toml from the
/// packaged example with the zone filled in, readable by the daemon's group and nobody else,
/// and makes the store with `lotbox init` as the daemon's user. Run again, it keeps both.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Write a first configuration and store on a packaged box (run once, as root).",
        discussion: "Nothing is overwritten: an existing configuration or store is kept. Then edit the printers and scanners, run `lotbox config check` and `systemctl start lotbox`.")

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The shop's time zone, e.g. America/Los_Angeles.", valueName: "NAME"))
    var timeZone: String
    @Option(help: ArgumentHelp("The configuration file to write.", valueName: "PATH")) var config: String = "/etc/lotbox/lotbox.toml"
    @Option(help: ArgumentHelp("The example it starts from (default: the packaged one, else ./config/lotbox.toml.example).", valueName: "PATH"))
    var example: String?
    @Option(help: ArgumentHelp("The store the configuration names (default: the example's, /var/lib/lotbox/lotbox.sqlite).", valueName: "PATH"))
    var store: String?
    @Option(help: ArgumentHelp("The daemon's group, which may read the configuration.", valueName: "NAME")) var group: String = "lotbox"

    static let packagedExample = "/usr/share/doc/lotbox/examples/lotbox.toml.example"

    func run() throws {
        do { _ = try ShopTimeZone(timeZone) } catch { throw ValidationError("--time-zone: \(error)") }
        // As root the file is given to the daemon's group; without that group the daemon could not read it.
        if geteuid() == 0 && getgrnam(group) == nil {
            throw ValidationError("--group \(group) is not a group on this system; expected the daemon's (the lotbox package's postinst makes `lotbox`)")
        }
        var said: [String] = []
        let fm = FileManager.default
        let storePath: String
        if fm.fileExists(atPath: config) {
            storePath = try FirstConfig.store(in: config)
            said.append("kept \(config) (already there)")
        } else {
            let source = try exampleFile()
            guard let text = fm.contents(atPath: source).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw CommandFailure(.noInput, "cannot read the example configuration \(source)")
            }
            let first = try FirstConfig(example: text, timeZone: timeZone, store: store)
            try first.write(to: config, group: group)
            storePath = first.store
            said.append("wrote \(config) (time zone \(timeZone), store \(storePath))")
        }
        if fm.fileExists(atPath: storePath) {
            said.append("kept the store \(storePath)")
        } else {
            // As root, `init` acts as the store folder's owner (the daemon), so the store is its.
            let made = try runSelf(["init", "--db", storePath, "--time-zone", timeZone])
            guard made == 0 else { throw CommandFailure(.cannotCreate, "lotbox init --db \(storePath) failed (exit \(made)); the configuration \(config) is written") }
            said.append("made the store \(storePath)")
        }
        print(said.joined(separator: "\n"))
        print("next: add the printers and scanners to \(config), then `lotbox config check --config \(config)` and `systemctl start lotbox`")
    }

    private func exampleFile() throws -> String {
        if let example {
            guard FileManager.default.fileExists(atPath: example) else {
                throw CommandFailure(.noInput, "--example \(example) does not exist; expected lotbox's example configuration")
            }
            return example
        }
        for candidate in [Self.packagedExample, "config/lotbox.toml.example"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw CommandFailure(.noInput, "no example configuration at \(Self.packagedExample) or ./config/lotbox.toml.example; is the lotbox package installed? (or give --example PATH)")
    }

    private func runSelf(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ProcessArguments.all[0])
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
