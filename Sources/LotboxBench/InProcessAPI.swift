import Foundation
import Logging
import LotboxAPI
import LotboxStore
import ServiceLifecycle

/// `lotbox serve`'s API service in this process, on a free loopback port, with 4 store threads
/// as serve has, in one service group with whatever else serve would run beside it (the label
/// queue, for the load figure).
struct InProcessAPI {
    let url: String
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let threads: StoreThreads

    static func start(store: LotStore, beside others: [any Service] = [], logger: Logger) async throws -> InProcessAPI {
        let port = try FreePort.find()
        let threads = StoreThreads(threads: 4)
        let services = APIServices(store: store, threads: threads, gate: V2024Gate(serverKey: try ServerKey.generate(), clients: [:]), logger: logger)
        let server = APIServer(host: "127.0.0.1", port: port, services: services, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server] + others, gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        let api = InProcessAPI(url: "http://127.0.0.1:\(port)", group: group, running: running, threads: threads)
        do {
            try await FreePort.waitForListener(port: port, seconds: 10)
        } catch {
            await api.stop()
            throw error
        }
        return api
    }

    /// Stops the group (the label queue finishes the job in hand) and the store threads.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await threads.shutdown()
    }
}
