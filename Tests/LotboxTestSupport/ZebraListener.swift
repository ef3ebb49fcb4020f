import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Zebra on its raw port for tests: a TCP listener on loopback that records every job's bytes
/// (one connection, up to the sender's end) and answers `~HS` as a ZD420 does, with the flags a
/// test sets (paper out, head open, paused, label length). It can stay silent to `~HS`, or
/// reset connections part-way through a job like a printer switched off mid-label.
public final class ZebraListener: @unchecked Sendable {
    public let port: Int
    public var uri: String { "socket://127.0.0.1:\(port)" }

    /// What the printer reports; changed by tests while it runs.
    public struct Flags: Sendable {
        public var paperOut = false
        public var paused = false
        public var headUp = false
        public var ribbonOut = false
        public var labelLengthDots = 203
        /// Answer `~HS` at all.
        public var answersStatus = true
        /// Reset each job's connection after this many bytes (a printer dropping the link).
        public var resetAfterBytes: Int?
        public init() {}
    }

    private let listener: Int32
    private var stopPipe: [Int32] = [-1, -1]
    private let lock = NSCondition()
    private var jobs: [[UInt8]] = []
    private var statusQueries = 0
    private var flags = Flags()
    private var lastByteAt: [UInt64] = []

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw DecoderError(message: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var stop: [Int32] = [-1, -1]
        guard bound == 0, Glibc.listen(listener, 128) == 0, pipe(&stop) == 0 else {
            close(listener)
            throw DecoderError(message: "cannot listen on loopback: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        stopPipe = stop
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "zebra-listener"
        thread.start()
    }

    deinit {
        stop()
        for fd in stopPipe where fd >= 0 { close(fd) }
    }

    /// Stops listening and waits until the port is closed: a connect is then refused.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe[1], &byte, 1)
        while !stopped { lock.wait() }
    }

    private var stopped = false

    public func set(_ change: (inout Flags) -> Void) {
        lock.lock()
        change(&flags)
        lock.unlock()
    }

    /// The jobs received so far, each the bytes of one connection.
    public var received: [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return jobs
    }

    public var statusQueryCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return statusQueries
    }

    /// When each job's last byte arrived (CLOCK_REALTIME, ms since 1970), in arrival order.
    public var lastByteTimes: [UInt64] {
        lock.lock()
        defer { lock.unlock() }
        return lastByteAt
    }

    /// Waits until `count` jobs have arrived, or `seconds` pass; returns them.
    @discardableResult
    public func waitForJobs(_ count: Int, seconds: Double) -> [[UInt8]] {
        let deadline = Date().addingTimeInterval(seconds)
        lock.lock()
        defer { lock.unlock() }
        while jobs.count < count && lock.wait(until: deadline) {}
        return jobs
    }

    /// A ZD420's three `~HS` strings for `flags`.
    public static func hostStatus(_ flags: Flags) -> [UInt8] {
        func bit(_ value: Bool) -> String { value ? "1" : "0" }
        let length = String(format: "%04d", flags.labelLengthDots)
        let text = "\u{02}030,\(bit(flags.paperOut)),\(bit(flags.paused)),\(length),000,0,0,0,000,0,0,0\u{03}\r\n"
            + "\u{02}001,0,\(bit(flags.headUp)),\(bit(flags.ribbonOut)),1,2,6,0,00000000,1,000\u{03}\r\n"
            + "\u{02}1234,0\u{03}\r\n"
        return Array(text.utf8)
    }

    private func acceptLoop() {
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe[0], events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            if fds[1].revents != 0 { break }
            guard fds[0].revents != 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
        close(listener)
        lock.lock()
        stopped = true
        lock.broadcast()
        lock.unlock()
    }

    /// One connection: status queries at its start (`~HS`, and `~HQES`, which LPrint asks
    /// before each job) are answered and not recorded; what follows is a job, recorded when the
    /// sender ends it (or when the listener resets it).
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var queriesOnly = true
        while true {
            var entry = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            // A sender that vanishes without closing is given up after 10 s.
            guard poll(&entry, 1, 10_000) > 0 else { return }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data += buffer[0..<count]
            lock.lock()
            let current = flags
            lock.unlock()
            while queriesOnly {
                var answer: [UInt8]?
                if data.starts(with: Array("~HS".utf8)) {
                    data.removeFirst(3)
                    answer = ZebraListener.hostStatus(current)
                } else if data.starts(with: Array("~HQES".utf8)) {
                    data.removeFirst(5)
                    answer = ZebraListener.extendedStatus(current)
                } else if !data.isEmpty && Array("~HQES".utf8).starts(with: data) {
                    break  // the rest of the command is on its way
                } else {
                    queriesOnly = data.isEmpty
                    break
                }
                while let first = data.first, first == 10 || first == 13 { data.removeFirst() }
                lock.lock()
                statusQueries += 1
                lock.unlock()
                if current.answersStatus, let answer {
                    _ = answer.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
            if let limit = current.resetAfterBytes, !queriesOnly, data.count >= limit {
                // SO_LINGER 0: close() sends a reset, as a printer losing power would.
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                record(data)
                return
            }
        }
        if !data.isEmpty { record(data) }
    }

    /// A ZD420's `~HQES` answer: error flags (media out 1, ribbon out 2, head open 4) and no warnings.
    public static func extendedStatus(_ flags: Flags) -> [UInt8] {
        let errors = (flags.paperOut ? 1 : 0) | (flags.ribbonOut ? 2 : 0) | (flags.headUp ? 4 : 0)
        let text = "\u{02}\r\n\r\n  PRINTER STATUS\r\n    ERRORS:         \(errors == 0 ? 0 : 1) 00000000 \(String(format: "%08X", errors))\r\n"
            + "    WARNINGS:       0 00000000 00000000\r\n\u{03}\r\n"
        return Array(text.utf8)
    }

    private func record(_ data: [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        lock.lock()
        jobs.append(data)
        lastByteAt.append(UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000)
        lock.broadcast()
        lock.unlock()
    }
}
