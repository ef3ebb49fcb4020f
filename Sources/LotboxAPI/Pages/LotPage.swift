import Foundation
import LotboxCore
import LotboxStore

/// What the back office's lot screens show (`/lots`, `/lots/{id}`): a lot as a person reads it,
/// with its ledger, lineage, lab result and tags, and what the forms on its page need (the
/// license's sections, the printers, the reasons an adjustment may give). Everything is read
/// through the store operations the API and the CLI use.
enum LotPage {
    /// One lot and what its page needs, read on the store's threads.
    struct Screen: Sendable {
        let detail: LotDetail
        let lab: LabSummary?
        let hash: String
        let sections: [Section]
        let employees: [Employee]
        let zone: ShopTimeZone
    }

    /// A found lot of the listing, with the names a person searches by.
    struct Found: Sendable {
        let detail: LotDetail
    }

    /// How many lots a search shows: a person refines a search rather than scrolls.
    static let shown = 50

    /// The caller's lot `id` as its page shows it, or nil when the license has no such lot.
    static func screen(_ id: String, _ caller: Caller, _ services: APIServices) async throws -> Screen? {
        let license = caller.licenseID
        return try await services.read { store -> Screen? in
            guard let view = try store.lotView(id: id, license: license) else { return nil }
            let detail = try store.lotDetail(view.lot.id)
            return try Screen(detail: detail, lab: store.latestLabResult(forLot: view.lot.id), hash: APIShapes.lotHash(view),
                              sections: store.sections(license: license).rows, employees: store.employees(license: license),
                              zone: zone(store))
        }
    }

    /// The lots `q` finds (the search of `GET /inventory?q=`: id, name, tag, product, variety),
    /// live ones only unless `all`, newest first; at most `shown`, and whether there were more.
    /// Without `q`, the newest lots of the license (the CLI's `lot list`).
    static func search(_ q: String, all: Bool, _ caller: Caller, _ services: APIServices) async throws -> (lots: [Found], more: Bool) {
        let license = caller.licenseID
        return try await services.read { store in
            let ids: [String]
            if q.isEmpty {
                ids = try store.lots(LotFilter(licenseKey: license, includeVoid: all, limit: shown + 1)).map { $0.lot.id }
            } else {
                // The API's listing is by id, oldest first: the newest found come first here.
                ids = try store.lots(license: license, query: ListQuery(q: q, stat: all ? nil : Stat.live, limit: shown + 1)).rows.map(\.lot.id).reversed()
            }
            return (try ids.prefix(shown).map { Found(detail: try store.lotDetail($0, history: false)) }, ids.count > shown)
        }
    }

    /// The shop's zone, as the store records it; UTC (said so on the page) while it has none.
    static func zone(_ store: LotStore) throws -> ShopTimeZone {
        guard let name = try store.timeZoneName() else { return .utc }
        return (try? ShopTimeZone(name)) ?? .utc
    }

    static func when(_ stamp: String?, _ zone: ShopTimeZone) -> String {
        guard let stamp else { return "" }
        return zone.localTime(of: stamp) ?? stamp
    }

    static func row(_ found: Found) -> [String: Any] {
        let detail = found.detail
        var row: [String: Any] = ["id": detail.lot.id, "short": KioskPage.shortID(detail.lot.id),
                                  "product": detail.product.name, "variety": detail.varietyName, "section": detail.sectionName,
                                  "qty": detail.qty.description, "state": StateWords.lot(detail.lot.stat, quarantined: detail.isQuarantined),
                                  "stat": detail.lot.stat, "live": detail.lot.stat == Stat.live]
        // Mustache shows a section for any string, even an empty one: optional text is left out.
        if !detail.externalIDs.isEmpty { row["tags"] = detail.externalIDs.map(\.value).joined(separator: ", ") }
        return row
    }

    static func values(_ screen: Screen, printers: [PrinterSummary], manager: Bool) -> [String: Any] {
        let detail = screen.detail
        let lot = detail.lot
        let dimension = detail.product.lotDimension
        let zone = screen.zone
        let names = Dictionary(screen.employees.map { ("contact:\($0.contactID)", $0.name) }) { first, _ in first }
        let ledger = detail.ledger.map { entry -> [String: Any] in
            let change = Quantity(units: entry.delta, dimension: dimension)
            var row: [String: Any] = ["when": when(entry.createdAt, zone), "change": (entry.delta > 0 ? "+" : "") + change.description,
                                      "reason": entry.reasonCode, "by": names[entry.actor] ?? entry.actor, "shrinks": entry.delta < 0]
            if let note = entry.note, !note.isEmpty { row["note"] = note }
            return row
        }
        let parents = detail.parents.map { link -> [String: Any] in
            ["id": link.inventoryId, "short": KioskPage.shortID(link.inventoryId), "how": linkWord(link.type),
             "qty": Quantity(units: link.qty, dimension: detail.parentDimensions[link.inventoryId] ?? dimension).description]
        }
        let children = detail.children.map { link -> [String: Any] in
            ["id": link.inventoryIdOutput, "short": KioskPage.shortID(link.inventoryIdOutput), "how": linkWord(link.type),
             "qty": Quantity(units: link.qty, dimension: dimension).description]
        }
        var values: [String: Any] = [
            "id": lot.id, "short": KioskPage.shortID(lot.id), "hash": screen.hash,
            "product": detail.product.name, "package": detail.product.packageDescription, "variety": detail.varietyName,
            "section": detail.sectionName, "quarantine": detail.isQuarantined, "license": detail.license.name,
            "qty": detail.qty.description, "qty_initial": detail.qtyInitial.description, "uom": dimension.baseUnit.rawValue,
            "state": StateWords.lot(lot.stat, quarantined: detail.isQuarantined), "stat": lot.stat,
            "live": lot.stat == Stat.live, "void_requested": lot.stat == Stat.voidRequested, "void": lot.stat == Stat.voidConfirmed,
            "origin": lot.origin, "created": when(lot.createdAt, zone), "zone": zone.name,
            "tags": detail.externalIDs.map { ["kind": tagWord($0.kind), "value": $0.value] }, "has_tags": !detail.externalIDs.isEmpty,
            "ledger": ledger, "parents": parents, "children": children, "has_lineage": !parents.isEmpty || !children.isEmpty,
            "sections": screen.sections.filter { $0.stat == Stat.live }.map { ["id": $0.id, "name": $0.name, "current": $0.id == lot.sectionId] },
            "reasons": LedgerReason.adjustable.map { ["code": $0.rawValue, "word": $0.rawValue.replacingOccurrences(of: "-", with: " ")] },
            "printers": printers.map { ["name": $0.name, "template": $0.template] },
            "can_print": lot.stat == Stat.live && !printers.isEmpty, "preview_template": printers.first?.template ?? "",
            "manager": manager,
        ]
        if let name = lot.name, !name.isEmpty { values["name"] = name }
        if let lab = screen.lab { values["lab"] = labValues(lab, zone) }
        return values
    }

    /// The lot's lab result; text that is not there is left out (a mustache section shows for
    /// any string, and a key missing here is looked up in the lot's values, whose keys differ).
    static func labValues(_ lab: LabSummary, _ zone: ShopTimeZone) -> [String: Any] {
        var values: [String: Any] = ["id": lab.id, "short": KioskPage.shortID(lab.id), "date": when(lab.date, zone), "inherited": lab.inherited,
                                     "panels": lab.panels.map { ["name": $0.name, "passed": $0.passed, "word": $0.passed ? "passed" : "failed"] }]
        if let name = lab.labName, !name.isEmpty { values["lab_name"] = name }
        if let thc = lab.thc { values["thc"] = thc.description }
        if let cbd = lab.cbd { values["cbd"] = cbd.description }
        if let coa = lab.coaURL, !coa.isEmpty { values["coa"] = coa }
        if let sampled = lab.sampledOn { values["sampled"] = sampled }
        if lab.stat != Stat.live { values["lab_state"] = "stat \(lab.stat)" }
        return values
    }

    static func linkWord(_ type: String) -> String {
        switch type {
        case "SPLT": return "split"
        case "CONV": return "converted"
        case "transfer": return "transferred"
        default: return type.lowercased()
        }
    }

    static func tagWord(_ kind: String) -> String {
        switch kind {
        case ExternalIDKind.metrc.rawValue: return "METRC tag"
        case ExternalIDKind.biotrack.rawValue: return "BioTrack id"
        case ExternalIDKind.gtin.rawValue: return "GTIN"
        case ExternalIDKind.origin.rawValue: return "Sender's id"
        default: return kind
        }
    }
}
