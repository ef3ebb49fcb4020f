import NIOPosix

/// Threads of the API's own that run its request handling: Hummingbird's connection tasks are
/// started under this task executor preference, so a handler runs here, never on the shared
/// concurrency pool's two threads, and may read the store where it stands instead of hopping to
/// the store's threads and back for every request (two thread switches out of a read's few).
/// Writes still go to the store's threads (``StoreThreads``): a writer waiting for SQLite's
/// write lock must not hold a thread that reads are served on.
public final class APIExecutor: TaskExecutor {
    private let pool: NIOThreadPool

    /// True inside ``run(_:)``: the handlers of that server run on these threads.
    @TaskLocal static var isCurrent = false

    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // After shutdown the pool calls this at once on the caller's thread: the job still runs,
        // so nothing waiting on it is left hanging.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }

    /// Runs `body`, and every task it starts, on these threads.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await Self.$isCurrent.withValue(true) {
            try await withTaskExecutorPreference(self) { try await body() }
        }
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
