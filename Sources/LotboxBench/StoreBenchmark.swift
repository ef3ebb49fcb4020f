import Foundation
import LotboxCore
import LotboxStore

/// `lotbox bench store`: durable single-lot creations, batched creations, and lookups by id and
/// by external tag on a large store, each commit synced to the disk as in production.
public struct StoreBenchmark: Sendable {
    public var lots: Int
    public var durable: Int
    public var tagged: Int
    public var lookups: Int
    public var folder: String

    public init(lots: Int = 1_000_000, tagged: Int = 100_000, durable: Int = 3_000, lookups: Int = 20_000, folder: String) {
        self.lots = lots
        self.tagged = tagged
        self.durable = durable
        self.lookups = lookups
        self.folder = folder
    }

    public func run() throws -> String {
        let path = (folder as NSString).appendingPathComponent("bench-\(getpid()).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try LotStore(path: path, create: true)
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-1", typeKey: "grower", actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "bench")

        // Durable single-lot creations: one transaction and one fsync each.
        var start = Stopwatch.now()
        for index in 0..<durable {
            try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "100 g",
                                       externalIDs: [.metrc: "1A4FF02" + String(index).leftPadded(17)]), actor: "bench")
        }
        let singleSeconds = Double(Stopwatch.now() - start) / 1e9

        // Batched creations, 10,000 per transaction: `lots` plain lots, then `tagged` lots that
        // each carry a METRC tag (for the lookups by tag).
        let batchSize = 10_000
        var ids: [String] = []
        ids.reserveCapacity(lots)
        start = Stopwatch.now()
        try createBatches(store, count: lots, batchSize: batchSize, into: &ids) { _ in
            NewLot(licenseKey: license.id, productKey: product.id, qty: "3.5 g")
        }
        let batchSeconds = Double(Stopwatch.now() - start) / 1e9
        var taggedIDs: [String] = []
        taggedIDs.reserveCapacity(tagged)
        start = Stopwatch.now()
        try createBatches(store, count: tagged, batchSize: batchSize, into: &taggedIDs) { index in
            NewLot(licenseKey: license.id, productKey: product.id, qty: "3.5 g", externalIDs: [.metrc: StoreBenchmark.tag(index)])
        }
        let taggedSeconds = Double(Stopwatch.now() - start) / 1e9
        ids += taggedIDs

        // Lookups at random over the whole store.
        var generator = SystemRandomNumberGenerator()
        var byID: [UInt64] = []
        var byTag: [UInt64] = []
        byID.reserveCapacity(lookups)
        byTag.reserveCapacity(lookups)
        for _ in 0..<lookups {
            let index = Int.random(in: 0..<ids.count, using: &generator)
            var t0 = Stopwatch.now()
            guard try store.lot(id: ids[index]) != nil else { throw BenchError.missing("lot \(ids[index]) was not found by its id") }
            byID.append(Stopwatch.now() - t0)
            let tagIndex = Int.random(in: 0..<taggedIDs.count, using: &generator)
            let tag = StoreBenchmark.tag(tagIndex)
            t0 = Stopwatch.now()
            guard try store.lot(externalID: tag, kind: .metrc) != nil else { throw BenchError.missing("no lot was found by METRC tag \(tag)") }
            byTag.append(Stopwatch.now() - t0)
        }
        let mismatches = try store.ledgerMismatches().count
        return BenchLine.render([
            ("bench", "\"store\""),
            ("lots", String(lots + tagged + durable)),
            ("durable_single_lots_per_s", BenchLine.number(Double(durable) / singleSeconds, places: 0)),
            ("batched_lots_per_s", BenchLine.number(Double(lots) / batchSeconds, places: 0)),
            ("batched_tagged_lots_per_s", BenchLine.number(Double(tagged) / taggedSeconds, places: 0)),
            ("batch_size", String(batchSize)),
            ("lookup_id_p50_us", BenchLine.number(Double(Stopwatch.quantile(&byID, 0.5)) / 1000, places: 1)),
            ("lookup_id_p99_us", BenchLine.number(Double(Stopwatch.quantile(&byID, 0.99)) / 1000, places: 1)),
            ("lookup_tag_p50_us", BenchLine.number(Double(Stopwatch.quantile(&byTag, 0.5)) / 1000, places: 1)),
            ("lookup_tag_p99_us", BenchLine.number(Double(Stopwatch.quantile(&byTag, 0.99)) / 1000, places: 1)),
            ("lookups", String(lookups)),
            ("ledger_mismatches", String(mismatches)),
            ("synchronous", "\"\(try store.commitSynchronous())\""),
            ("journal_mode", "\"wal\""),
        ])
    }
}

extension StoreBenchmark {
    /// A METRC-shaped package tag, unique per index.
    static func tag(_ index: Int) -> String { "1A4FF01" + String(index).leftPadded(17) }

    func createBatches(_ store: LotStore, count: Int, batchSize: Int, into ids: inout [String],
                       _ make: (Int) -> NewLot) throws {
        var created = 0
        while created < count {
            let size = min(batchSize, count - created)
            ids += try store.createLots((created..<created + size).map(make), actor: "bench")
            created += size
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case missing(String)
    /// The benchmark did not get what it needed to measure.
    case failed(String)
    var description: String {
        switch self {
        case .missing(let what): return "benchmark stopped: \(what)"
        case .failed(let what): return "benchmark failed: expected \(what)"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
