import LotboxCore
import LotboxScanning
import LotboxStore

/// A receiving dock: open a transfer by scanning its manifest, count each package, accept.
public struct DockStation: Station {
    public let config: StationConfig
    public let store: LotStore

    public init(config: StationConfig, store: LotStore) {
        self.config = config
        self.store = store
    }

    public func decide(_ recognition: Recognition, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        if case .command(let command) = recognition.code { return try run(command, scan, state) }
        if case .licence = recognition.code {
            return refuse(scan, Refusal("wrong-station", "a licence scan is for a kiosk, not a dock"), state: state)
        }
        if case .transfer(let id) = try store.target(of: recognition) { return try open(id, scan, state) }
        return try count(recognition, scan, state)
    }

    /// Opens a transfer at this dock as scanning its manifest does (`lotbox station open`), in
    /// one transaction with the station's state.
    public func open(_ transferKey: String) throws -> StationEvent {
        try store.transaction { try open(transferKey, nil, try currentState()) }
    }

    func open(_ transferKey: String, _ scan: RecordedScan?, _ state: StationState) throws -> StationEvent {
        let transfer = try store.transfer(transferKey)
        guard !transfer.isAccepted else {
            return refuse(scan, Refusal("transfer-closed", "transfer \(transfer.id) was already accepted"), state: state,
                          "b2b_incoming", transfer.id)
        }
        if let refused = transfer.receivingRefusal {
            return refuse(scan, Refusal(refused), state: state, "b2b_incoming", transfer.id)
        }
        // A dock receives for its own license only: a delivery addressed to another (a neighbour
        // on the same box) is theirs to receive, or the state would see stock where it is not.
        let own = try store.licenseID(named: config.license)
        guard transfer.targetLicenseID == own else {
            return refuse(scan, Refusal("other-license", "transfer \(transfer.id) is addressed to \(try licenseLabel(transfer.targetLicenseID)), "
                                        + "not this dock's \(try licenseLabel(own)); set it aside for them"),
                          state: state, "b2b_incoming", transfer.id)
        }
        var next = state
        next.transferID = transfer.id
        next.pendingQuantity = nil
        let counted = transfer.openItems.filter { $0.counted > 0 }.count
        let opened = event(scan, .accepted, "open",
                           "opened transfer \(transfer.id) from \(transfer.sourceLicenseName): \(transfer.openItems.count) package(s) to check"
                           + (counted > 0 ? ", \(counted) already counted" : ""), "b2b_incoming", transfer.id)
        try store.saveStation(next, event: opened, actor: actor(next))
        return opened
    }

    func count(_ recognition: Recognition, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        let (ids, unit) = ScanReadings.packages(recognition)
        guard let transferID = state.transferID else {
            let holder = try store.openTransfers().first { transfer in
                transfer.openItems.contains { item in ids.contains { $0.uppercased() == item.packageID.uppercased() } }
            }
            return refuse(scan, Refusal("no-transfer", "no transfer is open at \(config.name)"
                          + (holder.map { ": package \(recognition.code.value) is on transfer \($0.id), scan its manifest" } ?? ": scan a manifest first")),
                          state: state)
        }
        let count: ReceiveCount
        do {
            count = try store.receive(transfer: transferID, packageIDs: ids, unitCode: unit, quantity: state.pendingQuantity,
                                      scanLogID: scan.id, station: config.name, actor: actor(state))
        } catch let refused as OperationRefused {
            return refuse(scan, Refusal(refused), state: state, "b2b_incoming", transferID)
        }
        var next = state
        next.pendingQuantity = nil
        let item = count.item
        let message = "\(item.packageID) \(item.productName): \(item.countedText) of \(item.expectedText)"
            + (count.under ? " (under the manifest)" : item.counted == item.expected ? " (complete)" : "")
        let decided = event(scan, .accepted, count.under ? "under" : "count", message, "b2b_incoming", transferID)
        try store.saveStation(next, event: decided, actor: actor(next))
        return decided
    }

    func run(_ command: LotboxCommand, _ scan: RecordedScan, _ state: StationState) throws -> StationEvent {
        guard let transferID = state.transferID else {
            return refuse(scan, Refusal("no-transfer", "no transfer is open at \(config.name): scan a manifest first"), state: state)
        }
        switch command {
        case .accept:
            return try accept(transferID, scan, state)
        case .cancel:
            var next = state
            next.transferID = nil
            next.pendingQuantity = nil
            let closed = event(scan, .info, "close", "closed transfer \(transferID) without accepting; its counts are kept", "b2b_incoming", transferID)
            try store.saveStation(next, event: closed, actor: actor(next))
            return closed
        case .voidLast:
            let taken = try store.uncountLast(transfer: transferID, actor: actor(state))
            let message = taken.map { "took back \(Quantity(units: $0.qty, dimension: $0.item.dimension)) of \($0.item.packageID)" }
                ?? "nothing counted to take back"
            let decided = event(scan, taken == nil ? .refused : .accepted, "void-last", message, "b2b_incoming", transferID)
            try store.saveStation(state, event: decided, actor: actor(state))
            return decided
        case .pay, .saleType:
            return refuse(scan, Refusal("wrong-station", "\(command.code.dropFirst(LotboxCommand.prefix.count)) is for a kiosk; at a dock scan LOTBOX:ACCEPT"),
                          state: state)
        case .quantity, .employee:
            return event(scan, .info, "command", command.code)
        }
    }

    /// Accepts what was counted on the open transfer (`LOTBOX:ACCEPT`), with the station's new
    /// state, in the caller's transaction.
    func accept(_ transferID: String, _ scan: RecordedScan?, _ state: StationState) throws -> StationEvent {
        let accepted: AcceptedTransfer
        do {
            accepted = try store.acceptTransfer(transferID, sectionKey: config.section, station: config.name, actor: actor(state))
        } catch let refused as OperationRefused {
            return refuse(scan, Refusal(refused), state: state, "b2b_incoming", transferID)
        }
        var next = state
        next.pendingQuantity = nil
        if accepted.stillOpen == 0 { next.transferID = nil }
        var message = "accepted \(accepted.lots.count) package(s) of transfer \(transferID) into new lots"
        if !accepted.under.isEmpty { message += "; under the manifest: \(accepted.under.joined(separator: ", "))" }
        message += accepted.stillOpen == 0 ? "; transfer complete" : "; \(accepted.stillOpen) package(s) still open"
        let decided = event(scan, .accepted, "accept", message, "b2b_incoming", transferID)
        try store.saveStation(next, event: decided, actor: actor(next))
        return decided
    }

    /// "license G-412345 Green Acres Farm", as refusals name licenses.
    func licenseLabel(_ id: String) throws -> String {
        guard let license = try store.license(id: id) else { return "license \(id)" }
        return "license " + [license.code ?? "", license.name].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
