import Foundation

/// Store calls made one at a time on a thread of their own (a serial dispatch queue), never on
/// the shared concurrency pool: a write waits for its fsync, and the pool has two threads here.
public final class StoreLane: Sendable {
    let queue: DispatchQueue

    public init(label: String = "lotbox.store.lane") {
        queue = DispatchQueue(label: label)
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, Error>) in
            queue.async { done.resume(with: Result { try work() }) }
        }
    }
}
