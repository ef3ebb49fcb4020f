import Foundation

/// One connection to a socket printer carrying several labels: each written as it is rendered,
/// then the end of the job as for a single one. Owns its connection; used from one thread.
public final class SocketPrintStream {
    private let socket: PrinterSocket
    private let printer: SocketPrinter
    /// Bytes that have left so far: any, and a broken connection may have printed something.
    public private(set) var written = 0

    init(socket: PrinterSocket, printer: SocketPrinter) {
        self.socket = socket
        self.printer = printer
    }

    public func write(_ bytes: [UInt8]) throws(PrintError) {
        do {
            try socket.write(bytes, deadline: Date().addingTimeInterval(printer.timeout))
        } catch {
            throw PrintError(printer: printer.uri, reason: error.reason, partlySent: written + error.written > 0)
        }
        written += bytes.count
    }

    /// Ends the job: done when the printer closes cleanly (or holds none of our bytes unacknowledged).
    public func finish(endWithin closeWait: Double = 5) throws(PrintError) {
        do {
            try socket.finish(written: written, deadline: Date().addingTimeInterval(closeWait))
        } catch {
            throw PrintError(printer: printer.uri, reason: error.reason, partlySent: written > 0)
        }
    }
}
