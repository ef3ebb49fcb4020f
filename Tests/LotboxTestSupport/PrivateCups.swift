import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private cupsd on loopback for tests, as an integrator's box has one: its own folders and
/// port, no authentication, job history kept. Queues forward to IPP printers with `-m everywhere`.
/// Stopped when released.
public final class PrivateCups: @unchecked Sendable {
    public let port: Int
    public let folder: String
    /// `host:port` for CUPS_SERVER. "localhost": libcups treats a queue on any other host name as
    /// remote and sends its requests to the queue's device URI instead.
    public var server: String { "localhost:\(port)" }
    private let daemon: Process

    public init() throws {
        // cupsd runs its backends as lp, which must reach every folder on the way: under /tmp,
        // not under $TMPDIR (a fresh clone's folder may be private to root).
        folder = "/tmp/lotbox-cups-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o755)
        for sub in ["spool", "cache", "state", "log", "tmp", "ppd"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            chmod(folder + "/" + sub, 0o755)
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
                MaxJobs 500
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
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try spawnLock.withLock { try process.run() }
            try? VirtualLabelPrinter.wait("cupsd on port \(port)") { !process.isRunning || VirtualLabelPrinter.accepts(port: port) }
            if process.isRunning && VirtualLabelPrinter.accepts(port: port) {
                started = (process, port)
            } else if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        guard let (process, port) = started else { throw DecoderError(message: "cupsd did not start") }
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

    /// Adds queue `name` forwarding to an IPP Everywhere printer, and waits until it is ready.
    public func addQueue(_ name: String, uri: String) throws {
        let result = try runProgram("/usr/sbin/lpadmin", ["-h", server, "-p", name, "-E", "-v", uri, "-m", "everywhere"])
        guard result.status == 0 else { throw DecoderError(message: "lpadmin failed: \(result.err)") }
        try VirtualLabelPrinter.wait("the PPD of \(name)", seconds: 15) { FileManager.default.fileExists(atPath: folder + "/ppd/\(name).ppd") }
    }

    /// Adds a raw queue `name` (no driver: documents go to the device untouched, as a Zebra's
    /// ZPL must) with the printer-error-policy `errorPolicy`: CUPS' default, stop-printer, stops
    /// the queue when the device's connection is lost; retry-current-job sends the job again.
    public func addRawQueue(_ name: String, uri: String, errorPolicy: String = "retry-current-job") throws {
        let result = try runProgram("/usr/sbin/lpadmin", ["-h", server, "-p", name, "-E", "-v", uri, "-o", "printer-error-policy=\(errorPolicy)"])
        guard result.status == 0 else { throw DecoderError(message: "lpadmin failed: \(result.err)") }
    }

    /// Runs a CUPS command-line tool against this cupsd (cupsreject, cupsaccept, lpstat...).
    @discardableResult
    public func tool(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(path, ["-h", server] + arguments)
    }
}
