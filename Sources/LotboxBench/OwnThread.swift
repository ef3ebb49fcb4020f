import Foundation

/// Blocking work (store writes, a FIFO's waits, polling the print queue) on a thread of its
/// own, never on the shared concurrency pool the API's event loops hand work to.
enum OwnThread {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            Thread { done.resume(with: Result { try work() }) }.start()
        }
    }
}
