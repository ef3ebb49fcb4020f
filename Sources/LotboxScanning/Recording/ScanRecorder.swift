import LotboxCore
import LotboxStore

/// Recognizes each scan and writes it to the scan log, durably, before anything acts on it.
/// Runs on the reader's own thread: the log write is blocking I/O and stays off the shared pool.
/// Licences are logged redacted: their kind, the age check's outcome and a hash.
public struct ScanRecorder: Sendable {
    public let store: LotStore
    public let station: String?
    public let ageCheck: AgeCheck

    public init(store: LotStore, station: String?, ageCheck: AgeCheck) {
        self.store = store
        self.station = station
        self.ageCheck = ageCheck
    }

    /// Recognizes and logs one scan. Throws only when the store cannot be written (a full
    /// disk): the caller keeps the scan and retries; it is never dropped.
    public func record(_ input: ScanInput) throws -> RecordedScan {
        let (record, result, outcome) = Self.logRecord(for: input, station: station, ageCheck: ageCheck)
        let id = try store.recordScan(record)
        return RecordedScan(id: id, input: input, station: station, result: result, ageCheck: outcome,
                            committedNanos: MonotonicClock.nanoseconds())
    }

    /// What the log keeps for a scan; pure, so the fuzz test runs it a million times in memory.
    public static func logRecord(for input: ScanInput, station: String?, ageCheck: AgeCheck,
                                 today: CalendarDate? = nil)
        -> (ScanRecord, Result<Recognition, ScanRejection>, AgeCheck.Outcome?) {
        let bytes = input.frame.bytes
        let result: Result<Recognition, ScanRejection>
        if let problem = input.frame.problem {
            let kind: ScanRejection.Kind = if case .overlong = problem { .tooLong } else { .incomplete }
            result = .failure(ScanRejection(kind, problem.description))
        } else {
            result = ScanRecognizer.recognize(bytes)
        }
        let hash = SHA256.hex(bytes)
        var detail: [String: String] = [:]
        var outcome: AgeCheck.Outcome?
        let record: ScanRecord
        switch result {
        case .success(let recognition):
            if case .licence(let licence) = recognition.code {
                let checked = ageCheck.check(licence, today: today ?? ageCheck.today())
                outcome = checked
                detail["age_check"] = checked.description
                detail["minimum_age"] = String(ageCheck.minimumAge)
            }
            if recognition.isAmbiguous {
                detail["also"] = recognition.alternatives.map { "\($0.kind) \($0.value)" }.joined(separator: "; ")
            }
            let personal = recognition.code.isPersonal
            record = ScanRecord(station: station, device: input.device, status: .recognized, kind: recognition.code.kind,
                                value: recognition.code.value, symbology: recognition.aim?.symbology,
                                raw: personal ? nil : bytes, rawSHA256: hash, rawLength: bytes.count, reason: nil,
                                detail: detail, scannedAt: input.at)
        case .failure(let rejection):
            // A rejected scan that starts like a licence may still hold a name: keep only the hash.
            let personal = input.frame.mayHoldPersonalData
            if personal { detail["redacted"] = "looks like licence data" }
            record = ScanRecord(station: station, device: input.device, status: .rejected, kind: rejection.kind.rawValue,
                                value: nil, symbology: nil, raw: personal ? nil : bytes, rawSHA256: hash,
                                rawLength: bytes.count, reason: rejection.reason, detail: detail, scannedAt: input.at)
        }
        return (record, result, outcome)
    }
}
