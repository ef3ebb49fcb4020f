import Foundation
import LotboxCore
import LotboxStore

/// What the dock's templates see: the manifest open at the station as a checklist a receiver
/// reads (each package expected and counted, short or complete), the packages refused against
/// it (to set aside), and the last decision with what to do about a refusal.
enum DockPage {
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
