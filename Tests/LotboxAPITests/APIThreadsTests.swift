import Foundation
@testable import LotboxAPI
import LotboxStore
import LotboxTestSupport
import Testing

/// The API answers while every thread of Swift's shared pool is blocked (a hung library call
/// would do that): its handlers run on threads of its own (``APIExecutor``), reads included.
@Suite(.timeLimit(.minutes(5)), .onOwnThreads) struct APIThreadsTests {
    @Test func theAPIAnswersWhileTheSharedPoolIsBlocked() async throws {
        let server = try await TradeTestServer()
        let farm = try server.party("Threads", type: "grower")
        let product = try server.store.addProduct(NewProduct(name: "Threads Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "test")
        let lot = try server.store.createLot(NewLot(licenseKey: farm.license.id, productKey: product.id, qty: "7 g"), actor: "test")
        let sid = try await server.session(farm)
        let blockers = (0..<ProcessInfo.processInfo.activeProcessorCount * 2).map { _ in
            Task.detached { usleep(3_000_000) }
        }
        // curl waits on this thread, blocking it too: the whole pool is busy while the API answers.
        let started = Date()
        let reply = try runProgram("/usr/bin/curl", ["-s", "--noproxy", "*", "--max-time", "2", "-H", "Authorization: Bearer v2024/\(sid)",
                                                     "http://127.0.0.1:\(server.port)/inventory/\(lot.id)"], deadline: 10)
        let elapsed = Date().timeIntervalSince(started)
        for blocker in blockers { await blocker.value }
        await server.stop()
        #expect(reply.status == 0, "curl exited \(reply.status): \(reply.err)")
        #expect(reply.out.contains("\"id\":\"\(lot.id)\""), "GET /inventory/\(lot.id) answered: \(reply.out)")
        #expect(elapsed < 2.5, "the read took \(elapsed) s, while the pool was blocked for 3 s")
    }

    /// The API's event loop and handler threads run five nice steps below the process's main
    /// thread (a scan or a label comes first on a busy box): a fixed value, so a thread asked
    /// twice, or started by one already there, is not lowered again; the main thread is left as
    /// it was.
    @Test func theAPIsThreadsRunBelowTheRest() async throws {
        let main = try #require(Self.niceOfMainThread())
        let lowered = min(19, main + 5)
        let loop = try await APIServer.eventLoops.next().submit { Self.niceOfCallingThread() }.get()
        #expect(loop == lowered, "the event loop runs at nice \(String(describing: loop)); the main thread at \(main)")
        let executor = APIExecutor(threads: 2)
        let handlers = try await executor.run {
            try await withThrowingTaskGroup(of: Int32?.self) { group in
                for _ in 0..<8 { group.addTask { usleep(2_000); return Self.niceOfCallingThread() } }
                return try await group.reduce(into: [Int32?]()) { $0.append($1) }
            }
        }
        // A second executor started from one of the first one's threads: its threads begin at
        // the lowered value and stay there.
        let nested = try await executor.run {
            let inner = APIExecutor(threads: 2)
            let nice = try await inner.run { Self.niceOfCallingThread() }
            await inner.shutdown()
            return nice
        }
        await executor.shutdown()
        #expect(handlers.count == 8 && handlers.nonEmptyAllSatisfy { $0 == lowered }, "handler threads ran at nice \(handlers); the main thread at \(main)")
        #expect(nested == lowered, "a second executor's thread ran at nice \(String(describing: nested)), not \(lowered)")
        #expect(Self.niceOfMainThread() == main, "the main thread went from nice \(main) to \(String(describing: Self.niceOfMainThread()))")
    }

    /// The main thread's nice value, from /proc (its task id is the process id).
    static func niceOfMainThread() -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(getpid())/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 16 ? Int32(fields[16]) : nil
    }

    /// The calling thread's nice value (Linux: `who` 0 is the calling thread).
    static func niceOfCallingThread() -> Int32? {
        errno = 0
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return errno == 0 ? nice : nil
    }
}
