import Foundation
import Logging
import LotboxAPI
import LotboxConfig
import LotboxCore
import LotboxStore
import LotboxSync
import ServiceLifecycle

/// `lotbox bench sync`: how fast the outbox drains a backlog to a lotbox upstream on loopback
/// (the upstream's API in this process, its own store, the box's worker pushing one event at a
/// time as serve's does), and what the outbox costs the box's hot path: durable single-lot
/// creations a second with the outbox on and off, the upstream stopped, in the same run,
/// interleaved in rounds so the disk's moods fall on both alike.
public struct SyncBenchmark {
    public var events: Int
    public var lots: Int
    public var folder: String

    public init(events: Int = 100_000, lots: Int = 2_000, folder: String) {
        self.events = events
        self.lots = lots
        self.folder = folder
    }

    public func run() async throws -> String {
        let scratch = (folder as NSString).appendingPathComponent("bench-sync-\(getpid())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(scratch) }
        let logger = Logger(label: "lotbox.bench")

        // The upstream: its store, the identity the box acts as, its key, the box's key listed.
        let upstreamStore = try LotStore(path: scratch + "/upstream.sqlite", create: true)
        let company = try upstreamStore.addCompany(name: "Head Office", actor: "bench")
        let upstreamLicense = try upstreamStore.addLicense(name: "Shop", code: "UP-1", typeKey: "grower", companyKey: company.id, actor: "bench")
        let contact = try upstreamStore.addContact(name: "Shop Box", type: "Employee", companyKey: company.id, actor: "bench")
        let serverKey = try ServerKey.generate()
        let clientKey = try ClientKey.create(at: scratch + "/upstream.key")
        let port = try FreePort.find()
        let threads = StoreThreads(threads: 4)
        let services = APIServices(store: upstreamStore, threads: threads,
                                   gate: V2024Gate(serverKey: serverKey, clients: ["bench-box": [clientKey.publicText]]), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [APIServer(host: "127.0.0.1", port: port, services: services, logger: logger)],
                                                      gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        try await FreePort.waitForListener(port: port, seconds: 10)

        // The box: a backlog of `events` lot creations, written in batches with the outbox on.
        let box = try LotStore(path: scratch + "/box.sqlite", create: true)
        let license = try box.addLicense(name: "Green Acres", code: "G-1", typeKey: "grower", actor: "bench")
        let origin = "http://127.0.0.1:\(port)"
        try box.setUpstream(origin: origin, actor: "bench")
        let product = try box.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g",
                                                    licenseKey: license.id), actor: "bench")
        let count = events
        try await OwnThread.run {
            var made = 0
            while made < count {
                let batch = min(10_000, count - made)
                _ = try box.createLots((0..<batch).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "3.5 g") }, actor: "bench")
                made += batch
            }
        }
        let backlog = try box.outboxSummary().waiting
        let config = UpstreamConfig(origin: origin, serviceID: "bench-box", clientKeyFile: scratch + "/upstream.key",
                                    serverPublicKey: serverKey.publicText,
                                    licenses: [UpstreamLicense(local: "G-1", companyID: company.id, licenseID: upstreamLicense.id, contactID: contact.id)])
        let worker = try OutboxWorker(config: config, store: box, logger: logger)
        let start = Stopwatch.now()
        do {
            while try await worker.drainPass() {}
        } catch {
            await worker.shutdown()
            throw error
        }
        await worker.shutdown()
        let drainSeconds = Double(Stopwatch.now() - start) / 1e9
        let after = try box.outboxSummary()
        let upstreamLots = try upstreamStore.status().counts.first { $0.table == "inventory" }?.count ?? -1
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await threads.shutdown()

        // The hot path, the upstream stopped: durable creations with the outbox on, then off, in rounds.
        let rounds = 4
        let perRound = max(1, lots / rounds)
        let timings = try await OwnThread.run { () -> (on: Double, off: Double) in
            var on = 0.0, off = 0.0
            for round in 0..<(rounds * 2) {
                let outbox = round % 2 == 0
                try box.setUpstream(origin: outbox ? origin : nil, actor: "bench")
                let t0 = Stopwatch.now()
                for _ in 0..<perRound {
                    try box.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "100 g"), actor: "bench")
                }
                let seconds = Double(Stopwatch.now() - t0) / 1e9
                if outbox { on += seconds } else { off += seconds }
            }
            return (on, off)
        }
        let onRate = Double(perRound * rounds) / timings.on
        let offRate = Double(perRound * rounds) / timings.off
        return BenchLine.render([
            ("bench", "\"sync\""),
            ("backlog_events", String(backlog)),
            ("drained_events_per_s", BenchLine.number(Double(backlog - after.waiting) / drainSeconds, places: 0)),
            ("drain_seconds", BenchLine.number(drainSeconds, places: 1)),
            ("left_waiting", String(after.waiting)),
            ("held", String(after.held)),
            ("upstream_lots", String(upstreamLots)),
            ("durable_lots_per_s_outbox_on", BenchLine.number(onRate, places: 0)),
            ("durable_lots_per_s_outbox_off", BenchLine.number(offRate, places: 0)),
            ("outbox_cost_percent", BenchLine.number((offRate - onRate) / offRate * 100, places: 1)),
            ("durable_lots_each", String(perRound * rounds)),
        ])
    }
}
