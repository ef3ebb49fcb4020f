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
/// privilege.
enum APIThreadPriority {
    /// Nice steps below the process's own value.
    static let steps: Int32 = 5

    /// Lowers the calling thread. On Linux a nice value is a thread's, and `who` 0 names the
    /// calling thread (setpriority(2), NOTES).
    static func lowerCurrentThread() {
        #if os(Linux)
        let thread: id_t = 0
        errno = 0
        let now = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, min(19, now + steps))
        #endif
    }

    /// Lowers each thread of a pool of `count`: one task per thread, each held until all have
    /// run, so no thread takes two. The caller does not wait: work submitted meanwhile queues
    /// behind these for the moment it takes the pool's threads to start.
    static func lower(_ pool: NIOThreadPool, count: Int) {
        let barrier = Barrier(count)
        for _ in 0..<count {
            pool.submit { _ in
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
    }
}
