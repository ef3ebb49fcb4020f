import Foundation
import LotboxTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `lotbox serve` answering the API on a loopback port of its own, for tests that speak HTTP to it.
/// Every wait on it has a deadline.
struct APIServer {
    let process: Process
    let port: Int
    let log: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A loopback port nobody listens on now: bound to 0, read back, released. Another program could take it
    /// before serve binds it; serve then fails to start, and `waitUntilHealthy` reports that with its log.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(socketFD, socketAddress, length) == 0 && getsockname(socketFD, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "could not bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func start(config: String, folder: String, port: Int, environment: [String: String] = [:]) throws -> APIServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["serve", "--config", config]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = folder + "/serve-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: log, contents: nil), let output = FileHandle(forWritingAtPath: log) else {
            throw Failure(description: "cannot write serve's log \(log)")
        }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try spawnLock.withLock { try process.run() }
        return APIServer(process: process, port: port, log: log)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var output: String { String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self) }

    /// Polls GET /health until it answers 200 "ok"; false if the daemon exits or `seconds` pass first.
    func waitUntilHealthy(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && process.isRunning {
            if let reply = LoopbackHTTP.get(port: port, path: "/health", timeout: 2),
               reply.status == 200, reply.body.trimmingCharacters(in: .whitespacesAndNewlines) == "ok" {
                return true
            }
            usleep(100_000)
        }
        return false
    }

    /// SIGTERM, then up to `seconds` for the daemon to exit; SIGKILL after that. True if it exited on its own.
    @discardableResult
    func stop(seconds: Double) -> Bool {
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        let killDeadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < killDeadline { usleep(50_000) }
        return false
    }
}

/// One HTTP/1.1 GET over a loopback TCP socket, with a receive timeout: enough to poll /health without a client
/// library that could wait forever.
enum LoopbackHTTP {
    static func get(port: Int, path: String, timeout: Double, headers: [String: String] = [:]) -> (status: Int, body: String)? {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return nil }
        defer { close(socketFD) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(extra)Connection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socketFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            return nil
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let head = text.range(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<head.lowerBound].split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var body = String(text[head.upperBound...])
        if text[..<head.lowerBound].lowercased().contains("transfer-encoding: chunked") {
            body = dechunk(body)
        }
        return (status, body)
    }

    private static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            guard let end = rest.utf8.index(start, offsetBy: size, limitedBy: rest.endIndex) else { break }
            body += rest[start..<end]
            rest = rest[end...].dropFirst(2)
        }
        return body
    }
}
