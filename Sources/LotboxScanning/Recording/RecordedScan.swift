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

extension RecordedScan {
    /// A scan as it was logged, read back to act on it after a restart. Nil for a scan logged
    /// without its bytes (a licence): what it said is gone, so it cannot be acted on again.
    public init?(logged record: ScanRecord) {
        guard let id = record.id, let raw = record.raw else { return nil }
        let result: Result<Recognition, ScanRejection>
        switch record.status {
        case .recognized:
            result = ScanRecognizer.recognize(raw)
        case .rejected:
            result = .failure(ScanRejection(ScanRejection.Kind(rawValue: record.kind) ?? .malformed, record.reason ?? "could not be read"))
        }
        self.init(id: id, input: ScanInput(device: record.device, path: "-", frame: ScanFrame(bytes: raw), at: record.scannedAt),
                  station: record.station, result: result, ageCheck: nil, committedNanos: MonotonicClock.nanoseconds())
    }
}
