#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One `lotbox serve` per store: a second would print every new lot's label again, read the
/// same scanners and push the same outbox. The daemon holds an exclusive lock on
/// `<store>.serve.lock` (its pid written in it) for as long as it runs; the kernel lets go when
/// the process ends, however it ends, so a crash leaves nothing to clean up.
final class ServeLock {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    static func path(forStore store: String) -> String { store + ".serve.lock" }

    /// Takes the lock, or says who holds it (nil when none does).
    static func take(forStore store: String) throws(CommandFailure) -> ServeLock {
        let path = Self.path(forStore: store)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CommandFailure(.cannotCreate, "cannot open \(path) (\(String(cString: strerror(errno)))); expected a writable folder beside the store")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(fd)
            close(fd)
            throw CommandFailure(.temporary, "another lotbox serve\(holder.map { " (pid \($0))" } ?? "") is serving \(store); "
                                 + "expected one daemon per store (stop it first, e.g. `sudo systemctl stop lotbox`)")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return ServeLock(fd: fd)
    }

    /// Whether a daemon holds the store's lock now (for `restore`), and its pid if it wrote one.
    static func heldBy(store: String) -> (held: Bool, pid: Int32?) {
        let fd = open(path(forStore: store), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (false, nil) }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return (false, nil)
        }
        return (true, holder(fd))
    }

    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
