import LotboxCore
import LotboxStore

/// A scan as written to the scan log: what the stations act on, after it is safe.
public struct RecordedScan: Sendable {
    public let id: Int64
    public let input: ScanInput
    public let station: String?
    public let result: Result<Recognition, ScanRejection>
    /// For a licence: the age check's outcome (the licence itself goes no further than this).
    public let ageCheck: AgeCheck.Outcome?
    /// Monotonic nanoseconds when the log row was committed.
    public let committedNanos: UInt64

    public var recognition: Recognition? { try? result.get() }
}
