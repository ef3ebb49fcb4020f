import Foundation
import Logging
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore
import Synchronization

/// A kiosk scanned at a steady rate while something else loads the box: key events through a
/// FIFO into a real evdev reader, each scan recorded in the scan log and then
/// decided by a real kiosk station (sales of 9 items, then PAY), on the reader's own thread as
/// `lotbox serve` does it. Each scan is timed from its Enter key event to its commit in the scan
/// log (scan-to-record, `bench scan`'s figure) and to the station's committed state (`bench
/// stations`' figure). The scans keep their schedule: one that is late does not delay the next.
final class SteadyScans: Sendable {
    struct Timings {
        /// Nanoseconds from the Enter key to the scan's commit, and to the station's.
        var toRecord: [UInt64] = []
        var toStation: [UInt64] = []
        var problems: [String] = []
    }

    private let stock: String
    private let reader: ScannerReader
    private let writer: Int32
    /// Filled on the reader's thread, read on the typist's.
    private final class Results: Sendable {
        let timings = Mutex(Timings())
        let decided = DispatchSemaphore(value: 0)
    }
    private let results = Results()

    /// Sets up the shop the kiosk sells from (a retail license and a lot of `items` eighths):
    /// store writes, so call it before anything else watches the store.
    init(store: LotStore, folder: String, items: Int, logger: Logger) throws {
        _ = try store.addLicense(name: "Bench Shop", code: "BENCH-KIOSK", typeKey: "retail", actor: "bench")
        let eighth = try store.addProduct(NewProduct(name: "Bench Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                     unitPrice: "35"), actor: "bench")
        stock = try store.createLot(NewLot(licenseKey: "BENCH-KIOSK", productKey: eighth.id, qty: "\(max(items, 1) * 2)"), actor: "bench").id
        let kiosk = StationConfig(name: "kiosk", kind: .kiosk, license: "BENCH-KIOSK", employee: "bench",
                                  taxes: [Tax(type: WellKnown.priceAdjustments[2].id, name: "Excise Tax", rate: TaxRate(digits: 15, places: 2))])
        let router = StationRouter(configs: [kiosk], store: store, logger: logger)
        let recorder = ScanRecorder(store: store, station: "kiosk", ageCheck: AgeCheck(timeZone: .utc))
        let fifo = folder + "/kiosk-scanner"
        guard mkfifo(fifo, 0o600) == 0 else { throw BenchError.failed("a FIFO at \(fifo)") }
        let results = self.results
        reader = try ScannerReader(config: ScannerConfig(name: "kiosk", path: fifo, kind: .evdev, grab: false), logger: logger) { input in
            do {
                let scan = try recorder.record(input)
                let recorded = MonotonicClock.realtimeMicroseconds()
                var decision: StationEvent?
                _ = try router.withStation("kiosk") { decision = $0.handle(scan) }
                let done = MonotonicClock.realtimeMicroseconds()
                results.timings.withLock { timings in
                    if decision?.outcome == .refused { timings.problems.append(decision?.message ?? "refused") }
                    if let key = input.keyEventMicros {
                        timings.toRecord.append(UInt64(max(0, recorded - key)) * 1000)
                        timings.toStation.append(UInt64(max(0, done - key)) * 1000)
                    }
                }
            } catch {
                results.timings.withLock { $0.problems.append("\(error)") }
            }
            results.decided.signal()
        }
        reader.start()
        writer = open(fifo, O_WRONLY)
        guard writer >= 0 else {
            reader.stop()
            throw BenchError.failed("a writer for \(fifo)")
        }
    }

    deinit {
        reader.stop()
        close(writer)
    }

    /// Types `count` scans, `rate` a second, each waited for (10 s at most) before the next is
    /// due. Blocks: run it on a thread of its own.
    func type(count: Int, rate: Int) throws -> Timings {
        let start = Stopwatch.now()
        let interval = 1_000_000_000 / UInt64(rate)
        for index in 0..<count {
            let due = start + UInt64(index) * interval
            let now = Stopwatch.now()
            if due > now { usleep(UInt32((due - now) / 1000)) }
            let code = index % 10 == 9 ? "LOTBOX:PAY" : stock
            var events = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            events.type(code)
            // The Enter press carries the time it is written: the start of the budget.
            var enter = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            enter.tap(KeyEvents.enter)
            let bytes = events.bytes + enter.bytes
            let written = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw BenchError.failed("the FIFO took \(written) of \(bytes.count) bytes") }
            guard results.decided.wait(timeout: .now() + 10) == .success else { throw BenchError.failed("a decision on scan \(index) within 10 s") }
        }
        return results.timings.withLock { $0 }
    }
}
