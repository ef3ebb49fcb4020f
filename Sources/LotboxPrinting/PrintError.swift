/// Why a printer did not take a job or answer, in one line naming the printer.
public struct PrintError: Error, Equatable, Sendable, CustomStringConvertible {
    public let printer: String
    public let reason: String

    public init(printer: String, reason: String) {
        self.printer = printer
        self.reason = reason
    }

    public var description: String { "printer \(printer): \(reason)" }
}
