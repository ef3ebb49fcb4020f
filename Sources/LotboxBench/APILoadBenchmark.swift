import Foundation
import Logging
import LotboxCore
import LotboxPrintService
import LotboxStore

/// `lotbox bench api --load`: what the appliance's own work looks like while the API is busy.
/// Two wrk processes offer fixed rates (see `WrkPacing`): authenticated GETs of random lots of
/// the store, and `POST /inventory` creates, with print-on-create on, so every lot created over
/// HTTP is printed by the label queue to a real IPP printer. Meanwhile a kiosk is scanned at a
/// steady rate. The figures are the two latencies the appliance promises, under that load:
/// print-on-create (a lot's commit to the printer accepting its label, as `bench print`
/// measures it) and scan-to-record (as `bench scan` and `bench stations` measure it), with the
/// rates wrk achieved, since an offer is not a result.
public struct APILoadBenchmark: Sendable {
    public var lots: Int
    public var seconds: Int
    public var warmUp: Int
    public var connections: Int
    public var getRate: Int
    public var postRate: Int
    public var scanRate: Int
    /// The printer's IPP URI (an ippeveprinter, or a label printer, reached directly).
    public var uri: String
    public var templates: String
    public var folder: String

    public init(lots: Int = 100_000, seconds: Int = 20, warmUp: Int = 5, connections: Int = 32, getRate: Int = 10_000, postRate: Int = 200,
                scanRate: Int = 20, uri: String, templates: String, folder: String) {
        self.lots = lots
        self.seconds = seconds
        self.warmUp = warmUp
        self.connections = connections
        self.getRate = getRate
        self.postRate = postRate
        self.scanRate = scanRate
        self.uri = uri
        self.templates = templates
        self.folder = folder
    }

    public func run() async throws -> String {
        let scratch = (folder as NSString).appendingPathComponent("bench-api-load-\(getpid())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(scratch) }
        var logger = Logger(label: "lotbox.bench.api-load")
        logger.logLevel = .error
        let scanCount = scanRate * seconds
        let (lots, scanLogger) = (self.lots, logger)
        let (bench, labelled, kiosk) = try await OwnThread.run {
            let bench = try APIBenchStore.make(in: scratch, lots: lots)
            // The lots created over HTTP are of a product of their own: they are the ones counted.
            let labelled = try bench.store.addProduct(NewProduct(name: "Bench Labelled Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"),
                                                      actor: "bench").id
            let kiosk = try SteadyScans(store: bench.store, folder: scratch, items: scanCount, logger: scanLogger)
            // Only lots created from here on are printed: the label queue starts after the store's.
            while try bench.store.hasUnreadChanges() { try bench.store.queueNewLots(routes: [], limit: 10_000) }
            return (bench, labelled, kiosk)
        }
        let get = scratch + "/get.lua", post = scratch + "/post.lua"
        try (APIBenchmark.getScript(ids: bench.idsFile, sid: bench.sid) + WrkPacing.script(rate: getRate))
            .write(toFile: get, atomically: true, encoding: .utf8)
        try (APIBenchmark.postScript(product: labelled, sid: bench.sid) + WrkPacing.script(rate: postRate))
            .write(toFile: post, atomically: true, encoding: .utf8)

        let printer = PrinterConfig(name: "bench", uri: uri, template: "lot-2x1")
        let labels = LabelQueueService(config: LabelQueueSettings(templates: templates, printers: [printer], printOnCreate: ["bench"],
                                                                  printImported: false, timeZone: .utc),
                                       store: bench.store, logger: logger)
        let api = try await InProcessAPI.start(store: bench.store, beside: [labels], logger: logger)
        let load: Load
        do {
            load = try await measure(api: api, get: get, post: post, kiosk: kiosk, scans: scanCount, bench: bench, labelled: labelled)
        } catch {
            await api.stop()
            throw error
        }
        await api.stop()
        return render(load)
    }

    /// What one run measured.
    struct Load {
        var get: Wrk.Result
        var post: Wrk.Result
        var scans: SteadyScans.Timings
        var prints: PrintTimings
        var backlogAtEnd: Int
    }

    private func measure(api: InProcessAPI, get: String, post: String, kiosk: SteadyScans, scans: Int, bench: APIBenchStore,
                         labelled: String) async throws -> Load {
        _ = try await Wrk.run(url: api.url, script: get, seconds: warmUp, connections: connections)
        let scanRate = self.scanRate
        async let reads = Wrk.run(url: api.url, script: get, seconds: seconds, connections: connections)
        async let creates = Wrk.run(url: api.url, script: post, seconds: seconds, connections: connections)
        async let scanned = OwnThread.run { try kiosk.type(count: scans, rate: scanRate) }
        let (getResult, postResult, scanTimings) = try await (reads, creates, scanned)
        guard getResult.non2xx == 0, postResult.non2xx == 0 else {
            throw BenchError.failed("only 2xx replies; GET had \(getResult.non2xx) others, POST \(postResult.non2xx) "
                                    + "(\(getResult.firstRefusal ?? postResult.firstRefusal ?? "-"))")
        }
        guard scanTimings.problems.isEmpty else {
            throw BenchError.failed("every scan recorded and decided, got \(scanTimings.problems.count) refused: \(scanTimings.problems[0])")
        }
        let (backlog, prints) = try await OwnThread.run {
            let backlog = try PrintTimings.collect(store: bench.store, product: labelled).unprinted
            // The labels still queued when the load stops are printed too, and count: they waited under it.
            return (backlog, try PrintTimings.waitForAll(store: bench.store, product: labelled, seconds: 300))
        }
        return Load(get: getResult, post: postResult, scans: scanTimings, prints: prints, backlogAtEnd: backlog)
    }

    private func render(_ load: Load) -> String {
        var toRecord = load.scans.toRecord, toStation = load.scans.toStation
        var printed = load.prints.latencies
        func ms(_ nanos: UInt64) -> String { BenchLine.number(Double(nanos) / 1e6, places: 3) }
        return BenchLine.render([
            ("bench", "\"api-load\""),
            ("lots", String(lots)),
            ("seconds", String(seconds)),
            ("offered_get_per_s", String(getRate)),
            ("get_per_s", BenchLine.number(load.get.requestsPerSecond, places: 0)),
            ("get_p99_ms", BenchLine.number(load.get.p99Milliseconds, places: 3)),
            ("offered_post_per_s", String(postRate)),
            ("post_per_s", BenchLine.number(load.post.requestsPerSecond, places: 0)),
            ("post_p99_ms", BenchLine.number(load.post.p99Milliseconds, places: 3)),
            ("created", String(load.prints.created)),
            ("print_commit_to_accepted_p50_ms", ms(Stopwatch.quantile(&printed, 0.5))),
            ("print_commit_to_accepted_p99_ms", ms(Stopwatch.quantile(&printed, 0.99))),
            ("print_backlog_at_end", String(load.backlogAtEnd)),
            ("offered_scans_per_s", String(scanRate)),
            ("scans", String(toRecord.count)),
            ("scan_to_record_p50_ms", ms(Stopwatch.quantile(&toRecord, 0.5))),
            ("scan_to_record_p99_ms", ms(Stopwatch.quantile(&toRecord, 0.99))),
            ("scan_to_station_p99_ms", ms(Stopwatch.quantile(&toStation, 0.99))),
            ("wrk", "\"-t1 -c\(connections) -d\(seconds)s --latency, paced\""),
            ("goal_print_p99_ms", "20"), ("goal_scan_to_record_p99_ms", "5"), ("goal_scan_to_station_p99_ms", "10"),
        ])
    }
}
