/// Why a printer did not take a job or answer, in one line naming the printer.
public struct PrintError: Error, Equatable, Sendable, CustomStringConvertible {
    public let printer: String
    public let reason: String
    /// The printer had created the job (`jobID`) when this happened: it may print it anyway.
    public let jobID: Int?
    /// Part of the job had reached the printer when this happened (a socket printer, which has
    /// no job ids to ask about): it may have printed it.
    public let partlySent: Bool

    public init(printer: String, reason: String, jobID: Int? = nil, partlySent: Bool = false) {
        self.printer = printer
        self.reason = reason
        self.jobID = jobID
        self.partlySent = partlySent
    }

    public var description: String { "printer \(printer): \(reason)" }
}
