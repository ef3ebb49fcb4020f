import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real IPP Everywhere printer on loopback for tests: ippeveprinter (cups-ipp-utils) set up
/// as a 203-dpi label printer, with the private D-Bus bus Debian's build needs, keeping every
/// document it receives in its spool folder. Stopped when released.
public final class VirtualLabelPrinter: @unchecked Sendable {
    public let port: Int
    public let folder: String
    public let spool: String
    public var uri: String { "ipp://localhost:\(port)/ipp/print" }
    private let bus: Process
    private let printer: Process

    /// - Parameter command: run by the printer for each job (its `STATE: +media-empty` lines set
    ///   the printer's state reasons); `/bin/true` prints instantly.
    public init(command: String = "/bin/true") throws {
        folder = try TemporaryFolder.make()
        spool = folder + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        chmod(folder, 0o755)
        chmod(spool, 0o755)
        let socket = folder + "/dbus.sock"
        bus = Process()
        bus.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        bus.arguments = ["--session", "--nofork", "--address=unix:path=\(socket)"]
        bus.standardOutput = FileHandle.nullDevice
        bus.standardError = FileHandle.nullDevice
        try bus.run()
        try VirtualLabelPrinter.wait("the D-Bus socket") { FileManager.default.fileExists(atPath: socket) }
        let attributes = RealDecoder.supportFolder.appendingPathComponent("label-printer-203dpi.conf").path
        var started: (Process, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ippeveprinter")
            process.arguments = ["-p", String(port), "-d", spool, "-k", "-c", command, "-a", attributes, "-r", "off", "Lotbox Test \(port)"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(socket)"]) { $1 }
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            if (try? VirtualLabelPrinter.wait("ippeveprinter on port \(port)") { !process.isRunning || VirtualLabelPrinter.accepts(port: port) }) != nil,
               process.isRunning {
                started = (process, port)
            } else if process.isRunning {
                process.terminate()
            }
        }
        guard let (process, port) = started else {
            bus.terminate()
            throw DecoderError(message: "ippeveprinter did not start")
        }
        printer = process
        self.port = port
    }

    deinit {
        stop()
        bus.terminate()
    }

    /// Stops the printer (as a crash would), keeping its spool.
    public func stop() {
        if printer.isRunning {
            kill(printer.processIdentifier, SIGKILL)
            printer.waitUntilExit()
        }
    }

    /// The documents the printer received, oldest first.
    public func received() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []
        return files.filter { !$0.hasSuffix(".prn") }.sorted {
            (Int($0.prefix { $0.isNumber }) ?? 0) < (Int($1.prefix { $0.isNumber }) ?? 0)
        }.map { spool + "/" + $0 }
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

    static func wait(_ what: String, seconds: Double = 5, until ready: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !ready() {
            guard Date() < deadline else { throw DecoderError(message: "timed out waiting for \(what)") }
            usleep(20_000)
        }
    }
}
