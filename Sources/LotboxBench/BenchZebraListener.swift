import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The printer of `bench print --socket`: a ZPL printer's raw port on loopback inside the bench
/// that takes each job as fast as loopback allows, answers `~HS` as a ready ZD420, and notes
/// when each job's last byte arrived. A real Zebra prints a few labels a second; this measures
/// lotbox, not the printer.
final class BenchZebraListener: @unchecked Sendable {
    let port: Int
    var uri: String { "socket://127.0.0.1:\(port)" }
    private let listener: Int32
    private let lock = NSCondition()
    private var lastBytes: [UInt64] = []
    private var bytes = 0
    private var stopping = false

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw BenchError.failed("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 512) == 0 else {
            close(listener)
            throw BenchError.failed("cannot listen on loopback: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Foundation.Thread { [self] in acceptLoop() }
        thread.name = "bench-zebra"
        thread.start()
    }

    /// Labels received so far.
    var jobCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return lastBytes.count
    }

    /// CLOCK_REALTIME microseconds of each label's last byte (its connection's end), in arrival order.
    var lastByteTimes: [UInt64] {
        lock.lock()
        defer { lock.unlock() }
        return lastBytes
    }

    /// Waits until `count` labels have arrived; false after `seconds`.
    func wait(for count: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        lock.lock()
        defer { lock.unlock() }
        while lastBytes.count < count { guard lock.wait(until: deadline) else { return lastBytes.count >= count } }
        return true
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// One connection at a time, in this thread: lotbox sends one job per connection, in order.
    private func acceptLoop() {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let ready = Array("\u{02}030,0,0,0203,000,0,0,0,000,0,0,0\u{03}\r\n\u{02}001,0,0,0,0,2,6,0,00000000,1,000\u{03}\r\n\u{02}1234,0\u{03}\r\n".utf8)
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock()
                let stop = stopping
                lock.unlock()
                if stop || (errno != EINTR && errno != ECONNABORTED) { break }
                continue
            }
            var received = 0
            var query = false
            // Labels in the connection: each starts with ^XA (a run of labels shares a connection).
            var labels = 0
            var matched = 0
            let start: [UInt8] = Array("^XA".utf8)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                if received == 0 && buffer[0] == UInt8(ascii: "~") && count >= 3 && buffer[1] == UInt8(ascii: "H") && buffer[2] == UInt8(ascii: "S") {
                    query = true
                    _ = ready.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                for byte in buffer[0..<count] {
                    matched = byte == start[matched] ? matched + 1 : (byte == start[0] ? 1 : 0)
                    if matched == start.count { labels += 1; matched = 0 }
                }
                received += count
            }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            close(connection)
            if query { continue }
            lock.lock()
            // Every label of the connection has arrived by its end.
            lastBytes += Array(repeating: UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000, count: labels)
            bytes += received
            lock.broadcast()
            lock.unlock()
        }
        close(listener)
    }
}
