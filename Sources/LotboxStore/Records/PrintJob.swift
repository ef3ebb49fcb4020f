/// One thing to print, from queued to completed, failed, held or canceled.
public struct PrintJob: StoreRecord, Equatable {
    public static let databaseTableName = "print_job"
    public var id: String
    /// lot-label, later sale-receipt and command-sheet.
    public var kind: String
    /// What is printed: the lot id for a lot label.
    public var objectId: String?
    public var template: String
    /// A configured printer's name.
    public var printer: String
    public var copies: Int
    /// queued, submitted, completed, failed, held or canceled.
    public var state: String
    /// Why it failed or is held.
    public var reason: String?
    /// The printer's (or CUPS') id once submitted.
    public var cupsJobId: Int?
    public var attempts: Int
    public var nextAttemptAt: String?
    /// Resubmitted after a crash to a printer that could not say whether it had the job.
    public var possibleDuplicate: Bool
    /// When the printer accepted the document, and when it finished the job.
    public var submittedAt: String?
    public var completedAt: String?
    public var createdAt: String
    public var updatedAt: String
    /// The batch (the printer's job) the label rides in now, or rode in last.
    public var batchId: String?
}
