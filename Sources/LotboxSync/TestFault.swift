import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A fault the sync tests inject into a real `lotbox serve`: with
/// `LOTBOX_TEST_KILL_AFTER_UPSTREAM_CREATES=N` in its environment, the process SIGKILLs itself
/// right after the upstream answered its Nth create and before the box recorded the upstream's
/// id, the one moment a blind retry would make a duplicate upstream. Unset, it costs a load.
enum TestFault {
    static let killAfter: Int? = ProcessInfo.processInfo.environment["LOTBOX_TEST_KILL_AFTER_UPSTREAM_CREATES"].flatMap(Int.init)
    static let creates = Atomic<Int>(0)

    static func afterUpstreamCreate() {
        guard let killAfter else { return }
        let count = creates.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        if count >= killAfter { kill(getpid(), SIGKILL) }
    }
}
