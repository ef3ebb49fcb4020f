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
}
