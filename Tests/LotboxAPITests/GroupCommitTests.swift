import Foundation
@testable import LotboxAPI
import LotboxStore
import LotboxTestSupport
import Testing

/// Writes committed together stay each all or nothing: on a real SQLite store, many concurrent
/// creates through one ``GroupCommit``, some refused after they wrote, leave exactly the lots of
/// the writes that were answered with success, each once.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads) struct GroupCommitTests {
    @Test func concurrentWritesAreEachAllOrNothing() async throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? NSTemporaryDirectory()
        let folder = (base as NSString).appendingPathComponent("group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try LotStore(path: folder + "/lotbox.db", create: true)
        let company = try store.addCompany(name: "Group Co", actor: "test")
        let license = try store.addLicense(name: "Group Farm", code: "GROUP-1", typeKey: "grower", companyKey: company.id, actor: "test")
        let product = try store.addProduct(NewProduct(name: "Group Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let threads = StoreThreads(threads: 2)
        let group = GroupCommit(store: store, writer: threads.writer)

        // 60 writers at once; every fifth writes its lot and then refuses.
        let outcomes = await withTaskGroup(of: (Int, String?).self) { tasks in
            for index in 0..<60 {
                tasks.addTask {
                    let id = try? await group.write { store -> String in
                        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "\(index + 1) g"), actor: "test")
                        if index % 5 == 4 { throw OperationRefused("refused", "writer \(index) changed its mind") }
                        return lot.id
                    }
                    return (index, id)
                }
            }
            var all: [Int: String?] = [:]
            for await (index, id) in tasks { all[index] = id }
            return all
        }
        await threads.shutdown()

        let answered = outcomes.compactMapValues { $0 }
        #expect(answered.count == 48, "48 writes answered with a lot, 12 refused; got \(answered.count)")
        #expect(answered.keys.nonEmptyAllSatisfy { $0 % 5 != 4 }, "a refused writer was answered with a lot")
        let stored = try store.lots(LotFilter(licenseKey: license.id, limit: 1000))
        #expect(Set(stored.map(\.lot.id)) == Set(answered.values), "the store holds exactly the answered writes' lots")
        // Each lot is the one its writer made: quantities 1..60 g, none of a refused writer.
        let grams: Set<Int64> = Set(stored.map { $0.lot.qty / 10_000 })
        let expected: Set<Int64> = Set((0..<60).filter { $0 % 5 != 4 }.map { Int64($0 + 1) })
        #expect(grams == expected, "quantities \(grams.sorted())")
    }
}
