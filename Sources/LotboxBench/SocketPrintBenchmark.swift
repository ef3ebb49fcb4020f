import Foundation
import Logging
import LotboxCore
import LotboxPrintService
import LotboxStore
import ServiceLifecycle

/// `lotbox bench print --socket`: print-on-create to a ZPL printer on its raw port, the printer
/// a listener inside the bench (BenchZebraListener). Two figures: commit to the label's last byte
/// at the printer for lots committed one at a time by another process, and a batch of lots in
/// one transaction printed as fast as lotbox can, with how much the process that prints (the
/// label queue runs in the bench as it does in `serve`) grew meanwhile.
public struct SocketPrintBenchmark: Sendable {
    public var lots: Int
    public var batch: Int
    public var templates: String
    public var executable: String

    public init(lots: Int = 200, batch: Int = 1_000, templates: String, executable: String) {
        self.lots = lots
        self.batch = batch
        self.templates = templates
        self.executable = executable
    }

    public func run() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lotbox-bench-socket-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/store.sqlite"
        let store = try LotStore(path: path, create: true)
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-1", typeKey: "grower", actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "bench")
        let zebra = try BenchZebraListener()
        defer { zebra.stop() }
        let printer = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)
        let config = LabelQueueSettings(templates: templates, printers: [printer], printOnCreate: ["zebra"], printImported: false, timeZone: .utc)
        var logger = Logger(label: "lotbox.bench")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [LabelQueueService(config: config, store: store, logger: logger)],
                                                      gracefulShutdownSignals: [], logger: logger))
        let service = Task { try await group.run() }

        var latencies: [Double] = []
        for index in 0..<lots {
            let id = try PrintBenchmark.createInAnotherProcess(executable: executable, path: path, license: license.id, product: product.id,
                                                                qty: "\(index + 1) g")
            let arrived = try await OwnThread.run { zebra.wait(for: index + 1, seconds: 10) }
            guard arrived, let lot = try store.lot(id: id), let created = PrintBenchmark.milliseconds(lot.createdAt) else {
                throw BenchError.missing("the label of lot \(id) did not reach the printer within 10 s")
            }
            latencies.append(Double(zebra.lastByteTimes[index]) / 1000 - created)
        }

        let before = SocketPrintBenchmark.residentBytes()
        let sampler = MemorySampler()
        let start = Stopwatch.now()
        let ids = try store.createLots((0..<batch).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g") }, actor: "bench")
        let wanted = lots + ids.count
        let drained = try await OwnThread.run {
            while !zebra.wait(for: wanted, seconds: 0.01) {
                sampler.sample()
                if Double(Stopwatch.now() - start) / 1e9 > 600 { return false }
            }
            return true
        }
        let seconds = Double(Stopwatch.now() - start) / 1e9
        sampler.sample()
        guard drained else { throw BenchError.missing("the batch did not reach the printer in 10 minutes (\(zebra.jobCount - lots) of \(batch))") }
        await group.triggerGracefulShutdown()
        _ = try? await service.value

        latencies.sort()
        func quantile(_ q: Double) -> Double { latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * q).rounded()))] }
        return BenchLine.render([
            ("bench", "\"print\""),
            ("printer", "\"socket (ZPL, listener in the bench)\""),
            ("lots", String(lots)),
            ("commit_to_last_byte_p50_ms", BenchLine.number(quantile(0.5), places: 1)),
            ("commit_to_last_byte_p99_ms", BenchLine.number(quantile(0.99), places: 1)),
            ("batch", String(batch)),
            ("batch_labels_per_s", BenchLine.number(Double(batch) / seconds, places: 1)),
            ("batch_rss_growth_mb", BenchLine.number(Double(max(0, sampler.peak - before)) / 1_048_576, places: 1)),
        ])
    }

    /// The process's resident memory now (VmRSS), in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}

/// The highest resident memory seen while sampling.
final class MemorySampler: @unchecked Sendable {
    private(set) var peak = 0
    func sample() { peak = max(peak, SocketPrintBenchmark.residentBytes()) }
}
