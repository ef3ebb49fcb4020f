import ArgumentParser
import Foundation

/// `lotbox install`: sets the box up as an appliance: a system user and group, the state and
/// config folders, the templates, the udev rules and the systemd unit. Safe to run again: what
/// is already right is left alone, and a configuration someone edited is never overwritten.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Set up the appliance (idempotent; run as root).")
    @Option(help: "The lotbox source folder holding Templates/, systemd/, config/ and udev/.") var source: String = "."
    @Option(help: "Install under this folder instead of / (to stage an image, or to test).") var root: String = "/"
    @Flag(name: .customLong("no-user"), help: "Do not create the lotbox user and group.") var noUser = false
    @Option(help: "The daemon's user and group (the systemd unit runs as lotbox).") var user: String = "lotbox"
    @Flag(name: .customLong("no-systemctl"), help: "Do not reload systemd or udev.") var noSystemctl = false

    func run() throws {
        let fm = FileManager.default
        for needed in ["Templates", "systemd/lotbox.service", "config/lotbox.toml.example"] {
            guard fm.fileExists(atPath: (source as NSString).appendingPathComponent(needed)) else {
                throw ValidationError("--source \(source) has no \(needed); expected the lotbox source folder")
            }
        }
        var changes: [String] = []
        func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
        if !noUser {
            if (try? run("/usr/bin/getent", ["group", user])) != 0 {
                try check(run("/usr/sbin/groupadd", ["--system", user]), "groupadd \(user)")
                changes.append("group \(user)")
            }
            if (try? run("/usr/bin/getent", ["passwd", user])) != 0 {
                // lp for printers, if this system has it. Never input: that group reads every
                // keyboard on the box; the udev rules give lotbox its scanners and nothing else.
                let groups = ["lp"].filter { (try? run("/usr/bin/getent", ["group", $0])) == 0 }
                try check(run("/usr/sbin/useradd", ["--system", "--gid", user] + (groups.isEmpty ? [] : ["--groups", groups.joined(separator: ",")])
                                                   + ["--home-dir", "/var/lib/lotbox", "--no-create-home", "--shell", "/usr/sbin/nologin", user]), "useradd \(user)")
                changes.append("user \(user)")
            }
        }
        for folder in ["var/lib/lotbox", "etc/lotbox", "usr/share/lotbox/templates", "etc/systemd/system", "etc/udev/rules.d", "usr/local/bin"] {
            if !fm.fileExists(atPath: path(folder)) {
                try fm.createDirectory(atPath: path(folder), withIntermediateDirectories: true)
                changes.append(folder)
            }
        }
        if !noUser {
            _ = try? run("/usr/bin/chown", ["\(user):\(user)", path("var/lib/lotbox")])
            chmod(path("var/lib/lotbox"), 0o750)
        }
        let templates = (source as NSString).appendingPathComponent("Templates")
        for file in try fm.contentsOfDirectory(atPath: templates) where file.hasSuffix(".yaml") {
            if try copyIfDifferent((templates as NSString).appendingPathComponent(file), to: path("usr/share/lotbox/templates/\(file)")) {
                changes.append("template \(file)")
            }
        }
        if try copyIfDifferent((source as NSString).appendingPathComponent("systemd/lotbox.service"), to: path("etc/systemd/system/lotbox.service")) {
            changes.append("systemd unit")
        }
        let udev = (source as NSString).appendingPathComponent("udev")
        for file in (try? fm.contentsOfDirectory(atPath: udev)) ?? [] where file.hasSuffix(".rules") {
            if try copyIfDifferent((udev as NSString).appendingPathComponent(file), to: path("etc/udev/rules.d/\(file)")) {
                changes.append("udev rule \(file)")
            }
        }
        // The configuration is the integrator's: written once, never overwritten.
        if !fm.fileExists(atPath: path("etc/lotbox/lotbox.toml")) {
            try fm.copyItem(atPath: (source as NSString).appendingPathComponent("config/lotbox.toml.example"), toPath: path("etc/lotbox/lotbox.toml"))
            changes.append("config /etc/lotbox/lotbox.toml")
        }
        let binary = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? (ProcessArguments.all.first ?? "lotbox")
        if binary != path("usr/local/bin/lotbox"), try copyIfDifferent(binary, to: path("usr/local/bin/lotbox")) {
            chmod(path("usr/local/bin/lotbox"), 0o755)
            changes.append("binary /usr/local/bin/lotbox")
        }
        if !noSystemctl && root == "/" && !changes.isEmpty {
            _ = try? run("/usr/bin/systemctl", ["daemon-reload"])
            _ = try? run("/usr/bin/udevadm", ["control", "--reload-rules"])
        }
        print(changes.isEmpty ? "already set up; nothing changed" : "set up: " + changes.joined(separator: ", "))
    }

    private func copyIfDifferent(_ from: String, to: String) throws -> Bool {
        let fm = FileManager.default
        guard let data = fm.contents(atPath: from) else { throw ValidationError("cannot read \(from)") }
        if fm.contents(atPath: to) == data { return false }
        let temporary = to + ".lotbox-new"
        guard fm.createFile(atPath: temporary, contents: data) else { throw ValidationError("cannot write \(to)") }
        guard rename(temporary, to) == 0 else { throw ValidationError("cannot move \(temporary) into place") }
        return true
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status == 0 else { throw ValidationError("\(what) failed with status \(status)") }
    }
}
