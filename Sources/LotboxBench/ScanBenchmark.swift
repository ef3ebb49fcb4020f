import Foundation
import Logging
import LotboxCore
import LotboxScanning
import LotboxStore
import Synchronization

/// `lotbox bench scan`: how long from a scanner's terminating key event to the scan being
/// committed in the scan log. Key events go through a FIFO into a real evdev reader (xkb
/// layout, framing, recognition) and a real store, each commit synced to the disk; one scan at a time,
/// as a person scans.
public struct ScanBenchmark: Sendable {
    public var scans: Int
    public var folder: String

    public init(scans: Int = 10_000, folder: String) {
        self.scans = scans
        self.folder = folder
    }

    /// The codes scanned in turn: a METRC tag, a GS1-128 with a GS, a UPC-A, a ULID, a command.
    static let codes: [(text: String, gs: Bool)] = [
        ("1A4FF0100000022000000123", false), ("]C10109506000134352", true), ("036000291452", false),
        ("01KAQ4M7Z9X0PAB3C5D7E9F1GH", false), ("LOTBOX:QTY:3.5G", false),
    ]

    public func run() throws -> String {
        let scratch = folder + "/lotbox-bench-scan-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(scratch) }
        let store = try LotStore(path: scratch + "/store.sqlite", create: true)
        let fifo = scratch + "/scanner"
        guard mkfifo(fifo, 0o600) == 0 else { throw BenchError.failed("a FIFO at \(fifo)") }

        let recorder = ScanRecorder(store: store, station: "bench", ageCheck: AgeCheck(timeZone: .utc))
        let results = Mutex<(latencies: [UInt64], readToCommit: [UInt64], failures: Int)>(([], [], 0))
        let committed = DispatchSemaphore(value: 0)
        var logger = Logger(label: "lotbox.bench.scan")
        logger.logLevel = .error
        let reader = try ScannerReader(config: ScannerConfig(name: "bench", path: fifo, kind: .evdev, grab: false),
                                       logger: logger) { input in
            do {
                let scan = try recorder.record(input)
                let now = MonotonicClock.realtimeMicroseconds()
                results.withLock { results in
                    if scan.recognition == nil { results.failures += 1 }
                    if let key = input.keyEventMicros { results.latencies.append(UInt64(max(0, now - key)) * 1000) }
                    results.readToCommit.append(scan.committedNanos - input.readNanos)
                }
            } catch {
                results.withLock { $0.failures += 1 }
            }
            committed.signal()
        }
        reader.start()
        defer { reader.stop() }
        let writer = open(fifo, O_WRONLY)
        guard writer >= 0 else { throw BenchError.failed("a writer for \(fifo)") }
        defer { close(writer) }

        let start = Stopwatch.now()
        for index in 0..<scans {
            let code = Self.codes[index % Self.codes.count]
            var events = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            events.type(code.text)
            if code.gs { events.controlBracket(); events.type("10LOT\(index)") }
            // The Enter press carries the time it is written: the start of the budget.
            var enter = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            enter.tap(KeyEvents.enter)
            let bytes = events.bytes + enter.bytes
            let written = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw BenchError.failed("the FIFO took \(written) of \(bytes.count) bytes") }
            guard committed.wait(timeout: .now() + 10) == .success else { throw BenchError.failed("scan \(index) within 10 s") }
        }
        let elapsed = Double(Stopwatch.now() - start) / 1e9
        var (latencies, readToCommit, failures) = results.withLock { ($0.latencies, $0.readToCommit, $0.failures) }
        guard latencies.count == scans, failures == 0, try store.scanCount() == scans else {
            throw BenchError.failed("all \(scans) scans recognized and logged (got \(latencies.count), \(failures) failures)")
        }
        func ms(_ nanos: UInt64) -> String { BenchLine.number(Double(nanos) / 1e6, places: 3) }
        return BenchLine.render([
            ("bench", "\"scan\""),
            ("scans", String(scans)),
            ("key_to_commit_p50_ms", ms(Stopwatch.quantile(&latencies, 0.5))),
            ("key_to_commit_p99_ms", ms(Stopwatch.quantile(&latencies, 0.99))),
            ("key_to_commit_max_ms", ms(Stopwatch.quantile(&latencies, 1))),
            ("read_to_commit_p50_ms", ms(Stopwatch.quantile(&readToCommit, 0.5))),
            ("read_to_commit_p99_ms", ms(Stopwatch.quantile(&readToCommit, 0.99))),
            ("scans_per_second", BenchLine.number(Double(scans) / elapsed)),
            ("goal_p99_ms", "5"),
        ])
    }
}
