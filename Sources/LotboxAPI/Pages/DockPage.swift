import Foundation
import LotboxCore
import LotboxStore

/// What the dock's templates see: the manifest open at the station as a checklist a receiver
/// reads (each package expected and counted, short or complete), the packages refused against
/// it (to set aside), and the last decision with what to do about a refusal. With no manifest
/// open, the incoming transfers addressed to the dock's license to pick from (picking one posts
/// its id to `/scan`, so it is exactly a scan of its manifest); after an ACCEPT, the lots it made
/// with their labels' print state, which the page follows live (`/events?queue=1`).
enum DockPage {
    /// Everything one drawing of the dock reads, in one visit to the store's threads.
    struct Screen: Sendable {
        let dock: DockScreen
        let events: [StationEvent]
        /// Incoming transfers of the dock's license not yet accepted, newest first.
        let incoming: [APITransfer]
        let senders: [String: String]
        /// The transfer of the station's last ACCEPT, while no other manifest was opened since.
        let received: TransferStatus?
        let labels: [String: PrintJob]
        /// Why each printer holds its labels now (the print worker's view; empty: it prints).
        let holds: [String: [String]]
        let zone: ShopTimeZone
    }

    /// The most transfers the picker lists (a dock rarely has more than a few waiting).
    static let pickerLimit = 50

    /// The dock `name` of the caller's license as it stands: its station (through the desk, as
    /// a scan sees it), its recent decisions, the transfers to pick from, the last acceptance.
    static func read(_ name: String, _ caller: Caller, _ services: APIServices) async throws -> Screen {
        guard PageRoutes.stations(of: caller, services).contains(where: { $0.name == name && $0.kind == "dock" }),
              let desk = services.stations as? any KioskDesk else {
            throw APIError.notFound("no dock '\(name)' for this license")
        }
        let license = caller.licenseID
        let holds = services.labels?.printerHolds() ?? [:]
        return try await services.read { store in
            guard let dock = try desk.dockScreen(station: name) else { throw APIError.notFound("no dock '\(name)'") }
            let newest = try store.lastStationEventID()
            let events = try store.stationEvents(after: max(0, newest - 500), station: name, limit: 500)
            let incoming = dock.transfer == nil
                ? try store.apiTransfers(license: license, direction: .incoming, stat: Stat.live, limit: pickerLimit, offset: 0)
                    .filter { $0.items.contains { $0.lotID == nil } }
                : []
            var senders: [String: String] = [:]
            for id in Set(incoming.map(\.sourceLicenseID)) { senders[id] = try store.license(id: id)?.name ?? id }
            var received: TransferStatus?
            if let accepted = lastAcceptance(events) { received = try store.transfer(accepted) }
            let lots = received?.items.compactMap(\.lotID) ?? []
            return Screen(dock: dock, events: events, incoming: incoming, senders: senders, received: received,
                          labels: try store.newestLabelJobs(lots: lots), holds: holds, zone: try LotPage.zone(store))
        }
    }

    /// The transfer the station last accepted, unless another manifest was opened after it (the
    /// receiver has moved on).
    static func lastAcceptance(_ events: [StationEvent]) -> String? {
        guard let index = events.lastIndex(where: { $0.action == "accept" && $0.outcome == .accepted }),
              let transfer = events[index].objectID else { return nil }
        let movedOn = events[(index + 1)...].contains { $0.action == "open" && $0.outcome == .accepted && $0.objectID != transfer }
        return movedOn ? nil : transfer
    }

    static func manifest(_ screen: Screen) -> [String: Any] {
        var values = manifest(screen.dock, events: screen.events)
        if screen.dock.transfer == nil {
            let rows = screen.incoming.map { transfer -> [String: Any] in
                let waiting = transfer.items.filter { $0.lotID == nil }.count
                var row: [String: Any] = ["id": transfer.id, "short": KioskPage.shortID(transfer.id),
                                          "source": screen.senders[transfer.sourceLicenseID] ?? transfer.sourceLicenseID,
                                          "packages": waiting == 1 ? "1 package" : "\(waiting) packages",
                                          "date": LotPage.when(transfer.arriveAt ?? transfer.departAt ?? transfer.createdAt, screen.zone),
                                          "date_word": transfer.arriveAt != nil ? "arrives" : transfer.departAt != nil ? "left" : "sent"]
                if waiting < transfer.items.count { row["partly"] = "\(transfer.items.count - waiting) received already" }
                if let name = transfer.name, !name.isEmpty { row["name"] = name }
                return row
            }
            values["incoming"] = rows
            values["has_incoming"] = !rows.isEmpty
        }
        if let received = screen.received {
            let lots = received.items.filter { $0.lotID != nil }.map { item -> [String: Any] in
                let lot = item.lotID ?? ""
                let label = labelState(screen.labels[lot], holds: screen.holds)
                var row: [String: Any] = ["lot": lot, "short_lot": KioskPage.shortID(lot), "package": item.packageID, "product": item.productName,
                                          "qty": Quantity(units: item.received ?? item.counted, dimension: item.dimension).description,
                                          "label_state": label.state, "label_word": label.word]
                if !label.reason.isEmpty { row["label_reason"] = label.reason }  // an empty string would still open its section
                return row
            }
            if !lots.isEmpty {
                values["received"] = ["id": received.id, "short": KioskPage.shortID(received.id), "source": received.sourceLicenseName,
                                      "lots": lots, "count": lots.count,
                                      "printed": lots.filter { ($0["label_state"] as? String) == "printed" }.count]
            }
        }
        return values
    }

    /// A lot's label as the receiver reads it: a state for the page's colours and tests, a word,
    /// and why it waits. A label queued to a printer that holds its labels (out of labels, a
    /// queue stopped) waits with the printer's reason; a failed send waits for its retry.
    static func labelState(_ job: PrintJob?, holds: [String: [String]]) -> (state: String, word: String, reason: String) {
        guard let job else { return ("none", "No label yet", "") }
        switch job.state {
        case "queued":
            if let held = holds[job.printer], !held.isEmpty {
                return ("waiting", "Waiting", "printer \(job.printer): " + held.map(PrintersPage.reasonWord).joined(separator: ", "))
            }
            // A send that did not go through puts the label back in the queue with why and when it is tried again.
            if let reason = job.reason, job.nextAttemptAt != nil { return ("waiting", "Waiting", reason + "; it is sent again") }
            return ("queued", "Queued", "for \(job.printer)" + (job.reason.map { "; \($0)" } ?? ""))
        case "submitted": return ("sending", "Sending", "to \(job.printer)")
        case "completed": return ("printed", "Printed", "on \(job.printer)")
        case "held": return ("held", "Held", job.reason ?? "held on the print queue")
        case "failed":
            return job.nextAttemptAt != nil ? ("waiting", "Waiting", (job.reason ?? "the printer did not take it") + "; it is sent again")
                                            : ("failed", "Failed", (job.reason ?? "the printer did not take it") + "; a manager can release it")
        case "canceled": return ("canceled", "Canceled", "")
        default: return (job.state, job.state, job.reason ?? "")
        }
    }

    static func manifest(_ screen: DockScreen, events: [StationEvent]) -> [String: Any] {
        var values: [String: Any] = ["station": screen.station]
        if let pending = screen.pendingQuantity { values["pending_qty"] = pending }
        if let last = events.last {
            var decision: [String: Any] = ["refused": last.outcome == .refused, "accepted": last.outcome == .accepted, "message": last.message]
            let todo = todo(last)
            if !todo.isEmpty { decision["todo"] = todo }
            values["last"] = decision
        }
        guard let transfer = screen.transfer else {
            values["idle"] = true
            return values
        }
        let items = transfer.items.map { item -> [String: Any] in
            let state: String
            if let lot = item.lotID {
                state = "received"
                return ["package": item.packageID, "product": item.productName, "expected": item.expectedText,
                        "counted": Quantity(units: item.received ?? item.counted, dimension: item.dimension).description,
                        "state": state, "word": "Received", "lot": lot, "short_lot": KioskPage.shortID(lot)]
            }
            switch item.counted {
            case 0: state = "none"
            case ..<item.expected: state = "short"
            case item.expected: state = "complete"
            default: state = "over"
            }
            let words = ["none": "Not counted", "short": "Short", "complete": "Complete", "over": "Over"]
            return ["package": item.packageID, "product": item.productName, "expected": item.expectedText, "counted": item.countedText,
                    "state": state, "word": words[state] ?? state]
        }
        let open = transfer.openItems
        let done = open.filter { $0.counted >= $0.expected }.count
        // A package refused against this manifest since it was opened: not on it, or more than it lists.
        var aside: [[String: Any]] = []
        for event in events where event.outcome == .refused && event.objectID == transfer.id
            && ["unknown-package", "over", "duplicate"].contains(event.action) {
            aside.append(["message": event.message, "todo": todo(event)])
        }
        values["transfer"] = [
            "id": transfer.id, "short": KioskPage.shortID(transfer.id), "name": transfer.name ?? "",
            "source": transfer.sourceLicenseName, "items": items, "open_count": open.count, "done_count": done,
            "progress": open.isEmpty ? 100 : done * 100 / open.count,
            "short_items": open.filter { $0.counted < $0.expected }.map { "\($0.packageID) (\($0.countedText) of \($0.expectedText))" }
                .joined(separator: "; "),
            "accepted": open.isEmpty,
            "aside": Array(aside.suffix(5).reversed()), "has_aside": !aside.isEmpty,
        ]
        return values
    }

    /// Receiving is for a receiver, a manager or an admin (or a program's API session); a
    /// budtender signed in at a screen is refused the dock, its page and its scans.
    static func allow(_ caller: Caller) throws {
        if let role = caller.role, role == .budtender {
            throw APIError.forbidden("the dock is for a receiver, a manager or an admin; you are signed in as a budtender")
        }
    }

    /// What the receiver does about a refusal, by its reason (the message says what happened).
    static func todo(_ event: StationEvent) -> String {
        guard event.outcome == .refused else { return "" }
        switch event.action {
        case "unknown-package", "unknown": return "It is not on this manifest: set it aside."
        case "over": return "Set the extra aside: the manifest lists less."
        case "duplicate": return "Already counted: do not count it twice."
        case "no-transfer": return "Scan the manifest first."
        case "other-license": return "Set it aside for them."
        case "transfer-closed": return "Nothing to do: it was received already."
        case "nothing-counted": return "Scan the packages first."
        case "wrong-station": return "At the dock, scan packages, then ACCEPT."
        case "unreadable": return "Scan it again, or type the package id."
        default: return "Check the package and scan again, or ask a manager."
        }
    }
}
