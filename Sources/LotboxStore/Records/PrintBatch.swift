/// One job at a printer carrying several labels (a batch is one job): see SchemaV10PrintBatches.
public struct PrintBatch: StoreRecord, Equatable {
    public static let databaseTableName = "print_batch"
    public var id: String
    public var printer: String
    /// The document's MIME type: image/pwg-raster, application/pdf, image/png or ZPL.
    public var format: String
    /// sending, submitted, completed, stopped or abandoned.
    public var state: String
    /// The printer's (or CUPS') id for the job, once it made one.
    public var cupsJobId: Int?
    /// Pages in the document: each label's copies, one after another.
    public var pages: Int
    /// Pages the printer said it finished of a job that stopped part-way.
    public var impressionsCompleted: Int?
    public var reason: String?
    public var createdAt: String
    public var updatedAt: String
    public var completedAt: String?

    /// The name the job goes to the printer under: how lotbox finds it again after a crash.
    public var jobName: String { "lotbox-\(id)" }
}

/// A label in a batch: where it is in the document.
public struct PrintBatchLabel: StoreRecord, Equatable {
    public static let databaseTableName = "print_batch_label"
    public var batchId: String
    /// Its place among the batch's labels, from 0 (a label dropped while sending leaves a gap).
    public var position: Int
    public var printJobId: String
    /// The document's page its first copy is on, from 0, and how many pages its copies fill.
    public var firstPage: Int
    public var pages: Int
}
