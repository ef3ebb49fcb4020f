import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a printer's raw port (AppSocket / JetDirect, 9100). Non-blocking
/// underneath so that every step (connect, each write, the wait for the printer to close) has a
/// deadline: a printer that takes the connection and then stops reading must not hang the
/// printer's thread. Owns its descriptor; used from one thread.
final class PrinterSocket {
    private let fd: Int32
    private let printer: String

    /// Why a step failed, and how many bytes of the job had left by then (`written` > 0 means
    /// the printer may have printed part of it).
    struct Failure: Error {
        var reason: String
        var written: Int
    }

    private init(fd: Int32, printer: String) {
        self.fd = fd
        self.printer = printer
    }

    deinit { close(fd) }

    /// Connects within `timeout` seconds, trying each address the host resolves to.
    static func connect(host: String, port: Int, timeout: Double, printer: String) throws(Failure) -> PrinterSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw Failure(reason: "cannot resolve \(host) (\(String(cString: gai_strerror(status))))", written: 0)
        }
        defer { freeaddrinfo(first) }
        let deadline = Date().addingTimeInterval(timeout)
        var lastReason = "no address for \(host)"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastReason = "socket: \(String(cString: strerror(errno)))"; continue }
            var one: Int32 = 1
            // A label is one write; Nagle would hold its tail back waiting for an ACK.
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                return PrinterSocket(fd: fd, printer: printer)
            }
            guard errno == EINPROGRESS else {
                lastReason = "cannot connect to \(host):\(port) (\(String(cString: strerror(errno))))"
                close(fd)
                continue
            }
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                lastReason = "no answer from \(host):\(port) within \(timeout) s"
                close(fd)
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                lastReason = "cannot connect to \(host):\(port) (\(String(cString: strerror(error))))"
                close(fd)
                continue
            }
            return PrinterSocket(fd: fd, printer: printer)
        }
        throw Failure(reason: lastReason, written: 0)
    }

    /// Writes all of `bytes`; each stall waits at most until `deadline`.
    func write(_ bytes: [UInt8], deadline: Date) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard PrinterSocket.wait(fd, for: Int16(POLLOUT), until: deadline) else {
                    throw Failure(reason: "stopped taking data at byte \(offset) of \(bytes.count)", written: offset)
                }
                continue
            }
            throw Failure(reason: "connection broke at byte \(offset) of \(bytes.count) (\(String(cString: strerror(errno))))", written: offset)
        }
    }

    /// The end of a job: no more data from us (FIN), then the printer's back-channel is read
    /// until it closes. The job is done when the printer closes its side cleanly, or, for a
    /// printer that keeps the connection open, when the kernel holds none of our bytes unacknowledged
    /// at `deadline`. A reset on the way is a broken job.
    func finish(written: Int, deadline: Date) throws(Failure) {
        guard shutdown(fd, Int32(SHUT_WR)) == 0 else {
            throw Failure(reason: "connection broke at the end of the job (\(String(cString: strerror(errno))))", written: written)
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return }
            if count > 0 { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                if PrinterSocket.wait(fd, for: Int16(POLLIN), until: deadline) { continue }
                var unsent: Int32 = 0
                if ioctl(fd, UInt(TIOCOUTQ), &unsent) == 0 && unsent == 0 { return }
                throw Failure(reason: "did not take the last \(unsent) bytes of the job", written: written)
            }
            throw Failure(reason: "connection broke at the end of the job (\(String(cString: strerror(errno))))", written: written)
        }
    }

    /// Reads what the printer sends until `complete` says it is whole or `deadline` passes.
    func read(until deadline: Date, complete: ([UInt8]) -> Bool) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !complete(received) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard PrinterSocket.wait(fd, for: Int16(POLLIN), until: deadline) else { break }
            } else {
                break
            }
        }
        return received
    }

    /// Polls for `events` until `deadline`; false on timeout or error.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}
