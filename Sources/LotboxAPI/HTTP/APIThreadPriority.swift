#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix

/// The API's own threads (its event loop and its handler threads) run a few steps below the
/// rest of the process (a higher nice value): a scan at the dock or the kiosk, and a label on
/// its way to the printer, are what a person is waiting for, and on a two-core box a burst of
/// API reads would otherwise hold the cores they need. Only while the box is busy does this
/// change anything: idle cores still go to the API. Raising a thread's own nice value needs no
/// privilege; lowering it again does, so the target is a fixed value (the main thread's plus
/// `steps`), never a step from where a thread stands: asking twice changes nothing, and a thread
/// that started at the target (Linux gives a new thread its creator's value) is left there.
/// A thread started from one of these inherits the value. The API's handlers start none of
/// their own (the daemon's long-lived threads, printers' and scanners', are started by its
/// services), but libdispatch may start a worker from one when its pool grows, and that worker
/// then runs at this value too.
enum APIThreadPriority {
    /// Nice steps below the process's main thread.
    static let steps: Int32 = 5

    /// The value the API's threads run at: the main thread's (on Linux, `getpriority` of the
    /// process id reads the main thread's own) plus `steps`, at most 19.
    static var target: Int32? {
        #if os(Linux)
        errno = 0
        let main = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        return errno == 0 ? min(19, main + steps) : nil
        #else
        return nil
        #endif
    }

    /// Sets the calling thread to `target` unless it already runs there or lower. On Linux a
    /// nice value is a thread's, and `who` 0 names the calling thread (setpriority(2), NOTES).
    static func lowerCurrentThread() {
        #if os(Linux)
        guard let target else { return }
        errno = 0
        let now = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0, now < target else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, target)
        #endif
    }

    /// Lowers each thread of a pool of `count`: one task per thread, each held until all have
    /// run, so no thread takes two. The caller does not wait: work submitted meanwhile queues
    /// behind these for the moment it takes the pool's threads to start. A pool shut down
    /// before its threads took these runs them on another thread as cancelled: those only
    /// check in, so nothing is lowered that is not the pool's and nobody waits for ever.
    static func lower(_ pool: NIOThreadPool, count: Int) {
        let barrier = Barrier(count)
        for _ in 0..<count {
            pool.submit { state in
                guard case .active = state else {
                    barrier.arrive()
                    return
                }
                lowerCurrentThread()
                barrier.arriveAndWait()
            }
        }
    }

    /// Lowers each event loop's thread.
    static func lower(_ group: MultiThreadedEventLoopGroup) {
        for loop in group.makeIterator() {
            loop.execute { lowerCurrentThread() }
        }
    }

    /// Holds each of `count` threads until all have arrived.
    private final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private var waiting: Int

        init(_ count: Int) { waiting = count }

        func arriveAndWait() {
            condition.lock()
            waiting -= 1
            if waiting == 0 { condition.broadcast() }
            while waiting > 0 { condition.wait() }
            condition.unlock()
        }

        /// Counts in without waiting for the others.
        func arrive() {
            condition.lock()
            waiting -= 1
            if waiting == 0 { condition.broadcast() }
            condition.unlock()
        }
    }
}
