import LotboxPrinting

extension PrinterConfig {
    /// How the printer is now, whatever kind it is: IPP's printer attributes, or a Zebra's `~HS`
    /// on its raw port. The one way `printer status`, the API and `config check` ask. Blocking.
    public func currentStatus(timeout: Double = 5) throws(PrintError) -> PrinterStatus {
        if isSocket, let uri {
            return try SocketPrinter(uri: uri, timeout: timeout).status(answerWithin: min(timeout, 1))
        }
        return try IPPPrinter(uri: uri, name: queue, server: server, timeout: timeout).status()
    }
}
