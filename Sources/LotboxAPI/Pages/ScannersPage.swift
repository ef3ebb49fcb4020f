import Foundation
import LotboxCore
import LotboxStore

/// The scanners' screen (`/scanners`, any signed-in staff): each scanner this box reads, at one
/// of the caller's stations or at none of another license's, with whether it is connected (reading, missing or held,
/// as its reader last reported it to the daemon's state file), whether lotbox has it to itself
/// (an evdev scanner's grab), its station, and its last scan: when, what, accepted or refused.
/// The page draws this part again on each `event: scanner` of `/events?scanners=1`: no polling.
enum ScannersPage {
    struct Screen: Sendable {
        let scanners: [ScannerStatus]
        let lastScans: [String: (scan: ScanRecord, decision: StationEvent?)]
        let zone: ShopTimeZone
    }

    static func screen(_ caller: Caller, _ services: APIServices) async throws -> Screen {
        // A scanner at another license's station is that license's business; one at none (or at
        // a station name with no [[stations]] table, a scan-log-only box) is the box's.
        let others = Set((services.stations?.stations ?? []).filter { $0.licenseID != caller.licenseID }.map(\.name))
        let scanners = (services.scanners?.scanners() ?? []).filter { !others.contains($0.station ?? "") }
        return try await services.read { store in
            var last: [String: (scan: ScanRecord, decision: StationEvent?)] = [:]
            for scanner in scanners {
                guard let scan = try store.lastScan(device: scanner.name, station: scanner.station) else { continue }
                last[scanner.name] = (scan, try scan.id.flatMap { try store.decision(onScan: $0) })
            }
            return Screen(scanners: scanners, lastScans: last, zone: try LotPage.zone(store))
        }
    }

    static func values(_ screen: Screen) -> [String: Any] {
        let rows = screen.scanners.map { scanner -> [String: Any] in
            var row: [String: Any] = ["name": scanner.name, "path": scanner.path, "kind": kindWord(scanner.kind), "state": scanner.state,
                                      "connected": scanner.state == "reading", "state_word": stateWord(scanner.state),
                                      "reason": scanner.reason ?? "", "has_reason": scanner.reason != nil && scanner.state != "reading",
                                      "grabbed": grabWord(scanner), "station": scanner.station ?? "", "has_station": scanner.station != nil]
            if let last = screen.lastScans[scanner.name] {
                let refused = last.decision?.outcome == .refused || last.scan.status == .rejected
                row["last"] = ["id": last.scan.id ?? 0, "when": LotPage.when(last.scan.scannedAt, screen.zone),
                               "read": last.scan.value ?? last.scan.reason ?? "", "kind": last.scan.kind,
                               "refused": refused, "verdict": refused ? "refused" : "accepted",
                               "decision": last.decision?.message ?? ""] as [String: Any]
            }
            return row
        }
        return ["scanners": rows, "none": rows.isEmpty, "zone": screen.zone.name]
    }

    static func stateWord(_ state: String) -> String {
        switch state {
        case "reading": return "connected"
        case "missing": return "missing"
        case "held": return "not read: lotbox cannot take it"
        default: return "starting"
        }
    }

    static func kindWord(_ kind: String) -> String {
        switch kind {
        case "evdev": return "keyboard-wedge (USB)"
        case "serial": return "serial (USB)"
        default: return "stream"
        }
    }

    /// Only a keyboard-wedge scanner is grabbed: its keys would otherwise also reach whatever
    /// has the keyboard focus.
    static func grabWord(_ scanner: ScannerStatus) -> String {
        guard scanner.kind == "evdev" else { return "not a keyboard: nothing to grab" }
        guard scanner.grab else { return "no: shared with other programs (grab = false)" }
        switch scanner.state {
        case "reading": return "yes: lotbox alone reads it"
        case "held": return "no: another program has it, or it is not an input device"
        default: return "no: not open"
        }
    }
}
