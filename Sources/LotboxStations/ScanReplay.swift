import LotboxCore
import LotboxScanning
import LotboxStore

extension Station {
    /// What happens, at a start, to the scans recorded for this station that nothing acted on
    /// (the process died between recording and acting, or they were only recorded). In log
    /// order, each is acted on as it would have been only when it is younger than
    /// `replay_within` seconds and what was open at the station when it was recorded (its
    /// transfer or sale, or nothing) is what was open when this start began; commands and
    /// licences are never replayed. Any other is marked expired with a refused decision, and so
    /// is every scan after it: a station is a state machine, and the scans after one that was
    /// not acted on (a `LOTBOX:QTY`, a licence) would mean something else without it. Each scan
    /// is settled in its own transaction, which first checks that nobody settled it meanwhile.
    public func settleUnactedScans() -> [StationEvent] {
        let pending: [UnsettledScan]
        let turnAtStart: Int64
        do {
            pending = try store.unsettledScans(station: config.name)
            turnAtStart = try store.stationTurn(config.name)
        } catch {
            return [event(nil, .refused, "error", "cannot read the scans left from before this start: \(error)")]
        }
        var decided: [StationEvent] = []
        var stopped: Int64?
        // The turn as this pass left it: a change by anyone else meanwhile stops the replay.
        var expectedTurn = turnAtStart
        for unsettled in pending {
            guard let id = unsettled.record.id else { continue }
            do {
                let made = try store.transaction { () throws -> StationEvent? in
                    guard try store.decision(onScan: id) == nil else { return nil }
                    let scan = RecordedScan(logged: unsettled.record)
                    let turnNow = try store.stationTurn(config.name)
                    let stillOpen = unsettled.turn == turnAtStart && turnNow == expectedTurn
                    let why: String? = if let stopped {
                        "scan \(stopped) before it was not acted on"
                    } else {
                        whyNotReplayed(unsettled, scan, stillOpen: stillOpen)
                    }
                    if let why { return try expire(unsettled, why: why) }
                    guard let scan else { return try expire(unsettled, why: "what it said is not kept (a licence); scan it again") }
                    try store.recordStationEvent(event(scan, .info, "replay",
                                                       "acting on scan \(id), \(Self.seconds(unsettled.age)) old, left when lotbox stopped"),
                                                 actor: actor(try currentState()))
                    let acted = try act(scan)
                    expectedTurn = try store.stationTurn(config.name)
                    return acted
                }
                if let made {
                    if made.action == "expired", stopped == nil { stopped = id }
                    decided.append(made)
                }
            } catch {
                stopped = stopped ?? id
                decided.append(event(nil, .refused, "error", "scan \(id) left from before this start: \(error)"))
            }
        }
        return decided
    }

    /// Why a scan left from before this start is not acted on; nil when it may be.
    /// `stillOpen`: what was open at the station when the scan was recorded still is.
    func whyNotReplayed(_ unsettled: UnsettledScan, _ scan: RecordedScan?, stillOpen: Bool) -> String? {
        guard let scan else { return "what it said is not kept (a licence); scan it again" }
        if case .command(let command)? = scan.recognition?.code {
            return "commands are never replayed; scan \(command.code) again if it is still meant"
        }
        if case .licence? = scan.recognition?.code { return "a licence is never replayed; scan it again" }
        guard unsettled.age <= Double(config.replayWithin) else {
            return "it is \(Self.seconds(unsettled.age)) old, older than replay_within (\(config.replayWithin) s)"
        }
        guard stillOpen else {
            return "the transfer or sale open when it was scanned is no longer the open one"
        }
        return nil
    }

    /// Marks a scan as never to be acted on, saying why, in the caller's transaction.
    func expire(_ unsettled: UnsettledScan, why: String) throws -> StationEvent {
        let record = unsettled.record
        let what = [record.kind, record.value].compactMap { $0 }.joined(separator: " ")
        let expired = StationEvent(station: config.name, scanLogID: record.id, outcome: .refused, action: "expired",
                                   message: "scan \(record.id ?? 0) (\(what)) left when lotbox stopped was not acted on: \(why)")
        try store.recordStationEvent(expired, actor: actor(try currentState()))
        return expired
    }

    static func seconds(_ age: Double) -> String {
        age < 10 ? "\((age * 10).rounded() / 10) s" : "\(Int(age.rounded())) s"
    }
}
