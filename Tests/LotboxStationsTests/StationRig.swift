import Foundation
import GRDB
import Logging
import LotboxCore
import LotboxScanning
import LotboxStations
import LotboxTestSupport
import Synchronization
import Testing
@testable import LotboxStore

/// A real store, real readers on FIFOs (one per station, as scanners would be), the recorder
/// and the stations wired as `lotbox serve` wires them.
final class StationRig: @unchecked Sendable {
    let folder: String
    let store: LotStore
    let sender: License
    let shop: License
    let flower: Product
    let eighth: Product
    let quarantine: Section
    private(set) var router: StationRouter!
    private var readers: [ScannerReader] = []
    private var writers: [String: Int32] = [:]
    private let decisions = Decisions()

    init(stations: [StationConfig]) throws {
        folder = try TemporaryFolder.make()
        store = try LotStore(path: folder + "/lotbox.sqlite", create: true)
        sender = try store.addLicense(name: "Sender Farm", code: "S-1", typeKey: "grower", actor: "test")
        shop = try store.addLicense(name: "Dock Shop", code: "R-1", typeKey: "retail", actor: "test")
        flower = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g", unitPrice: "10"), actor: "test")
        eighth = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35",
                                                 codes: ["036000291452"]), actor: "test")
        quarantine = try store.addSection(name: "Hold", type: .inventoryQuarantine, actor: "test")
        try start(stations)
    }

    /// Starts a reader per station and the router, as a (re)started daemon does.
    func start(_ stations: [StationConfig], store: LotStore? = nil) throws {
        let store = store ?? self.store
        let logger = Logger(label: "lotbox.test.station")
        let decisions = self.decisions
        router = StationRouter(configs: stations, store: store, logger: logger) { event in
            decisions.list.withLock { $0.append(event) }
        }
        let router = router!
        for station in stations {
            let path = folder + "/scanner-\(station.name)"
            if access(path, F_OK) != 0 { #expect(mkfifo(path, 0o600) == 0) }
            let recorder = ScanRecorder(store: store, station: station.name, ageCheck: station.ageChecker(in: .utc))
            let reader = try ScannerReader(config: ScannerConfig(name: "\(station.name)-scanner", path: path, kind: .stream), logger: logger) { input in
                do {
                    router.deliver(try recorder.record(input))
                } catch {
                    Issue.record("scan not recorded: \(error)")
                }
            }
            reader.start()
            readers.append(reader)
        }
    }

    func stop() {
        readers.forEach { $0.stop() }
        readers.removeAll()
        writers.values.forEach { close($0) }
        writers.removeAll()
    }

    /// Scans each code at `station` through its reader and waits for the station's decisions.
    @discardableResult
    func scan(_ station: String, _ codes: String..., licence: [UInt8]? = nil) throws -> [StationEvent] {
        let path = folder + "/scanner-\(station)"
        if writers[path] == nil {
            let deadline = Date().addingTimeInterval(30)
            while writers[path] == nil && Date() < deadline {
                let fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd >= 0 { writers[path] = fd } else { usleep(5_000) }
            }
        }
        guard let fd = writers[path] else { throw DecoderError(message: "no reader on \(path)") }
        let before = decisions.list.withLock { $0.count }
        let bytes = Array(codes.map { $0 + "\n" }.joined().utf8)
        let expected = codes.count + (licence == nil ? 0 : 1)
        let deadline = Date().addingTimeInterval(30)
        if let licence {
            // A licence ends at the scanner's quiet gap (its line breaks cannot end it): the
            // codes after it are scanned once it has been decided on, as a person would.
            _ = (licence + [0x0D]).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            while Date() < deadline && decisions.list.withLock({ $0.count }) < before + 1 { usleep(2_000) }
        }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        while Date() < deadline {
            let now = decisions.list.withLock { $0 }
            if now.count >= before + expected { return Array(now[before...]) }
            usleep(2_000)
        }
        throw DecoderError(message: "expected \(expected) decisions at \(station), got \(decisions.list.withLock { $0.count } - before)")
    }

    func lot(_ qty: String, product: Product, metrc: String? = nil, section: Section? = nil) throws -> Lot {
        try store.createLot(NewLot(licenseKey: shop.id, productKey: product.id, sectionKey: section?.id, qty: qty,
                                   externalIDs: metrc.map { [.metrc: $0] } ?? [:]), actor: "test")
    }

    /// The store's invariants: every lot's qty is the sum of its ledger, and none is negative.
    func checkInvariants() throws {
        try store.read { db in
            let mismatched = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM inventory i WHERE i.qty <> (SELECT sum(delta) FROM inventory_ledger l WHERE l.inventory_id = i.id)
                """)
            let negative = try Int.fetchOne(db, sql: "SELECT count(*) FROM inventory WHERE qty < 0")
            #expect(mismatched == 0, "lots whose qty is not their ledger's sum")
            #expect(negative == 0, "lots with negative stock")
        }
    }

    func qty(_ lotID: String) throws -> Int64 { try store.lot(id: lotID)?.qty ?? -1 }

    deinit { stop() }
}

extension Array where Element == StationEvent {
    var outcomes: [StationEvent.Outcome] { map(\.outcome) }
    var actions: [String] { map(\.action) }
}

final class Decisions: Sendable {
    let list = Mutex<[StationEvent]>([])
}
