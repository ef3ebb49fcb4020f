import Hummingbird
import NIOCore
import NIOPosix
import Logging
import ServiceLifecycle

/// The API as one service of `lotbox serve`'s group: Hummingbird on `[api] listen`, with an
/// idle timeout so a client that stops sending (headers or body) cannot hold a connection.
/// Over TLS when `tls` is given (`[api] tls_certificate`).
public struct APIServer: Service {
    let application: Application<RouterResponder<APIContext>>

    public init(host: String, port: Int, services: APIServices, logger: Logger, tls: APITLS? = nil) {
        let router = APIRouter.build(routes: APIRoutes.all, services: services)
        if let pages = services.pages { PageRoutes.register(on: router, pages: pages, services: services) }
        application = Application(
            router: router,
            server: .api(.init(idleTimeout: .seconds(30)), tls: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: "lotbox"),
            eventLoopGroupProvider: .shared(Self.eventLoops),
            logger: logger
        )
    }

    /// An error while the group is already stopping (a connection cut by the shutdown) is the
    /// shutdown itself, not a failure: `serve` exits 0 on SIGTERM. `run()`, not `runService()`:
    /// the latter is a service group of its own that also catches SIGTERM, stopped the API before
    /// serve's group knew of the signal, and serve then exited 1 ("finished unexpectedly").
    public func run() async throws {
        let executor = APIExecutor(threads: Self.handlerThreads)
        do {
            try await executor.run { try await application.run() }
        } catch {
            await executor.shutdown()
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            throw error
        }
        await executor.shutdown()
    }

    /// Request handling runs on threads of its own (``APIExecutor``): one a core, and at least
    /// two, so a read that waits on the disk does not stop the others. On this two-core box four
    /// threads (and two event loops) only switched between each other: `bench api` measured
    /// 11.1-13.1k GETs/s with p99 7.5-9.2 ms against 13.8-15.9k/s and 4.4-4.7 ms with two
    /// threads and one event loop.
    static let handlerThreads = max(2, System.coreCount)

    /// The sockets' event loops, shared by the process's API servers: one per two cores. An event
    /// loop only moves bytes and parses HTTP, which one thread does faster than this box answers.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))
}
