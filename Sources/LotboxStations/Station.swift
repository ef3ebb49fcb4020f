import Logging
import LotboxCore
import LotboxMetrics
import LotboxScanning
import LotboxStore

/// A station: a state machine fed by recorded scans, its state kept in the store. Each scan's
/// decision is saved with the state it leads to and written to the audit log, in the scan's one
/// transaction; the decision is returned for the log and the terminal view.
public protocol Station: Sendable {
    var config: StationConfig { get }
    var store: LotStore { get }
    /// What this station does with a scan that was read (after the common commands); called
    /// inside the scan's transaction, so every store call it makes joins it.
    func decide(_ recognition: Recognition, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent
}

extension Station {
    /// One scan, as one IMMEDIATE transaction: the station's state is read, the scan decided
    /// and everything it leads to written while this process holds the store's write lock, so
    /// the daemon, `lotbox station scan` and a second daemon take turns per scan, whatever
    /// lock each keeps in its own memory. A scan some station already decided is not acted on
    /// again: the saved decision is returned.
    public func handle(_ scan: RecordedScan) -> StationEvent {
        let decided: StationEvent
        do {
            decided = try store.transaction {
                if let earlier = try store.decision(onScan: scan.id) { return earlier }
                return try act(scan)
            }
        } catch let error as StoreError {
            switch error {
            case .notSynced, .halted:
                // Each says itself whether the scan was saved (notSynced: saved, perhaps not for
                // good, so the cashier must not scan it again blindly).
                decided = event(scan, .refused, "error", "\(error)")
            default:
                decided = event(scan, .refused, "error", "nothing was saved: \(error)")
            }
        } catch {
            decided = event(scan, .refused, "error", "nothing was saved: \(error)")
        }
        Telemetry.stationDecided(station: decided.station, outcome: decided.outcome.rawValue, action: decided.action)
        return decided
    }

    /// Reads the state, decides and writes, in the caller's transaction: an unreadable scan is
    /// refused, QTY and EMPLOYEE are handled alike everywhere, and the rest is the station's own.
    /// The decision runs in a savepoint: a store refusal is recorded by the station itself, but
    /// any other error undoes everything the scan wrote (a count without its decision, say)
    /// before the error is recorded in its place.
    func act(_ scan: RecordedScan) throws -> StationEvent {
        let state = try currentState()
        do {
            return try store.transaction {
                switch scan.result {
                case .failure(let rejection):
                    return unreadable(scan, rejection, state: state)
                case .success(let recognition):
                    if let done = try common(scan, recognition.code, state: state) { return done }
                    return try decide(recognition, scan, state)
                }
            }
        } catch {
            return failed(scan, error, state: state)
        }
    }

    /// Who the store records as acting: the employee on duty, else the station.
    func actor(_ state: StationState) -> String { state.employee ?? config.employee ?? "station:\(config.name)" }

    func currentState() throws -> StationState {
        try store.stationState(config.name)
            ?? StationState(station: config.name, kind: config.kind.rawValue, employee: config.employee)
    }

    func event(_ scan: RecordedScan?, _ outcome: StationEvent.Outcome, _ action: String, _ message: String,
               _ objectType: String? = nil, _ objectID: String? = nil) -> StationEvent {
        StationEvent(station: config.name, scanLogID: scan?.id, outcome: outcome, action: action, message: message,
                     objectType: objectType, objectID: objectID)
    }

    /// Records a refusal (nothing changed) and returns it; inside a scan's transaction, in it.
    func refuse(_ scan: RecordedScan?, _ refusal: Refusal, state: StationState,
                _ objectType: String? = nil, _ objectID: String? = nil) -> StationEvent {
        let refused = event(scan, .refused, refusal.reason, refusal.message, objectType, objectID)
        _ = try? store.recordStationEvent(refused, actor: actor(state))
        return refused
    }

    /// The common commands: a quantity for the next scan, a badge; nil when the scan is not one.
    func common(_ scan: RecordedScan, _ code: ScanCode, state: StationState) throws -> StationEvent? {
        guard case .command(let command) = code else { return nil }
        var next = state
        let decided: StationEvent
        switch command {
        case .quantity(let amount):
            next.pendingQuantity = amount
            decided = event(scan, .info, "quantity", "next scan counts \(amount)")
        case .employee(let who):
            guard let holder = try store.badgeHolder(who, licenseKey: config.license) else {
                return refuse(scan, Refusal("unknown-employee", "badge LOTBOX:EMPLOYEE:\(who) names nobody who works for \(config.license); "
                                            + "expected an employee (`lotbox employee list`) or a contact of its company"), state: state)
            }
            next.employee = holder
            decided = event(scan, .info, "employee", "\(holder) is now working \(config.name)")
        default:
            return nil
        }
        try store.saveStation(next, event: decided, actor: actor(next))
        return decided
    }

    /// A scan that could not be read at all.
    func unreadable(_ scan: RecordedScan, _ rejection: ScanRejection, state: StationState) -> StationEvent {
        refuse(scan, Refusal("unreadable", "could not read the scan: \(rejection.reason)"), state: state)
    }

    /// Turns a store failure into a refusal the operator sees (and keeps the scan in the log).
    func failed(_ scan: RecordedScan?, _ error: any Error, state: StationState) -> StationEvent {
        if let refusal = error as? Refusal { return refuse(scan, refusal, state: state) }
        if let refused = error as? OperationRefused { return refuse(scan, Refusal(refused), state: state) }
        return refuse(scan, Refusal("error", "\(error)"), state: state)
    }
}
