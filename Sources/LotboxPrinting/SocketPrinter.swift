import Foundation

/// A Zebra (or any ZPL printer) on its raw TCP port: `socket://host:9100`. Each job is one
/// connection: connect, write the ZPL, close our side, and wait for the printer to close its
/// own. There are no job ids: a job is done when every byte was taken and the connection ended
/// cleanly; a connection that breaks part-way leaves a job that may have printed. Status comes
/// from `~HS` on a connection of its own, where the printer answers it. Blocking; call it from
/// the printer's own thread, never the shared concurrency pool.
public final class SocketPrinter: Sendable {
    public let uri: String
    public let host: String
    public let port: Int
    /// How long a connect, or a stall in a write, may take.
    public let timeout: Double

    /// Reads `socket://host[:port]` (port 9100 when not given); anything else in the URI is refused.
    public init(uri: String, timeout: Double = 5) throws(PrintError) {
        self.uri = uri
        self.timeout = timeout
        guard let parts = SocketPrinter.parse(uri) else {
            throw PrintError(printer: uri, reason: "is not a socket URI; expected socket://host or socket://host:port (port 1-65535)")
        }
        (host, port) = parts
    }

    /// Host and port of `socket://host[:port]`, or nil for anything else (a path, a query, a
    /// user, a port out of range).
    public static func parse(_ uri: String) -> (host: String, port: Int)? {
        guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "socket",
              let host = components.host, !host.isEmpty, components.user == nil, components.query == nil,
              components.path.isEmpty || components.path == "/" else { return nil }
        let port = components.port ?? 9100
        guard (1...65535).contains(port) else { return nil }
        // URLComponents keeps an IPv6 address's brackets.
        return (host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port)
    }

    /// Sends one job. Throws with `partlySent` when the connection broke after some of it left.
    public func send(_ document: [UInt8], endWithin closeWait: Double = 5) throws(PrintError) {
        let socket: PrinterSocket
        do {
            socket = try PrinterSocket.connect(host: host, port: port, timeout: timeout, printer: uri)
        } catch {
            throw PrintError(printer: uri, reason: error.reason)
        }
        do {
            try socket.write(document, deadline: Date().addingTimeInterval(timeout))
            try socket.finish(written: document.count, deadline: Date().addingTimeInterval(closeWait))
        } catch {
            throw PrintError(printer: uri, reason: error.reason, partlySent: error.written > 0)
        }
    }

    /// Opens a connection for a stream of labels written one after another (a run of queued
    /// labels in one connection, memory bounded by one label).
    public func open() throws(PrintError) -> SocketPrintStream {
        do {
            return SocketPrintStream(socket: try PrinterSocket.connect(host: host, port: port, timeout: timeout, printer: uri), printer: self)
        } catch {
            throw PrintError(printer: uri, reason: error.reason)
        }
    }

    /// The printer's `~HS` answer, or nil when it gives none within `answerWithin` seconds (not
    /// every ZPL printer answers, and a Zebra stays silent in some fault states): status unknown.
    /// Throws only when the printer cannot be reached at all.
    public func hostStatus(answerWithin: Double = 1) throws(PrintError) -> ZebraHostStatus? {
        let socket: PrinterSocket
        do {
            socket = try PrinterSocket.connect(host: host, port: port, timeout: timeout, printer: uri)
            try socket.write(Array("~HS\r\n".utf8), deadline: Date().addingTimeInterval(timeout))
        } catch {
            throw PrintError(printer: uri, reason: error.reason)
        }
        let answer = socket.read(until: Date().addingTimeInterval(answerWithin), complete: ZebraHostStatus.isComplete)
        return ZebraHostStatus(answer)
    }

    /// The printer's state in IPP's terms: from `~HS`, or "unknown" with no reasons when the
    /// printer took the connection but did not answer.
    public func status(answerWithin: Double = 1) throws(PrintError) -> PrinterStatus {
        guard let answer = try hostStatus(answerWithin: answerWithin) else {
            return PrinterStatus(state: "unknown", reasons: [], documentFormats: ["application/vnd.zebra-zpl"], resolutions: [],
                                 mediaReady: [], isAcceptingJobs: true)
        }
        return answer.printerStatus
    }
}
