import LotboxCore
import LotboxMetrics
import LotboxStore

/// Recognizes each scan and writes it to the scan log, durably, before anything acts on it.
/// Runs on the reader's own thread: the log write is blocking I/O and stays off the shared pool.
/// Recognition decides what is withheld (`ScanRecognizer.withholds`): a licence is logged as its
/// issuer and the age check's outcome, with neither its bytes nor any hash of them.
public struct ScanRecorder: Sendable {
    public let store: LotStore
    public let station: String?
    public let ageCheck: AgeCheck
    /// Loaded only when the station remembers customers.
    let customerKey: Result<CustomerKey, ScannerError>?

    public init(store: LotStore, station: String?, ageCheck: AgeCheck) {
        self.store = store
        self.station = station
        self.ageCheck = ageCheck
        customerKey = ageCheck.rememberCustomersDays == nil ? nil
            : Result { () throws(ScannerError) in try CustomerKey.load(forStore: store.path) }
    }

    /// Recognizes and logs one scan. Throws only when the store cannot be written (a full
    /// disk): the caller keeps the scan and retries; it is never dropped.
    public func record(_ input: ScanInput) throws -> RecordedScan {
        var (record, result, outcome) = Self.logRecord(for: input, station: station, ageCheck: ageCheck, clock: store.checkClock())
        var visits: Int?
        if let days = ageCheck.rememberCustomersDays, case .success(let recognition) = result, case .licence(let licence) = recognition.code {
            switch customerKey {
            case .success(let key):
                // The number is read here and nowhere else, and only its keyed hash leaves.
                if let number = AAMVALicence.number(in: input.frame.bytes) {
                    visits = try store.rememberCustomer(key.token(issuer: licence.issuer ?? "", number: number), station: station, keepDays: days)
                    record.detail["earlier_visits"] = String(visits ?? 0)
                } else {
                    record.detail["customer"] = "not remembered: the licence has no number"
                }
            case .failure(let error):
                record.detail["customer"] = "not remembered: \(error)"
            case nil:
                break
            }
        }
        let id = try store.recordScan(record)
        Telemetry.scanRecorded(kind: record.kind, outcome: record.status.rawValue)
        return RecordedScan(id: id, input: input, station: station, result: result, ageCheck: outcome, earlierVisits: visits,
                            committedNanos: MonotonicClock.nanoseconds())
    }

    /// What the log keeps for a scan; pure, so the fuzz test runs it a million times in memory.
    public static func logRecord(for input: ScanInput, station: String?, ageCheck: AgeCheck,
                                 today: CalendarDate? = nil, clock: ClockStatus = .ok)
        -> (ScanRecord, Result<Recognition, ScanRejection>, AgeCheck.Outcome?) {
        let bytes = input.frame.bytes
        var result = ScanRecognizer.recognize(bytes)
        let withheld: Bool
        switch result {
        case .success(let recognition): withheld = recognition.code.isPersonal
        case .failure(let rejection): withheld = rejection.withheld
        }
        if let problem = input.frame.problem {
            // Half a scan is never acted on, but recognition still decides whether it is shown.
            let kind: ScanRejection.Kind = if case .overlong = problem { .tooLong } else { .incomplete }
            result = .failure(ScanRejection(kind, problem.description, withheld: withheld))
        }
        let raw = withheld ? nil : bytes
        let hash = withheld ? nil : SHA256Digest.hex(bytes)
        var detail: [String: String] = [:]
        var outcome: AgeCheck.Outcome?
        let record: ScanRecord
        switch result {
        case .success(let recognition):
            if case .licence(let licence) = recognition.code {
                let checked = ageCheck.check(licence, today: today ?? ageCheck.today(), clock: clock)
                outcome = checked
                detail["age_check"] = checked.description
                detail["minimum_age"] = String(ageCheck.minimumAge)
            }
            if recognition.isAmbiguous {
                detail["also"] = recognition.alternatives.map { "\($0.kind) \($0.value)" }.joined(separator: "; ")
            }
            record = ScanRecord(station: station, device: input.device, status: .recognized, kind: recognition.code.kind,
                                value: recognition.code.value, symbology: recognition.aim?.symbology,
                                raw: raw, rawSHA256: hash, rawLength: bytes.count, reason: nil,
                                detail: detail, scannedAt: input.at)
        case .failure(let rejection):
            if withheld { detail["redacted"] = "may hold personal data" }
            record = ScanRecord(station: station, device: input.device, status: .rejected, kind: rejection.kind.rawValue,
                                value: nil, symbology: nil, raw: raw, rawSHA256: hash,
                                rawLength: bytes.count, reason: rejection.reason, detail: detail, scannedAt: input.at)
        }
        return (record, result, outcome)
    }
}
