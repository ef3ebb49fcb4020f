import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The CUPS of `bench print --raw-queue`: a private cupsd on loopback with its own folders and
/// port (under /tmp: cupsd runs its backends as lp, which must reach them), no authentication,
/// and raw queues. Stopped when released.
final class BenchCups: @unchecked Sendable {
    let port: Int
    let folder: String
    /// `host:port` for the queue's cups_server ("localhost": libcups sends requests for a queue
    /// on any other host name to the queue's device instead).
    var server: String { "localhost:\(port)" }
    private let daemon: Process

    init() throws {
        folder = "/tmp/lotbox-bench-cups-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for sub in ["", "/spool", "/cache", "/state", "/log", "/tmp", "/ppd"] {
            try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true)
            chmod(folder + sub, 0o755)
        }
        var started: (Process, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            try """
                Listen 127.0.0.1:\(port)
                ServerName 127.0.0.1
                ServerAlias *
                LogLevel warn
                Browsing Off
                DefaultAuthType None
                WebInterface No
                PreserveJobHistory Yes
                PreserveJobFiles No
                MaxJobs 2000
                <Location />
                  Order allow,deny
                  Allow all
                </Location>
                <Policy default>
                  <Limit All>
                    Order deny,allow
                  </Limit>
                </Policy>
                """.write(toFile: folder + "/cupsd.conf", atomically: true, encoding: .utf8)
            try """
                ServerRoot \(folder)
                RequestRoot \(folder)/spool
                CacheDir \(folder)/cache
                StateDir \(folder)/state
                TempDir \(folder)/tmp
                AccessLog \(folder)/log/access_log
                ErrorLog \(folder)/log/error_log
                PageLog \(folder)/log/page_log
                """.write(toFile: folder + "/cups-files.conf", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/cupsd")
            process.arguments = ["-f", "-c", folder + "/cupsd.conf", "-s", folder + "/cups-files.conf"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && !BenchCups.accepts(port: port) && Date() < deadline { usleep(20_000) }
            if process.isRunning && BenchCups.accepts(port: port) {
                started = (process, port)
            } else if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        guard let (process, port) = started else { throw BenchError.failed("a private cupsd (/usr/sbin/cupsd) to start on loopback") }
        daemon = process
        self.port = port
    }

    deinit {
        if daemon.isRunning {
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Adds a raw queue (no driver: ZPL reaches the device untouched) that aborts a job whose
    /// connection fails, so lotbox settles it rather than cupsd stopping the queue.
    func addRawQueue(_ name: String, uri: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/lpadmin")
        process.arguments = ["-h", server, "-p", name, "-E", "-v", uri, "-o", "printer-error-policy=abort-job"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError.failed("lpadmin to add queue \(name): \(message)") }
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
