import Foundation

/// Runs wrk (Debian's) as a second process and reads its summary.
enum Wrk {
    struct Result {
        var requestsPerSecond: Double
        var p99Milliseconds: Double
        var non2xx: Int
        /// What the script wrote about the first refused request, if any.
        var firstRefusal: String?
    }

    static func run(url: String, script: String, seconds: Int, connections: Int) async throws -> Result {
        let output: String = try await withCheckedThrowingContinuation { done in
            Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
                process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, url]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        done.resume(throwing: BenchError.failed("wrk to exit 0 (it said: \(String(decoding: data, as: UTF8.self)))"))
                        return
                    }
                    done.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    done.resume(throwing: BenchError.failed("wrk to start (apt-get install wrk): \(error)"))
                }
            }.start()
        }
        return try parse(output)
    }

    static func parse(_ output: String) throws -> Result {
        var rate: Double?, p99: Double?, non2xx = 0, refusal: String?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("first refused"), refusal == nil { refusal = String(line) }
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.first == "Requests/sec:", words.count > 1 { rate = Double(words[1]) }
            if words.first == "99%", words.count > 1 { p99 = milliseconds(String(words[1])) }
            if line.contains("Non-2xx or 3xx responses:"), let last = words.last { non2xx = Int(last) ?? 0 }
        }
        guard let rate, let p99 else { throw BenchError.failed("wrk's summary with Requests/sec and a 99% line, got: \(output)") }
        return Result(requestsPerSecond: rate, p99Milliseconds: p99, non2xx: non2xx, firstRefusal: refusal)
    }

    /// "1.23ms", "850.00us", "1.02s" in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}

/// A loopback port nobody listens on, and waiting for a listener to come up on one.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.failed("a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchError.failed("a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForListener(port: Int, seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError.failed("the API to listen on port \(port) within \(Int(seconds)) s")
    }
}
