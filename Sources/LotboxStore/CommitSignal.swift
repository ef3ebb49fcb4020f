import Synchronization

/// Tells listeners in this process, right after it happens, that one of this process's writes
/// committed (after its sync to the disk, for a write that waits for one). A watcher of the store's files cannot say so
/// reliably: the last file event of a commit is the write of its WAL frames, and the commit
/// becomes visible only after the WAL index's update (shared memory, which makes no file event),
/// so a look taken at that event often finds nothing yet, and print-on-create from the API, a
/// page or a scanner would wait for the watcher's slow fallback.
public final class CommitSignal: Sendable {
    private let listeners = Mutex<[UInt64: @Sendable () -> Void]>([:])
    private let lastID = Atomic<UInt64>(0)

    public init() {}

    /// Calls `listener` after every commit of this process's store writes, on the writing
    /// thread: it must only hand the news on (yield to a stream, signal a condition).
    public func listen(_ listener: @escaping @Sendable () -> Void) -> UInt64 {
        let id = lastID.add(1, ordering: .relaxed).newValue
        listeners.withLock { $0[id] = listener }
        return id
    }

    public func stopListening(_ id: UInt64) {
        _ = listeners.withLock { $0.removeValue(forKey: id) }
    }

    func fire() {
        let current = listeners.withLock { Array($0.values) }
        for listener in current { listener() }
    }
}
