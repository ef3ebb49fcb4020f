import Foundation
import Logging
import LotboxCore
import LotboxStore
import ServiceLifecycle
import Synchronization

/// `lotbox serve`'s scanners: a reader per configured scanner, plus one for every scanner that
/// shows up in the udev folder (/dev/lotbox) with no configuration, which joins the default
/// station. Every scan is written to the scan log on its reader's thread, then handed on.
public struct ScannerService: Service {
    let scanners: [ScannerConfig]
    let directory: String?
    let defaultStation: String?
    let store: LotStore
    let ageChecks: [String: AgeCheck]
    let timeZone: ShopTimeZone
    let logger: Logger
    let sink: @Sendable (RecordedScan) -> Void
    /// Where `lotbox status` learns how each scanner stands (beside the store); the API's
    /// scanners' screen reads the same states from it in memory.
    public let stateFile: ScannerStateFile

    /// - Parameters:
    ///   - ageChecks: per station, the age a licence is checked against (default 21).
    ///   - timeZone: the shop's, whose today a licence is checked against at a station with no age check of its own.
    ///   - sink: called with each scan once it is in the log, on the reader's thread.
    public init(scanners: [ScannerConfig], directory: String?, defaultStation: String?, store: LotStore,
                ageChecks: [String: AgeCheck] = [:], timeZone: ShopTimeZone, logger: Logger, sink: @escaping @Sendable (RecordedScan) -> Void) {
        self.scanners = scanners
        self.directory = directory
        self.defaultStation = defaultStation
        self.store = store
        self.ageChecks = ageChecks
        self.timeZone = timeZone
        self.logger = logger
        self.sink = sink
        self.stateFile = ScannerStateFile(store: store.path)
    }

    public func run() async throws {
        let stopping = StopFlag()
        stateFile.publish()
        defer { stateFile.remove() }
        var readers: [String: ScannerReader] = [:]
        for scanner in scanners {
            readers[scanner.path] = try start(scanner, stopping: stopping)
        }
        // Returning-customer tokens older than any station keeps them (all, if none does) go now.
        let keepDays = ageChecks.values.compactMap(\.rememberCustomersDays).max() ?? 0
        let (store, logger) = (self.store, self.logger)
        // A store write: on a thread of its own, off the shared pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                do { try store.forgetCustomers(keepingDays: keepDays) } catch { logger.error("cannot purge returning-customer tokens: \(error)") }
                done.resume()
            }.start()
        }
        logger.info("reading \(readers.count) scanner(s)\(directory.map { "; watching \($0) for more" } ?? "")")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if let directory {
                for path in Self.entries(of: directory) where readers[path] == nil {
                    let found = ScannerConfig(name: (path as NSString).lastPathComponent, path: path, kind: ScannerConfig.kind(of: path),
                                              station: defaultStation)
                    logger.notice("new scanner \(path) (\(found.kind.rawValue)) joins station \(defaultStation ?? "none")")
                    readers[path] = try? start(found, stopping: stopping)
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        stopping.set()
        let all = Array(readers.values)
        // Joined off the shared pool: each reader finishes recording the scan in hand.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread { all.forEach { $0.stop() }; done.resume() }.start()
        }
        logger.info("scanners stopped")
    }

    private func start(_ scanner: ScannerConfig, stopping: StopFlag) throws -> ScannerReader {
        let station = scanner.station ?? defaultStation
        let recorder = ScanRecorder(store: store, station: station, ageCheck: station.flatMap { ageChecks[$0] } ?? AgeCheck(timeZone: timeZone))
        let logger = logger
        let sink = sink
        let stateFile = stateFile
        let reader = try ScannerReader(config: scanner, logger: logger, report: { state in
            stateFile.update(name: scanner.name, path: scanner.path, state: state)
        }) { input in
            Self.record(input, with: recorder, stopping: stopping, logger: logger).map(sink)
        }
        reader.start()
        return reader
    }

    /// Writes a scan to the log, retrying while the store cannot be written (a full disk):
    /// the reader waits, the kernel holds the scanner's next keys, and no scan is dropped.
    static func record(_ input: ScanInput, with recorder: ScanRecorder, stopping: StopFlag, logger: Logger) -> RecordedScan? {
        var delay: UInt32 = 100_000
        var warned = false
        while true {
            do {
                let recorded = try recorder.record(input)
                if warned { logger.notice("scan log writable again; scan from \(input.device) recorded") }
                return recorded
            } catch {
                if !warned { logger.error("cannot write the scan log (\(error)); holding the scan from \(input.device) and retrying") }
                warned = true
                if stopping.isSet {
                    logger.critical("lotbox stopping with an unrecorded scan from \(input.device): '\(Self.shown(input))'")
                    return nil
                }
                usleep(delay)
                delay = min(delay * 2, 2_000_000)
            }
        }
    }

    /// A scan as a log line; licence data is never written out.
    static func shown(_ input: ScanInput) -> String {
        input.frame.isWithheld ? "<\(input.frame.bytes.count) bytes that may hold personal data, not shown>" : ScanText.printable(input.frame.bytes, limit: 200)
    }

    /// Device nodes and symlinks in the udev folder.
    static func entries(of directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }
}

/// Set once the service is stopping: a reader retrying a write gives up then.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
