import LotboxStore
import NIOPosix
import Synchronization

/// Durable writes of requests that arrive together, committed together: one writer thread runs
/// every waiting write in one transaction, each in a savepoint of its own, and answers them all
/// after the one commit and its one sync to the disk (see LotStore.write).
///
/// Each write is still all or nothing on its own: one that throws is rolled back to its
/// savepoint and answered with its error, and the others go on. No write is answered before the
/// commit that holds it and its sync, so an answered write survives a power cut; a failed commit
/// is every waiting write's error (when only the sync failed, the writes made stand and are
/// answered so, and the store writes nothing more: see `StoreError.notSynced`). Thirty-two clients creating lots
/// would otherwise each wait for a commit and a sync of their own, one after another, on threads
/// that contend for SQLite's write lock.
final class GroupCommit: Sendable {
    private let store: LotStore
    private let writer: NIOThreadPool
    private let state = Mutex<State>(State())
    /// Writes per transaction at most: a burst is answered in parts rather than all at the end.
    static let batchLimit = 64

    private struct State: Sendable {
        var waiting: [any PendingWrite] = []
        var draining = false
    }

    /// `writer`: one thread of ``StoreThreads``, which starts and stops it.
    init(store: LotStore, writer: NIOThreadPool) {
        self.store = store
        self.writer = writer
    }

    /// Runs `work` in the next group's transaction and returns its result once that is committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (LotStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state -> Bool in
                state.waiting.append(Pending(work: work, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain { writer.submit { [self] _ in drain() } }
        }
    }

    /// On the writer thread: groups until nothing waits.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [any PendingWrite] in
                let taken = Array(state.waiting.prefix(Self.batchLimit))
                state.waiting.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            do {
                try store.transaction {
                    for write in batch { write.perform(store) }
                }
                for write in batch { write.finish(commitError: nil) }
            } catch {
                for write in batch { write.finish(commitError: error) }
            }
        }
    }
}

/// One waiting write; touched only by the writer thread once taken.
private protocol PendingWrite: AnyObject, Sendable {
    func perform(_ store: LotStore)
    func finish(commitError: (any Error)?)
}

private final class Pending<T: Sendable>: PendingWrite, @unchecked Sendable {
    let work: @Sendable (LotStore) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    /// Set by `perform` and read by `finish`, both on the writer thread, one after the other.
    var outcome: Result<T, any Error>?

    init(work: @escaping @Sendable (LotStore) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func perform(_ store: LotStore) {
        // Inside the group's transaction `transaction` is a savepoint: a refusal undoes this write alone.
        do { outcome = .success(try store.transaction { try work(store) }) } catch { outcome = .failure(error) }
    }

    func finish(commitError: (any Error)?) {
        if let commitError, case StoreError.notSynced = commitError, case .failure(let own)? = outcome {
            // Its own savepoint was undone: nothing of it was saved, whatever the sync did.
            continuation.resume(throwing: own)
        } else if let commitError {
            continuation.resume(throwing: commitError)
        } else if let outcome {
            continuation.resume(with: outcome)
        } else {
            continuation.resume(throwing: StoreError.database("a grouped write was never run"))
        }
    }
}
