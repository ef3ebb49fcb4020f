import Foundation
import LotboxLabels

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
    private var printer: Process
    private let command: String
    private let socket: String
    private let attributes: String

    /// The stock of each template, as the printer names it in `media-ready`.
    public static let twoByOne = "oe_2x1-label_2x1in"
    public static let fourByTwo = "oe_4x2-label_4x2in"
    public static let fourBySix = "na_index-4x6_4x6in"
    /// An 80 mm receipt roll: the receipt template (72 mm printable) fits it, any length.
    public static let receiptRoll = "roll_current_80x3276mm"

    /// - Parameter command: run by the printer for each job (its `STATE: +media-empty` lines set
    ///   the printer's state reasons); `/bin/true` prints instantly.
    /// - Parameter moreAttributes: ATTR lines added to the standard set (`ATTR rangeOfInteger
    ///   copies-supported 1-4`), for a printer that says more about itself.
    /// - Parameter media: what it says it has loaded (`media-ready`; one entry a roll or tray):
    ///   the stock of every template a test prints on it, since lotbox holds labels whose stock
    ///   is not loaded. The default is 4x2 in, the stock of lot-4x2 (the configuration's default
    ///   template); empty: the printer says nothing of its media.
    /// - Parameter formats: the document formats it takes (`document-format-supported`); nil:
    ///   the standard PWG raster and PNG.
    public init(command: String = "/bin/true", moreAttributes: String = "", media: [String] = [VirtualLabelPrinter.fourByTwo],
                formats: [String]? = nil) throws {
        self.command = command
        folder = try TemporaryFolder.make()
        spool = folder + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let standard = RealDecoder.supportFolder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/virtual-label-printer.conf").path
        attributes = folder + "/attributes.conf"
        var text = VirtualLabelPrinter.withMedia(try String(contentsOfFile: standard, encoding: .utf8), media)
        if let formats {
            text = text.replacingOccurrences(of: "ATTR mimeMediaType document-format-supported image/pwg-raster,image/png",
                                             with: "ATTR mimeMediaType document-format-supported \(formats.joined(separator: ","))")
        }
        try (text + "\n" + moreAttributes + "\n").write(toFile: attributes, atomically: true, encoding: .utf8)
        chmod(folder, 0o755)
        chmod(spool, 0o755)
        let socket = folder + "/dbus.sock"
        self.socket = socket
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--session", "--nofork", "--address=unix:path=\(socket)"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        bus = daemon
        try spawnLock.withLock { try daemon.run() }
        try VirtualLabelPrinter.wait("the D-Bus socket") { FileManager.default.fileExists(atPath: socket) }
        var started: (Process, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            if let process = try? VirtualLabelPrinter.launch(port: port, spool: spool, command: command, attributes: attributes, socket: socket) {
                started = (process, port)
            }
        }
        guard let (process, port) = started else {
            kill(bus.processIdentifier, SIGKILL)
            throw DecoderError(message: "ippeveprinter did not start")
        }
        printer = process
        self.port = port
    }

    /// Starts ippeveprinter again on the same port and spool (after `stop()`), as a printer
    /// that was switched off and on: it remembers no jobs.
    public func restart() throws {
        stop()
        for _ in 0..<50 {
            if let process = try? VirtualLabelPrinter.launch(port: port, spool: spool, command: command, attributes: attributes, socket: socket) {
                printer = process
                return
            }
            usleep(100_000)
        }
        throw DecoderError(message: "ippeveprinter did not start again on port \(port)")
    }

    /// Starts the printer again with other media loaded (its `media-ready`), as a person
    /// changing the roll does; it remembers no jobs.
    public func restart(media: [String]) throws {
        let text = try String(contentsOfFile: attributes, encoding: .utf8)
        try VirtualLabelPrinter.withMedia(text, media).write(toFile: attributes, atomically: true, encoding: .utf8)
        try restart()
    }

    /// Starts the printer again saying its loaded media only by size (`media-col-ready`, no
    /// `media-ready`), as some printers do: each size in hundredths of a mm, a nil length a roll.
    public func restart(mediaSizes: [(width: Int, length: Int?)]) throws {
        let text = try String(contentsOfFile: attributes, encoding: .utf8)
        try VirtualLabelPrinter.withMedia(text, [], sizes: mediaSizes).write(toFile: attributes, atomically: true, encoding: .utf8)
        try restart()
    }

    /// The attributes with `media-ready` set to `media` (no line at all when empty) and
    /// `media-col-ready` to `sizes` (likewise).
    static func withMedia(_ text: String, _ media: [String], sizes: [(width: Int, length: Int?)] = []) -> String {
        let collections = sizes.map { size in
            let length = size.length.map { "MEMBER integer y-dimension \($0)" } ?? "MEMBER rangeOfInteger y-dimension 2540-100000"
            return "{MEMBER collection media-size {MEMBER integer x-dimension \(size.width) \(length)} MEMBER keyword media-source main}"
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("ATTR keyword media-ready ") && !$0.hasPrefix("ATTR collection media-col-ready ") }
            .map(String.init)
            .joined(separator: "\n") + (media.isEmpty ? "" : "\nATTR keyword media-ready \(media.joined(separator: ","))\n")
            + (collections.isEmpty ? "" : "\nATTR collection media-col-ready \(collections.joined(separator: ","))\n")
    }

    /// The running ippeveprinter's process id, for a test script that switches the printer off itself.
    public var processID: Int32 { printer.processIdentifier }

    /// Freezes the printer (SIGSTOP): it accepts connections and never answers.
    public func hang() { kill(printer.processIdentifier, SIGSTOP) }

    /// Lets a hung printer go on (SIGCONT).
    public func resume() { kill(printer.processIdentifier, SIGCONT) }

    private static func launch(port: Int, spool: String, command: String, attributes: String, socket: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ippeveprinter")
        process.arguments = ["-p", String(port), "-d", spool, "-k", "-c", command, "-a", attributes, "-r", "off", "Lotbox Test \(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(socket)"]) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try spawnLock.withLock { try process.run() }
        try? wait("ippeveprinter on port \(port)") { !process.isRunning || accepts(port: port) }
        guard process.isRunning, accepts(port: port) else {
            if process.isRunning { process.terminate() }
            throw DecoderError(message: "ippeveprinter did not start on port \(port)")
        }
        return process
    }

    deinit {
        stop()
        // dbus-daemon does not always heed SIGTERM; a test bus has nothing to save.
        if bus.isRunning {
            kill(bus.processIdentifier, SIGKILL)
            bus.waitUntilExit()
        }
    }

    /// Stops the printer (as a crash would), keeping its spool.
    public func stop() {
        resume()
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

    /// Every page of the documents the printer received, oldest document first, with the file
    /// each came in (a batch is one document of many pages). Throws while a document is still
    /// arriving (its raster ends early), unless `skippingIncomplete`: a printer killed while a
    /// document arrived never printed it.
    public func receivedPages(skippingIncomplete: Bool = false) throws -> [(file: String, page: MonoBitmap)] {
        try received().flatMap { file -> [(file: String, page: MonoBitmap)] in
            do {
                return try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))).map { (file: file, page: $0) }
            } catch where skippingIncomplete {
                return []
            }
        }
    }

    static func accepts(port: Int) -> Bool {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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

    public static func wait(_ what: String, seconds: Double = 5, until ready: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !ready() {
            guard Date() < deadline else { throw DecoderError(message: "timed out waiting for \(what)") }
            usleep(20_000)
        }
    }
}
