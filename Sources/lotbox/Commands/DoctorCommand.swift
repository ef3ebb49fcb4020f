import ArgumentParser
import Foundation
import Logging

/// `lotbox doctor`: one command an integrator runs on site to see whether the box is well.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check the box: clock, disk, store integrity, configuration, printers, scanners, backups.",
        discussion: "Exit status 0 when every check is ok, 1 when any is a warning, 2 when any is an error. --json for scripts.")
    @Option(name: .long, help: ArgumentHelp("The lot store; default $LOTBOX_DB, else the config's `store`.", valueName: "PATH")) var db: String?
    @Option(help: "Configuration file (default $LOTBOX_CONFIG, else /etc/lotbox/lotbox.toml).") var config: String?
    @Flag(help: "Print one JSON document instead of a table.") var json = false

    func run() throws {
        LoggingSystem.bootstrapOnce()
        let configPath = StoreRule.configPath(config)
        let named = config != nil || !(ProcessInfo.processInfo.environment["LOTBOX_CONFIG"] ?? "").isEmpty
        // A broken config must not stop the doctor: the store falls back to the default, and the
        // config's own problems are a finding.
        let storePath = (try? StoreRule.path(db: db, config: config)) ?? StoreRule.defaultStore
        let findings = Checkup(storePath: storePath, configPath: configPath, configNamed: named).run()
        let worst = findings.map(\.severity).max() ?? .ok
        if json {
            Output.json(["status": worst.description, "store": storePath, "config": configPath, "checks": findings.map(\.json)])
        } else {
            Output.table(["CHECK", "STATUS", "DETAIL"], findings.map { [$0.check, $0.severity.description, $0.detail] })
            print(worst == .ok ? "all ok" : "\(findings.filter { $0.severity == .error }.count) error(s), \(findings.filter { $0.severity == .warning }.count) warning(s)")
        }
        if worst != .ok { throw ExitCode(Int32(worst.rawValue)) }
    }
}
