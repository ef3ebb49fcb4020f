import NIOPosix

/// Threads of their own for the store's blocking calls (SQLite reads and writes through GRDB),
/// so a handler awaiting the store never holds one of the shared concurrency pool's two threads.
public final class StoreThreads: Sendable {
    private let pool: NIOThreadPool
    /// The one thread that commits grouped writes (``GroupCommit``).
    let writer: NIOThreadPool

    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        writer = NIOThreadPool(numberOfThreads: 1)
        writer.start()
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
        try? await writer.shutdownGracefully()
    }
}
