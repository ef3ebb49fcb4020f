import Foundation
import Logging
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxStore
import Synchronization

/// `lotbox bench stations`: from a scanner's Enter key to the station's committed state, at a
/// receiving dock (manifests of 50 packages, counted one scan each, then ACCEPT) and at a
/// kiosk (sales of 10 items, then PAY). Key events go through a FIFO into a real evdev reader;
/// each scan is logged, decided and saved (synced to the disk) before the next is typed.
public struct StationBenchmark: Sendable {
    public var scans: Int
    public var folder: String

    public init(scans: Int = 2_000, folder: String) {
        self.scans = scans
        self.folder = folder
    }

    public func run() throws -> String {
        let scratch = folder + "/lotbox-bench-stations-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(scratch) }
        let store = try LotStore(path: scratch + "/store.sqlite", create: true)
        _ = try store.addLicense(name: "Bench Farm", code: "BENCH-S", typeKey: "grower", actor: "bench")
        _ = try store.addLicense(name: "Bench Shop", code: "BENCH-R", typeKey: "retail", actor: "bench")
        let eighth = try store.addProduct(NewProduct(name: "Bench Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g",
                                                     unitPrice: "35"), actor: "bench")
        let stock = try store.createLot(NewLot(licenseKey: "BENCH-R", productKey: eighth.id, qty: "\(scans * 2)"), actor: "bench")

        var logger = Logger(label: "lotbox.bench.stations")
        logger.logLevel = .error
        let dock = StationConfig(name: "dock", kind: .dock, license: "BENCH-R")
        let kiosk = StationConfig(name: "kiosk", kind: .kiosk, license: "BENCH-R", employee: "bench",
                                  taxes: [Tax(type: WellKnown.priceAdjustments[2].id, name: "Excise Tax", rate: TaxRate(digits: 15, places: 2))])
        let router = StationRouter(configs: [dock, kiosk], store: store, logger: logger)
        let timings = Mutex<[String: [UInt64]]>([:])
        let refused = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)

        var readers: [ScannerReader] = []
        var writers: [String: Int32] = [:]
        for station in ["dock", "kiosk"] {
            let fifo = scratch + "/\(station)-scanner"
            guard mkfifo(fifo, 0o600) == 0 else { throw BenchError.failed("a FIFO at \(fifo)") }
            let recorder = ScanRecorder(store: store, station: station, ageCheck: AgeCheck(timeZone: .utc))
            let reader = try ScannerReader(config: ScannerConfig(name: station, path: fifo, kind: .evdev, grab: false), logger: logger) { input in
                do {
                    let scan = try recorder.record(input)
                    let text = String(decoding: input.frame.bytes, as: UTF8.self)
                    let kind = text.hasPrefix("LOTBOX:") ? "\(station)-commit" : station
                    var decision: StationEvent?
                    _ = try router.withStation(station) { decision = $0.handle(scan) }
                    let now = MonotonicClock.realtimeMicroseconds()
                    if decision?.outcome == .refused { refused.withLock { $0.append(decision?.message ?? "?") } }
                    if let key = input.keyEventMicros {
                        timings.withLock { $0[kind, default: []].append(UInt64(max(0, now - key)) * 1000) }
                    }
                } catch {
                    refused.withLock { $0.append("\(error)") }
                }
                done.signal()
            }
            reader.start()
            readers.append(reader)
            writers[station] = open(fifo, O_WRONLY)
        }
        defer {
            readers.forEach { $0.stop() }
            writers.values.forEach { close($0) }
        }
        func scan(_ station: String, _ code: String) throws {
            var events = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            events.type(code)
            var enter = KeyEvents(clock: MonotonicClock.realtimeMicroseconds())
            enter.tap(KeyEvents.enter)
            let bytes = events.bytes + enter.bytes
            guard let fd = writers[station], bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
                throw BenchError.failed("the \(station) FIFO to take the scan")
            }
            guard done.wait(timeout: .now() + 10) == .success else { throw BenchError.failed("a decision on \(code) within 10 s") }
        }

        let start = Stopwatch.now()
        var scanned = 0
        var manifest = 0
        while scanned < scans {
            manifest += 1
            let packages = (0..<50).map { String(format: "1A4FF01%05d%012d", manifest, $0) }
            let transfer = try store.createTransfer(NewTransfer(sourceLicenseKey: "BENCH-S", targetLicenseKey: "BENCH-R",
                                                                items: packages.map { NewTransferItem(packageID: $0, productKey: eighth.id, qty: "10") }),
                                                    actor: "bench")
            try scan("dock", transfer)
            for package in packages where scanned < scans {
                try scan("dock", package)
                scanned += 1
            }
            try scan("dock", "LOTBOX:ACCEPT")
        }
        var sold = 0
        while sold < scans {
            for _ in 0..<10 where sold < scans {
                try scan("kiosk", stock.id)
                sold += 1
            }
            try scan("kiosk", "LOTBOX:PAY")
        }
        let elapsed = Double(Stopwatch.now() - start) / 1e9
        let problems = refused.withLock { $0 }
        guard problems.isEmpty else { throw BenchError.failed("no refusals, got \(problems.count): \(problems.first ?? "")") }
        var all = timings.withLock { $0 }
        // Every scan at each station, commands included: the issue's measure.
        all["dock-all"] = (all["dock"] ?? []) + (all["dock-commit"] ?? [])
        all["kiosk-all"] = (all["kiosk"] ?? []) + (all["kiosk-commit"] ?? [])
        func ms(_ key: String, _ q: Double) -> String {
            BenchLine.number(Double(Stopwatch.quantile(&all[key, default: []], q)) / 1e6, places: 3)
        }
        return BenchLine.render([
            ("bench", "\"stations\""),
            ("dock_all_p99_ms", ms("dock-all", 0.99)),
            ("kiosk_all_p99_ms", ms("kiosk-all", 0.99)),
            ("dock_scans", String(all["dock"]?.count ?? 0)),
            ("dock_scan_p50_ms", ms("dock", 0.5)),
            ("dock_scan_p99_ms", ms("dock", 0.99)),
            ("dock_accept_p99_ms", ms("dock-commit", 0.99)),
            ("kiosk_scans", String(all["kiosk"]?.count ?? 0)),
            ("kiosk_scan_p50_ms", ms("kiosk", 0.5)),
            ("kiosk_scan_p99_ms", ms("kiosk", 0.99)),
            ("kiosk_pay_p99_ms", ms("kiosk-commit", 0.99)),
            ("seconds", BenchLine.number(elapsed, places: 2)),
            ("synchronous", "\"\(try store.commitSynchronous())\""),
            ("goal_p99_ms", "10"),
        ])
    }
}
