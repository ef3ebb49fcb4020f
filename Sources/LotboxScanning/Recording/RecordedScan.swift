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
    /// Where the station remembers customers: how often this card was seen in the window before.
    public let earlierVisits: Int?
    /// Monotonic nanoseconds when the log row was committed.
    public let committedNanos: UInt64

    public init(id: Int64, input: ScanInput, station: String?, result: Result<Recognition, ScanRejection>,
                ageCheck: AgeCheck.Outcome?, earlierVisits: Int? = nil, committedNanos: UInt64) {
        self.id = id
        self.input = input
        self.station = station
        self.result = result
        self.ageCheck = ageCheck
        self.earlierVisits = earlierVisits
        self.committedNanos = committedNanos
    }

    public var recognition: Recognition? { try? result.get() }

    /// The journal's line for this scan: a licence shows only its issuer and the age check, and
    /// a rejection's reason never quotes withheld bytes.
    public var logMessage: String {
        switch result {
        case .success(let recognition):
            let check = ageCheck.map { " (age check \($0))" } ?? ""
            return "scan \(recognition.code.kind) \(recognition.code.value)\(check)"
        case .failure(let rejection):
            return "scan rejected: \(rejection.reason)"
        }
    }

    /// True when the scan's bytes are never shown: decided by recognition, not by the framer.
    public var isWithheld: Bool {
        switch result {
        case .success(let recognition): return recognition.code.isPersonal
        case .failure(let rejection): return rejection.withheld
        }
    }
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
