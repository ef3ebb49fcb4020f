import Foundation
import LotboxConfig
import LotboxCore
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxScanning
import LotboxStore

/// Everything `lotbox doctor` looks at, each check on its own: the clock, the store's disk and
/// pages, the configuration, each printer and scanner, the backups and the upstream. A check
/// never stops the others; each gives one finding or more, one line each.
struct Checkup {
    let storePath: String
    /// The configuration file, and whether it must exist (named with --config or LOTBOX_CONFIG).
    let configPath: String
    let configNamed: Bool
    var printerTimeout: Double = 3

    /// Free space under these is a warning (either) or an error (the first).
    static let errorFreeFraction = 0.02
    static let warningFreeFraction = 0.10
    static let warningFreeBytes: Int64 = 500 * 1024 * 1024
    /// A last good backup older than this is a warning (a nightly timer that missed a night).
    static let backupAgeWarning: TimeInterval = 36 * 3600

    func run() -> [Finding] {
        var findings: [Finding] = []
        let store = try? StoreRule.open(storePath, readOnly: true)
        findings += clock(store)
        findings.append(disk())
        findings.append(integrity(store))
        let settings = config(&findings)
        if let settings {
            findings += printers(settings)
            findings += scanners(settings)
        }
        findings += backups(settings?.backup ?? .standard)
        findings.append(upstream(settings, store))
        return findings
    }

    // MARK: - The clock

    func clock(_ store: LotStore?) -> [Finding] {
        var findings: [Finding] = []
        switch ClockSync.synchronised() {
        case true?: findings.append(Finding("clock sync", .ok, "the kernel reports the clock synchronised"))
        case false?: findings.append(Finding("clock sync", .warning, "the clock is not synchronised (adjtimex STA_UNSYNC): run NTP (systemd-timesyncd, chrony) so IDs and dates stay right"))
        case nil: findings.append(Finding("clock sync", .warning, "adjtimex(2) could not be asked whether the clock is synchronised"))
        }
        guard let store else { return findings }
        let status = store.checkClock()
        if status.isOK {
            let mark = (try? store.ulidMark()) ?? nil
            findings.append(Finding("clock vs store", .ok, mark.map { "not behind the newest issued ID (\($0))" } ?? "the store has issued no ID yet"))
        } else {
            findings.append(Finding("clock vs store", .error, "\(status)"))
        }
        return findings
    }

    // MARK: - The store

    func disk() -> Finding {
        let folder = (storePath as NSString).deletingLastPathComponent
        var info = statvfs()
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else {
            return Finding("disk", .error, "cannot read the free space of \(folder): \(String(cString: strerror(errno)))")
        }
        let total = Int64(info.f_blocks) * Int64(info.f_frsize)
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let fraction = total > 0 ? Double(free) / Double(total) : 0
        let text = "\(Self.bytes(free)) free of \(Self.bytes(total)) (\(String(format: "%.1f", fraction * 100))%) on the store's filesystem (\(folder))"
        if fraction < Self.errorFreeFraction { return Finding("disk", .error, text + "; under 2%: writes will fail soon") }
        if fraction < Self.warningFreeFraction || free < Self.warningFreeBytes {
            return Finding("disk", .warning, text + "; under 10% or 500 MB")
        }
        return Finding("disk", .ok, text)
    }

    func integrity(_ store: LotStore?) -> Finding {
        guard let store else {
            do {
                _ = try StoreRule.open(storePath, readOnly: true)
                return Finding("store", .error, "\(storePath) did not open")
            } catch {
                return Finding("store", .error, "\(error)")
            }
        }
        do {
            let result = try store.quickCheck()
            guard result == "ok" else { return Finding("store", .error, "PRAGMA quick_check on \(storePath): \(result); restore the last good backup (`lotbox restore`)") }
            let sizes = store.fileSizes()
            return Finding("store", .ok, "\(storePath): quick_check ok, \(Self.bytes(sizes.database)) (+ \(Self.bytes(sizes.wal)) WAL)")
        } catch {
            return Finding("store", .error, "PRAGMA quick_check on \(storePath) failed: \(error)")
        }
    }

    // MARK: - The configuration and the hardware it names

    func config(_ findings: inout [Finding]) -> ServeConfig? {
        guard configNamed || FileManager.default.fileExists(atPath: configPath) else {
            findings.append(Finding("config", .warning, "no configuration at \(configPath): `lotbox serve` cannot start without one"))
            return nil
        }
        let (settings, _, errors) = ConfigCommand.validate(configPath, createStore: false)
        if errors.isEmpty {
            findings.append(Finding("config", .ok, "\(configPath): ok"))
        } else {
            findings += errors.map { Finding("config", .error, $0) }
        }
        return settings
    }

    func printers(_ settings: ServeConfig) -> [Finding] {
        settings.printers.map { printer in
            let name = "printer \(printer.name)"
            let status: PrinterStatus
            do {
                status = try printer.currentStatus(timeout: printerTimeout)
            } catch {
                return Finding(name, .error, "\(error); its labels wait in the queue")
            }
            let reasons = status.reasons.isEmpty ? "" : " (\(status.reasons.joined(separator: ", ")))"
            if status.state == "stopped" || !status.isAcceptingJobs {
                return Finding(name, .error, "\(status.state)\(reasons)\(status.isAcceptingJobs ? "" : ", not accepting jobs"): its labels wait until a person sees to it")
            }
            // The one rule the daemon holds labels by (MediaFit): a mismatch holds this template's labels.
            var unchecked = ""
            if let template = try? TemplateLoader.load(printer.template, from: settings.templates) {
                switch MediaFit.of(template, on: status, dpi: printer.dpi) {
                case .mismatch(let reason):
                    return Finding(name, .warning, "\(reason): its '\(printer.template)' labels are held until it is loaded or a person releases them")
                case .unknown(let why): unchecked = " (\(why))"
                case .fits: break
                }
            }
            if !status.conditions.isEmpty {
                return Finding(name, .warning, "\(status.state)\(reasons)")
            }
            return Finding(name, .ok, status.state + unchecked)
        }
    }

    /// Each scanner's device, and what the running daemon says of it (its state file beside the
    /// store): `reading` means it is open and, for a keyboard-wedge scanner, grabbed.
    func scanners(_ settings: ServeConfig) -> [Finding] {
        let daemon = ScannerStateFile.read(forStore: settings.store).flatMap { $0.daemonRunning ? $0 : nil }
        return settings.scanners.map { scanner in
            let name = "scanner \(scanner.name)"
            guard access(scanner.path, F_OK) == 0 else {
                return Finding(name, .warning, "\(scanner.path) does not exist: not plugged in (it is read as soon as it appears)")
            }
            guard let daemon else { return Finding(name, .ok, "\(scanner.path) is present (lotbox serve is not running to read it)") }
            guard let row = daemon.scanners.first(where: { $0.path == scanner.path }) else {
                return Finding(name, .warning, "\(scanner.path) is present but lotbox serve (pid \(daemon.pid)) does not report reading it")
            }
            guard row.state == "reading" else {
                return Finding(name, .warning, "\(scanner.path): lotbox serve reports it \(row.state)\(row.reason.map { " (\($0))" } ?? "")")
            }
            return Finding(name, .ok, "\(scanner.path) is present and lotbox serve (pid \(daemon.pid)) is reading it")
        }
    }

    // MARK: - Backups and the upstream

    func backups(_ backup: BackupConfig) -> [Finding] {
        let folder = BackupFolder(backup.folder)
        var findings: [Finding] = []
        if let failure = folder.lastFailure() {
            findings.append(Finding("backup run", .warning, "the last run failed at \(Self.instant(failure.at)): \(failure.reason)"))
        }
        if let good = folder.lastGood(), let verified = good.verifiedAt {
            let age = Date().timeIntervalSince(verified)
            let text = "last good \(good.path), checked \(Self.instant(verified)) (\(Self.age(age)) ago)"
            findings.append(age > Self.backupAgeWarning ? Finding("backup", .warning, text + "; older than 36 h: is the timer running?")
                                                         : Finding("backup", .ok, text))
            for missing in good.missingKeys { findings.append(Finding("backup keys", .warning, "not in the last backup: \(missing)")) }
        } else {
            findings.append(Finding("backup", .warning, "no verified backup in \(backup.folder): run `lotbox backup` (the timer does, nightly)"))
        }
        var store = stat(), target = stat()
        if stat(storePath, &store) == 0, stat(backup.folder, &target) == 0, store.st_dev == target.st_dev {
            findings.append(Finding("backup device", .warning, "\(backup.folder) is on the store's device: a dying disk or SD card takes both; use other media"))
        }
        return findings
    }

    /// The upstream (`[upstream]`): whether it answered when `serve`'s worker last tried, events
    /// held by its refusals, and how far behind the box it is.
    func upstream(_ settings: ServeConfig?, _ store: LotStore?) -> Finding {
        guard let upstream = settings?.upstream else { return Finding("upstream", .ok, "not configured") }
        guard let store, let summary = try? store.outboxSummary() else {
            return Finding("upstream", .warning, "\(upstream.origin): the store's outbox cannot be read")
        }
        let waiting = "\(summary.waiting) event\(summary.waiting == 1 ? "" : "s") waiting" + (summary.oldestWaitingAt.map { ", the oldest from \($0)" } ?? "")
        switch summary.reachable {
        case false?:
            return Finding("upstream", .error, "\(upstream.origin) does not answer\(summary.reachChangedAt.map { " since \($0)" } ?? ""): \(summary.reachError ?? "no reason given"); \(waiting)")
        case nil:
            return Finding("upstream", .warning, "\(upstream.origin) not tried yet (is `lotbox serve` running with this config?); \(waiting)")
        case true?:
            if summary.held > 0 {
                return Finding("upstream", .warning, "\(upstream.origin) answers, but refused \(summary.held) event\(summary.held == 1 ? "" : "s"): `lotbox upstream list --held`; \(waiting)")
            }
            if let oldest = summary.oldestWaitingAt.flatMap(MetricsSampler.instant), Date().timeIntervalSince(oldest) > Self.upstreamLagWarning {
                return Finding("upstream", .warning, "\(upstream.origin) answers but is behind: \(waiting)")
            }
            return Finding("upstream", .ok, "\(upstream.origin) answers; \(waiting); the last sent at \(summary.lastSentAt ?? "never")")
        }
    }

    /// Events waiting longer than this while the upstream answers are a warning.
    static let upstreamLagWarning: TimeInterval = 3600

    // MARK: - Words

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func instant(_ date: Date) -> String {
        Timestamp.rfc3339(milliseconds: UInt64(max(0, date.timeIntervalSince1970) * 1000))
    }

    static func age(_ seconds: TimeInterval) -> String {
        if seconds < 120 { return "\(Int(seconds)) s" }
        if seconds < 7200 { return "\(Int(seconds / 60)) min" }
        if seconds < 172_800 { return "\(Int(seconds / 3600)) h" }
        return "\(Int(seconds / 86400)) days"
    }
}
