import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells when the store's files change, whoever wrote them (lotbox, or another program's SQL):
/// inotify on the store's folder, read on a thread of its own. The daemon then looks at the
/// change feed; nothing polls in a busy loop.
final class StoreWatcher: @unchecked Sendable {
    private let inotify: Int32
    private var stopPipe: [Int32] = [-1, -1]
    private var thread: Thread?

    /// Calls `changed` (on the watcher's thread) after writes to `path` or its WAL.
    init(path: String, changed: @escaping @Sendable () -> Void) throws {
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw WatchError(message: "inotify_init1 failed: \(String(cString: strerror(errno)))") }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let mask = UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)
        guard inotify_add_watch(inotify, folder.isEmpty ? "." : folder, mask) >= 0 else {
            close(inotify)
            throw WatchError(message: "cannot watch \(folder): \(String(cString: strerror(errno)))")
        }
        guard pipe(&stopPipe) == 0 else {
            close(inotify)
            throw WatchError(message: "pipe failed: \(String(cString: strerror(errno)))")
        }
        let fd = inotify, stop = stopPipe[0]
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
                guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
                if fds[1].revents != 0 { return }
                guard fds[0].revents != 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { continue }
                // Events name files in the folder: only the store's own count.
                var offset = 0, relevant = false
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let (length, fileName) = buffer.withUnsafeBytes { raw -> (Int, String) in
                        let event = raw.load(fromByteOffset: offset, as: inotify_event.self)
                        let nameStart = offset + MemoryLayout<inotify_event>.size
                        let nameBytes = raw[nameStart..<min(count, nameStart + Int(event.len))].prefix { $0 != 0 }
                        return (Int(event.len), String(decoding: nameBytes, as: UTF8.self))
                    }
                    if fileName.hasPrefix(name) { relevant = true }
                    offset += MemoryLayout<inotify_event>.size + length
                }
                if relevant { changed() }
            }
        }
        thread.name = "lotbox-store-watcher"
        self.thread = thread
        thread.start()
    }

    func stop() {
        if stopPipe[1] >= 0 {
            var byte: UInt8 = 1
            _ = write(stopPipe[1], &byte, 1)
        }
    }

    deinit {
        stop()
        close(inotify)
        for fd in stopPipe where fd >= 0 { close(fd) }
    }
}

struct WatchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
