/// Why a printer did not take a job or answer, in one line naming the printer.
public struct PrintError: Error, Equatable, Sendable, CustomStringConvertible {
    public let printer: String
    public let reason: String
    /// The printer had created the job (`jobID`) when this happened: it may print it anyway.
    public let jobID: Int?

    public init(printer: String, reason: String, jobID: Int? = nil) {
        self.printer = printer
        self.reason = reason
        self.jobID = jobID
    }

    public var description: String { "printer \(printer): \(reason)" }
}
