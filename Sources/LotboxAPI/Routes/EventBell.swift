import Foundation

/// Wakes the `/events` streams when this process has just decided a scan, so a kiosk's screen
/// shows it at once instead of at the stream's next look at the store. The streams still look
/// every `EventRoutes.poll` for what other processes wrote: the bell only makes them look sooner.
public final class EventBell: @unchecked Sendable {
    private let lock = NSLock()
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextID: UInt64 = 0

    public init() {}

    /// Wakes every stream waiting now.
    public func ring() {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns at the next ring or after `timeout`, whichever is first.
    func wait(upTo timeout: Duration) async {
        let id = lock.withLock { () -> UInt64 in
            nextID += 1
            return nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let cancelled = self.lock.withLock { () -> Bool in
                            if Task.isCancelled { return true }
                            self.waiters[id] = continuation
                            return false
                        }
                        if cancelled { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = self.lock.withLock { self.waiters.removeValue(forKey: id) }
                    waiter?.resume()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
