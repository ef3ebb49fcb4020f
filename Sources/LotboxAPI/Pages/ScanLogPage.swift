import Foundation
import LotboxCore
import LotboxStore

/// The scan log for a manager (`/scans`): the recent scans at the license's stations, newest
/// first, each with what was read (a licence only described, never shown: the log keeps no more),
/// from which device, and what the station decided (a refusal in red with its reason). Read
/// through the store's `recentScans` and `decision(onScan:)`, as `lotbox scan log` and `station
/// watch` read them.
enum ScanLogPage {
    static let shown = 100

    struct Screen: Sendable {
        let scans: [(scan: ScanRecord, decision: StationEvent?)]
        let zone: ShopTimeZone
    }

    /// Managers and admins (and a program's session): what was scanned is the shop's business.
    static func allow(_ caller: Caller) throws {
        try caller.requireManager("the scan log")
    }

    static func screen(_ caller: Caller, _ services: APIServices) async throws -> Screen {
        let stations = PageRoutes.stations(of: caller, services).map(\.name)
        return try await services.read { store in
            var found: [(scan: ScanRecord, decision: StationEvent?)] = []
            for station in stations {
                for scan in try store.recentScans(station: station, limit: shown) {
                    found.append((scan, try scan.id.flatMap { try store.decision(onScan: $0) }))
                }
            }
            found.sort { ($0.scan.id ?? 0) > ($1.scan.id ?? 0) }
            return Screen(scans: Array(found.prefix(shown)), zone: try LotPage.zone(store))
        }
    }

    static func values(_ screen: Screen) -> [String: Any] {
        let rows = screen.scans.map { scan, decision -> [String: Any] in
            var row: [String: Any] = ["id": scan.id ?? 0, "when": LotPage.when(scan.scannedAt, screen.zone), "station": scan.station ?? "",
                                      "device": scan.device, "kind": scan.kind, "read": scan.value ?? scan.reason ?? "",
                                      "recognized": scan.status == .recognized,
                                      "refused": decision?.outcome == .refused || scan.status == .rejected]
            if let decision { row["decision"] = decision.message }
            return row
        }
        return ["scans": rows, "none": rows.isEmpty, "shown": shown, "zone": screen.zone.name]
    }
}
