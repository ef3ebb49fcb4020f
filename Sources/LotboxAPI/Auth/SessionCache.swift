import LotboxStore
import Synchronization

/// Sessions already looked up, by sid hash, so a busy client's requests do not each cost a
/// store read. The store stays the truth: a session is put here only after the store has it,
/// and `auth/shut` removes it here and there. Bounded: a full cache starts again empty.
public final class SessionCache: Sendable {
    private let entries = Mutex<[String: APISession]>([:])
    private let capacity: Int

    public init(capacity: Int = 4096) { self.capacity = capacity }

    func get(_ sidHash: String, now: Int64) -> APISession? {
        entries.withLock { entries in
            guard let session = entries[sidHash] else { return nil }
            if session.expiresAt < now {
                entries[sidHash] = nil
                return nil
            }
            return session
        }
    }

    func put(_ session: APISession) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[session.sidHash] = session
        }
    }

    func remove(_ sidHash: String) {
        _ = entries.withLock { $0.removeValue(forKey: sidHash) }
    }
}
