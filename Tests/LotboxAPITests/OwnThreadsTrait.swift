import Dispatch
import Testing

/// Runs a test, and every task it starts, on threads of its own rather than Swift's shared pool.
///
/// The suite runs many tests that block a pool thread while a child process runs (the CLI
/// tests): with two pool threads, an async test can wait minutes for a turn, and its own
/// deadlines (a client's 10 s, the wait for /health) then expire while it waits, not while the
/// server thinks. The in-process API tests keep their deadlines honest this way.
struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(OwnThreads.executor) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    static var onOwnThreads: Self { Self() }
}

/// The threads: a concurrent dispatch queue of the test process's own, which gets a thread for
/// each job even while the shared pool's threads are all blocked.
final class OwnThreads: TaskExecutor {
    static let executor = OwnThreads()
    private let queue = DispatchQueue(label: "lotbox.test.own-threads", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
