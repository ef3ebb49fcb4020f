import Foundation
import Logging
import LotboxCore
import LotboxPrintService
import LotboxStore
import ServiceLifecycle

/// `lotbox bench print`: print-on-create as a user sees it. Lots are committed by another
/// process (`lotbox lot create`), one at a time; the figure is the time from the lot's commit to
/// the printer's successful answer to the job's document. Then a batch of lots in one
/// transaction, and how fast the queue drains it. For a CUPS queue, "accepted" is cupsd taking
/// the document.
public struct PrintBenchmark: Sendable {
    public var uri: String?
    public var queue: String?
    public var server: String?
    public var lots: Int
    public var batch: Int
    public var templates: String
    public var executable: String

    public init(uri: String?, queue: String? = nil, server: String? = nil, lots: Int = 50, batch: Int = 1_000,
                templates: String, executable: String) {
        self.uri = uri
        self.queue = queue
        self.server = server
        self.lots = lots
        self.batch = batch
        self.templates = templates
        self.executable = executable
    }

    public func run() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lotbox-bench-print-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/store.sqlite"
        let store = try LotStore(path: path, create: true)
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-1", typeKey: "grower", actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "bench")
        let config = LabelQueueSettings(templates: templates,
                                 printers: [PrinterConfig(name: "bench", uri: uri, queue: queue, server: server, template: "lot-2x1")],
                                 printOnCreate: ["bench"], printImported: false, timeZone: .utc)
        var logger = Logger(label: "lotbox.bench")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [LabelQueueService(config: config, store: store, logger: logger)],
                                                      gracefulShutdownSignals: [], logger: logger))
        let service = Task { try await group.run() }

        var latencies: [Double] = []
        for index in 0..<lots {
            let id = try PrintBenchmark.createInAnotherProcess(executable: executable, path: path, license: license.id, product: product.id,
                                                                qty: "\(index + 1) g")
            let job = try await waitFor(store, lot: id, seconds: 10) { $0.submittedAt != nil }
            guard let submitted = job.submittedAt.flatMap(PrintBenchmark.milliseconds),
                  let lot = try store.lot(id: id), let created = PrintBenchmark.milliseconds(lot.createdAt) else {
                throw BenchError.missing("timings of lot \(id)")
            }
            latencies.append(submitted - created)
        }

        let start = Stopwatch.now()
        let ids = try store.createLots((0..<batch).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g") }, actor: "bench")
        let wanted = Set(ids)
        let deadline = Date().addingTimeInterval(600)
        while true {
            let done = try store.printJobs(states: ["completed"], limit: 1_000_000).filter { wanted.contains($0.objectId ?? "") }.count
            if done >= batch { break }
            guard Date() < deadline else { throw BenchError.missing("the batch did not drain in 10 minutes (\(done) of \(batch))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let drainSeconds = Double(Stopwatch.now() - start) / 1e9
        await group.triggerGracefulShutdown()
        _ = try? await service.value

        latencies.sort()
        func quantile(_ q: Double) -> Double { latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * q).rounded()))] }
        return BenchLine.render([
            ("bench", "\"print\""),
            ("printer", uri != nil ? "\"direct IPP\"" : "\"CUPS queue\""),
            ("lots", String(lots)),
            ("commit_to_accepted_p50_ms", BenchLine.number(quantile(0.5), places: 1)),
            ("commit_to_accepted_p99_ms", BenchLine.number(quantile(0.99), places: 1)),
            ("batch", String(batch)),
            ("batch_drain_lots_per_s", BenchLine.number(Double(batch) / drainSeconds, places: 1)),
        ])
    }

    static func createInAnotherProcess(executable: String, path: String, license: String, product: String, qty: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["lot", "create", "--db", path, "--license", license, "--product", product, "--qty", qty]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError.missing("lot create failed: \(text)") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func waitFor(_ store: LotStore, lot: String, seconds: Double, until done: (PrintJob) -> Bool) async throws -> PrintJob {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let job = try store.printJobs(limit: 1_000_000).first(where: { $0.objectId == lot }), done(job) { return job }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BenchError.missing("no print job for lot \(lot) within \(Int(seconds)) s")
    }

    /// Unix milliseconds of an RFC 3339 time with milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { $0.timeIntervalSince1970 * 1000 }
    }
}

/// `lotbox bench print --raw-queue`: a batch of lots made in one transaction printed as ZPL
/// through a private cupsd's raw queue to a listener inside the bench (BenchZebraListener), the
/// way a Zebra behind CUPS is fed. A batch is one job (up to the printer's batch size), so the
/// figure is CUPS' per-job cost spread over the batch plus lotbox's rendering; with a job a
/// label it was about one label a second.
public struct RawQueuePrintBenchmark: Sendable {
    public var batch: Int
    public var templates: String

    public init(batch: Int = 1_000, templates: String) {
        self.batch = batch
        self.templates = templates
    }

    public func run() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lotbox-bench-rawqueue-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(folder) }
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-1", typeKey: "grower", actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "bench")
        let zebra = try BenchZebraListener()
        defer { zebra.stop() }
        let cups = try BenchCups()
        try cups.addRawQueue("Bench_Zebra", uri: zebra.uri)
        let printer = PrinterConfig(name: "zebra", queue: "Bench_Zebra", server: cups.server, template: "lot-2x1", format: PrinterConfig.zplFormat)
        let config = LabelQueueSettings(templates: templates, printers: [printer], printOnCreate: ["zebra"], printImported: false, timeZone: .utc)
        var logger = Logger(label: "lotbox.bench")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [LabelQueueService(config: config, store: store, logger: logger)],
                                                      gracefulShutdownSignals: [], logger: logger))
        let service = Task { try await group.run() }

        let start = Stopwatch.now()
        _ = try store.createLots((0..<batch).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g") }, actor: "bench")
        let arrived = try await OwnThread.run { zebra.wait(for: batch, seconds: 600) }
        let seconds = Double(Stopwatch.now() - start) / 1e9
        guard arrived else { throw BenchError.missing("the batch did not reach the printer in 10 minutes (\(zebra.jobCount) of \(batch))") }
        // Every label is recorded printed once cupsd reports its job done.
        let deadline = Date().addingTimeInterval(60)
        var completed = 0
        while Date() < deadline {
            completed = try store.printJobs(states: ["completed"], limit: 1_000_000).count
            if completed >= batch { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await group.triggerGracefulShutdown()
        _ = try? await service.value
        guard completed >= batch else { throw BenchError.failed("every label recorded printed once cupsd finished (\(completed) of \(batch))") }
        let jobs = Set(try store.printJobs(limit: 1_000_000).compactMap(\.cupsJobId)).count
        return BenchLine.render([
            ("bench", "\"print\""),
            ("printer", "\"CUPS raw queue (ZPL, private cupsd, listener in the bench)\""),
            ("batch", String(batch)),
            ("cups_jobs", String(jobs)),
            ("labels_per_s", BenchLine.number(Double(batch) / seconds, places: 1)),
        ])
    }
}
