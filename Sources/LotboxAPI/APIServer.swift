import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The API as one service of `lotbox serve`'s group: Hummingbird on `[api] listen`, with an
/// idle timeout so a client that stops sending (headers or body) cannot hold a connection.
public struct APIServer: Service {
    let application: Application<RouterResponder<APIContext>>

    public init(host: String, port: Int, services: APIServices, logger: Logger) {
        let router = APIRouter.build(routes: APIRoutes.all, services: services)
        application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(host, port: port), serverName: "lotbox"),
            logger: logger
        )
    }

    /// An error while the group is already stopping (a connection cut by the shutdown) is the
    /// shutdown itself, not a failure: `serve` exits 0 on SIGTERM.
    public func run() async throws {
        let executor = APIExecutor(threads: Self.handlerThreads)
        do {
            try await executor.run { try await application.runService() }
        } catch {
            await executor.shutdown()
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            throw error
        }
        await executor.shutdown()
    }

    /// Request handling runs on threads of its own (``APIExecutor``): four, so a read that waits
    /// on the disk does not stop the others on a two-core box.
    static let handlerThreads = 4
}
