import Foundation
import LotboxTestSupport
import Testing

/// The Debian package, built by script/package from a release build and installed the way an
/// integrator installs it: into a minimal Debian root made now from this machine's mirror, with
/// `dpkg -i` and `apt-get -f install`. Then, inside that root: the version, a first configuration
/// and store, a lot and its label (the packaged templates and fonts), an upgrade that backs the
/// store up first, and a purge that keeps the shop's records. One test: the root is made once.
@Suite(.serialized, .timeLimit(.minutes(40))) struct PackageInstallTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let rootTool = source + "/Tests/Support/debian-root.sh"

    @Test func thePackageInstallsRunsUpgradesAndPurgesInAMinimalDebian() async throws {
        let folder = try TemporaryFolder.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // The package, linted: no errors, and every warning left is listed (with why) in the docs.
        let built = try await offPool { try runProgram("/bin/bash", [Self.source + "/script/package", "--out", folder + "/out", "--lint"], deadline: 35 * 60) }
        #expect(built.status == 0, "script/package failed:\n\(built.err.suffix(4000))")
        let deb = built.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("_amd64.deb") && FileManager.default.fileExists(atPath: deb), "\(built.out)")
        let lint = built.err.split(separator: "\n").filter { $0.hasPrefix("E: ") || $0.hasPrefix("W: ") }
        #expect(!lint.contains { $0.hasPrefix("E: ") }, "lintian errors: \(lint)")
        let packagingDoc = try String(contentsOfFile: Self.source + "/docs/packaging.md", encoding: .utf8)
        for warning in lint where warning.hasPrefix("W: ") {
            let tag = warning.split(separator: " ").dropFirst(2).first.map(String.init) ?? String(warning)
            #expect(packagingDoc.contains("`\(tag)`"), "lintian warning \(tag) is not explained in docs/packaging.md")
        }

        // What the package holds, and where (nothing under /usr/local, the example not in /etc).
        let contents = try runProgram("/usr/bin/dpkg-deb", ["--contents", deb], deadline: 60).out
        for path in ["./usr/bin/lotbox", "./usr/share/lotbox/templates/lot-4x2.yaml", "./usr/share/lotbox/pages/signin.mustache",
                     "./usr/share/lotbox/pages/lotbox.js", "./usr/share/lotbox/pages/lotbox.css", "./lib/udev/rules.d/70-lotbox-scanners.rules",
                     "./lib/systemd/system/lotbox.service", "./lib/systemd/system/lotbox-backup.timer", "./lib/systemd/system/lotbox-backup.service",
                     "./usr/share/doc/lotbox/examples/lotbox.toml.example", "./usr/share/doc/lotbox/copyright",
                     "./usr/share/doc/lotbox/changelog.gz", "./usr/share/man/man1/lotbox.1.gz"] {
            #expect(contents.contains(" \(path)\n"), "the package has no \(path)")
        }
        #expect(!contents.contains("./usr/local") && !contents.contains("./etc/"), "\(contents)")
        let depends = try runProgram("/usr/bin/dpkg-deb", ["--field", deb, "Depends"], deadline: 60).out
        for needed in ["libc6", "xkb-data", "fonts-dejavu-core", "ca-certificates", "adduser"] {
            #expect(depends.contains(needed), "Depends lacks \(needed): \(depends)")
        }
        #expect(!depends.contains("libswift"), "the Swift runtime must be linked in: \(depends)")

        // A minimal Debian root of this machine's release, from its mirror.
        let base = (ProcessInfo.processInfo.environment["TMPDIR"] ?? NSTemporaryDirectory()) + "/debian-minbase.tar"
        let made = try await offPool { try runProgram("/bin/bash", [Self.rootTool, "base", base], deadline: 15 * 60) }
        #expect(made.status == 0, "the Debian root could not be made: \(made.err.suffix(3000))")
        let root = folder + "/root"
        let unpacked = try runProgram("/bin/bash", [Self.rootTool, "unpack", base, root], deadline: 300)
        #expect(unpacked.status == 0, "\(unpacked.err)")
        func inRoot(_ command: String, deadline: TimeInterval = 300) async throws -> (status: Int32, out: String, err: String) {
            try await offPool { try runProgram("/bin/bash", [Self.rootTool, "run", root, "/bin/sh", "-c", command], deadline: deadline) }
        }

        // A box set up by round 1's `lotbox install`: its unit copy in /etc must not hide the
        // package's. And an `input` group (udev makes it on a real box) the daemon must not join.
        try FileManager.default.createDirectory(atPath: root + "/etc/systemd/system", withIntermediateDirectories: true)
        try "# Installed by `lotbox install`; logs go to the journal\n[Service]\nExecStart=/usr/local/bin/lotbox serve\n"
            .write(toFile: root + "/etc/systemd/system/lotbox.service", atomically: true, encoding: .utf8)
        #expect(try await inRoot("groupadd --system input").status == 0)

        try FileManager.default.copyItem(atPath: deb, toPath: root + "/tmp/lotbox.deb")
        let dpkg = try await inRoot("dpkg -i /tmp/lotbox.deb")
        // Its dependencies are not in a minimal root: dpkg leaves it unconfigured, apt completes it.
        #expect(dpkg.status != 0 || dpkg.out.contains("Setting up lotbox"), "\(dpkg.out)\(dpkg.err)")
        let apt = try await inRoot("apt-get update -qq && apt-get -f install -y -qq", deadline: 15 * 60)
        #expect(apt.status == 0, "apt-get -f install failed: \(apt.out.suffix(2000))\(apt.err.suffix(2000))")
        let state = try await inRoot("dpkg-query -W -f='${Status} ${Version}' lotbox")
        #expect(state.out.hasPrefix("install ok installed"), "\(state.out)\(state.err)")

        let version = try await inRoot("lotbox --version")
        #expect(version.status == 0 && state.out.hasSuffix(version.out.trimmingCharacters(in: .whitespacesAndNewlines)), "\(version)")
        let user = try await inRoot("id -nG lotbox; stat -c '%a %U:%G' /var/lib/lotbox /var/backups/lotbox /etc/lotbox")
        let lines = user.out.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(user)")
        #expect(lines[0].split(separator: " ").contains("lotbox") && !lines[0].split(separator: " ").contains("input"), "groups: \(lines[0])")
        #expect(lines[1] == "750 lotbox:lotbox" && lines[2] == "750 lotbox:lotbox" && lines[3] == "750 root:lotbox", "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/lotbox.service"), "round 1's unit still hides the package's")
        #expect(FileManager.default.fileExists(atPath: root + "/etc/systemd/system/lotbox.service.lotbox-install-old"))
        // Enabled: the links point into the root's /lib (so they are read as links, not followed on this machine).
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/systemd/system/multi-user.target.wants/lotbox.service"))
                == "/lib/systemd/system/lotbox.service", "the service is not enabled")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/systemd/system/timers.target.wants/lotbox-backup.timer"))
                == "/lib/systemd/system/lotbox-backup.timer", "the backup timer is not enabled")
        let manual = try await inRoot("zcat /usr/share/man/man1/lotbox.1.gz")
        #expect(manual.out.contains(".SS lotbox install") && manual.out.contains(".TH LOTBOX 1"), "\(manual.out.prefix(300))")

        // The first configuration and store, then a lot and its label, as an integrator would.
        let install = try await inRoot("lotbox install --time-zone America/Los_Angeles")
        #expect(install.status == 0, "\(install)")
        let files = try await inRoot("stat -c '%a %U:%G' /etc/lotbox/lotbox.toml /var/lib/lotbox/lotbox.sqlite")
        #expect(files.out == "640 root:lotbox\n660 lotbox:lotbox\n", "\(files)")
        let again = try await inRoot("lotbox install --time-zone America/Los_Angeles")
        #expect(again.status == 0 && again.out.contains("kept /etc/lotbox/lotbox.toml") && again.out.contains("kept the store"), "\(again)")
        let lot = try await inRoot("""
            set -e
            lotbox license add 'Green Acres Farm' --code G-412345 --type grower-processor >/dev/null
            lotbox product add 'Blue Dream Flower' --type Flower/Dry >/dev/null
            lotbox lot create --license G-412345 --product 'Blue Dream Flower' --qty '5 lb'
            """)
        let lotID = lot.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lot.status == 0 && lotID.count == 26, "\(lot)")
        let render = try await inRoot("lotbox label render --template lot-4x2 --lot \(lotID) --output /tmp/label.png")
        #expect(render.status == 0, "\(render)")
        let decoded = try RealDecoder.zxing(root + "/tmp/label.png").map(\.text)
        #expect(decoded.contains { $0.contains(lotID) }, "the label rendered in the packaged box reads \(decoded)")

        // The nightly backup as the timer runs it (as lotbox), then doctor: the store and the backup
        // are good; the example's printer is not there, which doctor reports as an error (exit 2).
        let nightly = try await inRoot("runuser -u lotbox -- lotbox backup --config /etc/lotbox/lotbox.toml")
        #expect(nightly.status == 0, "\(nightly)")
        let doctor = try await inRoot("lotbox doctor --json")
        let report = try JSONSerialization.jsonObject(with: Data(doctor.out.utf8)) as? [String: Any]
        let checks = Dictionary((report?["checks"] as? [[String: String]] ?? []).map { ($0["check"] ?? "", $0) }) { first, _ in first }
        #expect(checks["store"]?["status"] == "ok", "\(doctor.out)")
        // A good backup; on this root's one disk doctor warns that it shares the store's device.
        #expect(checks["backup"]?["status"] != "error" && !(checks["backup"]?["detail"] ?? "no verified").contains("no verified"), "\(doctor.out)")
        #expect(doctor.status == 2 && checks["printer dock"]?["status"] == "error", "\(doctor)")

        // An upgrade (dpkg -i of the package again) backs the store up before the new binary runs.
        let upgrade = try await inRoot("dpkg -i /tmp/lotbox.deb")
        #expect(upgrade.status == 0 && upgrade.out.contains("backed the store up to /var/backups/lotbox/pre-upgrade-"), "\(upgrade)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: root + "/var/backups/lotbox").filter { $0.hasPrefix("pre-upgrade-") }
        #expect(backups.count == 1, "\(backups)")
        let backup = try #require(backups.first)
        let listed = try await inRoot("lotbox lot list --db /var/backups/lotbox/\(backup) --json")
        #expect(listed.out.contains(lotID), "the pre-upgrade backup does not hold the lot: \(listed)")

        // Purge takes the configuration only; the store and its backups are the shop's records.
        let purge = try await inRoot("dpkg --purge lotbox")
        #expect(purge.status == 0 && purge.out.contains("are kept"), "\(purge)")
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/lotbox"))
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/bin/lotbox"))
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/lotbox/lotbox.sqlite"))
        #expect(backups.nonEmptyAllSatisfy { FileManager.default.fileExists(atPath: root + "/var/backups/lotbox/" + $0) })
    }
}
