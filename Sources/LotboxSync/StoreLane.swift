import Foundation

/// The worker's store calls, one at a time on a thread of their own (a serial dispatch queue),
/// never on the shared concurrency pool: a write waits for its fsync there.
final class StoreLane: Sendable {
    let queue = DispatchQueue(label: "lotbox.sync.store")

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, Error>) in
            queue.async { done.resume(with: Result { try work() }) }
        }
    }
}
