import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private LPrint (Debian's `lprint`) for tests: its own state file (XDG_DATA_HOME), spool,
/// log, control socket (TMPDIR) and IPP port on loopback, so it touches nothing of the machine's
/// (as root LPrint would otherwise keep /etc/lprint.conf). Stopped and removed when released.
public final class PrivateLPrint: @unchecked Sendable {
    public let port: Int
    public let folder: String
    private let server: Process

    private var environment: [String: String] { ["XDG_DATA_HOME": folder, "TMPDIR": folder, "HOME": folder] }

    public init() throws {
        // Short and outside $TMPDIR: the control socket's path must fit a sockaddr_un.
        folder = "/tmp/lotbox-lprint-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/spool", withIntermediateDirectories: true)
        var started: (Process, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/lprint")
            process.arguments = ["server", "-o", "server-port=\(port)", "-o", "listen-hostname=127.0.0.1",
                                 "-o", "log-file=\(folder)/lprint.log", "-o", "log-level=info",
                                 "-o", "spool-directory=\(folder)/spool", "-o", "server-options=no-web-interface"]
            process.environment = ProcessInfo.processInfo.environment.merging(["XDG_DATA_HOME": folder, "TMPDIR": folder, "HOME": folder]) { $1 }
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try spawnLock.withLock { try process.run() }
            try? VirtualLabelPrinter.wait("lprint on port \(port)") { !process.isRunning || VirtualLabelPrinter.accepts(port: port) }
            // The IPP port takes connections before the control socket that `lprint add` talks
            // to is there ("Starting system." follows it in the log). An `lprint add` that finds
            // no server starts one of its own, and the printer is added there instead.
            let log = folder + "/lprint.log"
            try? VirtualLabelPrinter.wait("lprint's control socket", seconds: 10) {
                !process.isRunning || ((try? String(contentsOfFile: log, encoding: .utf8))?.contains("Starting system.") ?? false)
            }
            if process.isRunning && VirtualLabelPrinter.accepts(port: port)
                && ((try? String(contentsOfFile: log, encoding: .utf8))?.contains("Starting system.") ?? false) {
                started = (process, port)
            } else if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        guard let (process, port) = started else { throw DecoderError(message: "lprint server did not start") }
        server = process
        self.port = port
    }

    deinit {
        // SIGKILL: the server inherits the test process's blocked signals, SIGTERM among them.
        if server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Adds printer `name` with LPrint's `driver` (zpl_2inch-203dpi-dt...) on `device`
    /// (socket://127.0.0.1:PORT), its loaded media set to `media`; returns its IPP URI.
    public func addPrinter(_ name: String, device: String, driver: String, media: String) throws -> String {
        let added = try runProgram("/usr/bin/lprint", ["add", "-d", name, "-v", device, "-m", driver], environment: environment, deadline: 30)
        guard added.status == 0 else { throw DecoderError(message: "lprint add failed: \(added.err)") }
        let modified = try runProgram("/usr/bin/lprint", ["modify", "-d", name, "-o", "media-ready=\(media)", "-o", "media-default=\(media)"],
                                      environment: environment, deadline: 30)
        guard modified.status == 0 else { throw DecoderError(message: "lprint modify failed: \(modified.err)") }
        return "ipp://127.0.0.1:\(port)/ipp/print/\(name)"
    }

    public var log: String { (try? String(contentsOfFile: folder + "/lprint.log", encoding: .utf8)) ?? "" }
}
