import ArgumentParser
import Foundation
import Logging
import LotboxCore
import LotboxScanning
import LotboxStore
import Synchronization

/// `lotbox scan`: read a scanner and print what each scan is, one JSON line per scan. For
/// setting up a scanner (is the layout right? does GS1 keep its GS?) and for scripts.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "Read a scanner and print each scan as a JSON line.",
        discussion: "With --record, each scan is also written to the store's scan log; if the store exists, each line says what the scan names in it.")

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp("A keyboard-wedge scanner's input device (evdev), e.g. /dev/lotbox/dock-1.", valueName: "PATH")) var device: String?
    @Option(help: ArgumentHelp("A USB-serial scanner's terminal, e.g. /dev/ttyACM0.", valueName: "PATH")) var tty: String?
    @Flag(help: "Read scans typed into standard input (a scanner on a terminal, or a script).") var stdin = false
    @Option(help: "Keyboard layout the scanner types in (xkb name: us, de, fr, gb...).") var layout: String = "us"
    @Option(help: "Layout variant (xkb), e.g. nodeadkeys.") var variant: String?
    @Option(help: "What ends a scan: enter, tab or none (a quiet gap).") var terminator: String = "enter"
    @Option(help: "Stop after this many scans.") var count: Int?
    @Flag(help: "Write each scan to the store's scan log.") var record = false
    @Option(help: "Station name recorded with each scan.") var station: String = "cli"
    @Option(name: .customLong("minimum-age"), help: "Age a licence scan is checked against.") var minimumAge: Int = 21
    @Flag(name: .customLong("no-grab"), help: "Read an evdev scanner without taking it for lotbox alone (its keys also reach other programs).") var noGrab = false

    func validate() throws {
        let sources = [device != nil, tty != nil, stdin].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --device PATH, --tty PATH or --stdin") }
        guard ScannerConfig.Terminator(rawValue: terminator) != nil else {
            throw ValidationError("terminator '\(terminator)' is unknown; expected enter, tab or none")
        }
        if let count, count < 1 { throw ValidationError("--count \(count) must be at least 1") }
        guard (1...120).contains(minimumAge) else { throw ValidationError("--minimum-age \(minimumAge) must be between 1 and 120") }
    }

    func run() throws {
        LoggingSystem.bootstrapOnce()
        let kind: ScannerConfig.Kind = device != nil ? .evdev : tty != nil ? .serial : .stream
        let path = device ?? tty ?? "-"
        let config = ScannerConfig(name: stdin ? "stdin" : (path as NSString).lastPathComponent, path: path, kind: kind,
                                   layout: layout, variant: variant,
                                   terminator: ScannerConfig.Terminator(rawValue: terminator) ?? .enter,
                                   grab: !noGrab, reopen: !stdin, station: station)
        // Without --record the store only says what a code names: read-only, and optional.
        let store: LotStore? = record ? try options.openStore(quietZone: true)
            : (try? options.storePath()).flatMap { FileManager.default.fileExists(atPath: $0) ? try? StoreRule.open($0, readOnly: true) : nil }
        // Without a store, the age check's today is UTC, and the zone warning says so.
        let ageCheck = AgeCheck(minimumAge: minimumAge, timeZone: ShopZone.of(store, quietly: true))
        let recorder = store.map { ScanRecorder(store: $0, station: station, ageCheck: ageCheck) }
        let state = Mutex<(seen: Int, failure: String?)>((0, nil))
        let done = DispatchSemaphore(value: 0)
        let limit = count
        let reader = try ScannerReader(config: config, logger: Logger(label: "lotbox.scan")) { input in
            // Past --count: left alone (not printed, not recorded) while the reader stops.
            if let limit, state.withLock({ $0.seen >= limit }) { return }
            let line: [String: Any]
            do {
                line = try ScanLine.describe(input, recorder: recorder, record: record, store: store, ageCheck: ageCheck)
            } catch {
                state.withLock { $0.failure = "scan from \(input.device) could not be recorded: \(error)" }
                done.signal()
                return
            }
            Output.json(line)
            fflush(nil)
            let reached = state.withLock { state -> Bool in
                state.seen += 1
                return limit.map { state.seen >= $0 } ?? false
            }
            if reached { done.signal() }
        }
        if !stdin { try reader.probe() }
        ShopZone.announce()
        reader.start()
        if stdin {
            // Ends at the end of input, or at --count.
            let ender = Thread { reader.wait(); done.signal() }
            ender.start()
        }
        done.wait()
        reader.stop()
        if let failure = state.withLock({ $0.failure }) { throw ValidationError(failure) }
    }
}

/// One scan as a JSON object: what it is, what it names, and (when rejected) why.
enum ScanLine {
    static func describe(_ input: ScanInput, recorder: ScanRecorder?, record: Bool, store: LotStore?, ageCheck: AgeCheck) throws -> [String: Any] {
        let recognition: Result<Recognition, ScanRejection>
        var line: [String: Any] = ["device": input.device, "at": input.at]
        var outcome: AgeCheck.Outcome?
        if record, let recorder {
            let recorded = try recorder.record(input)
            recognition = recorded.result
            outcome = recorded.ageCheck
            line["scan_log_id"] = recorded.id
        } else {
            let (_, result, checked) = ScanRecorder.logRecord(for: input, station: nil, ageCheck: ageCheck)
            recognition = result
            outcome = checked
        }
        switch recognition {
        case .success(let found):
            line["status"] = "recognized"
            line["kind"] = found.code.kind
            line["value"] = found.code.value
            if let aim = found.aim { line["symbology"] = aim.symbology }
            if found.isAmbiguous { line["also"] = found.alternatives.map { ["kind": $0.kind, "value": $0.value] } }
            if case .gs1(let element) = found.code {
                line["gs1"] = Dictionary(element.elements.map { ($0.ai, $0.value) }, uniquingKeysWith: { first, _ in first })
            }
            if let outcome { line["age_check"] = outcome.description }
            if let store, let target = try? store.target(of: found) { line["names"] = target.summary }
        case .failure(let rejection):
            line["status"] = "rejected"
            line["kind"] = rejection.kind.rawValue
            line["reason"] = rejection.reason
            // Recognition decides: licence data, half of it, or a long unknown scan is never printed.
            if !rejection.withheld {
                line["raw"] = ScanText.printable(input.frame.bytes, limit: 200)
            }
        }
        return line
    }
}
