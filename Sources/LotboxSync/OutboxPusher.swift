import Foundation
import LotboxConfig
import LotboxCore
import LotboxStore
import NIOHTTP1

/// What became of one outbox event.
enum PushOutcome: Equatable {
    /// The upstream has it now (or had it: a replay).
    case sent
    /// The upstream refused it: it holds its object's later events ("object") or its kind's ("kind").
    case refused(String, scope: String)
    /// It depends on an object whose events are held: it waits with it, untouched.
    case waits
}

/// Turns outbox events into OpenTHC calls towards a lotbox upstream, which keeps the ids it is
/// given, so every call is safe to repeat: a create under the same id answers the first row, an
/// adjust is sent only when the upstream holds the quantity from just before it, a void step
/// only when the upstream's lot is at the step before.
struct OutboxPusher: Sendable {
    let client: UpstreamClient
    let store: LotStore
    let lane: StoreLane
    /// Local license id → who it is on the upstream.
    let licenses: [String: UpstreamLicense]
    /// For shared rows (no license): the first configured license.
    let fallback: UpstreamLicense
    /// What this upstream takes: a sale's or transfer's share of a lot goes up with the sale or
    /// transfer only when those are taken, else as an adjust.
    let kinds: Set<UpstreamKind>

    static func key(_ kind: String, _ id: String) -> String { "\(kind):\(id)" }

    /// In a prefetched lot row: the incoming transfer the lot was accepted from.
    static let receivedKey = "_received_transfer"

    /// Lot creations' rows and families, read once for a pass.
    typealias Prefetched = [String: (row: [String: String], family: [[String: String]])]

    func push(_ event: OutboxEvent, blocked: Set<String>, prefetched: Prefetched = [:]) async throws -> PushOutcome {
        guard ["section", "variety", "product", "lot", "sale", "transfer", "lab_result"].contains(event.kind) else {
            return .refused("lotbox does not send \(event.kind.replacingOccurrences(of: "_", with: " ")) events to an upstream", scope: "kind")
        }
        // A lab result's row names the lab; it goes up as the license of the lots it covers.
        if event.kind == "lab_result" { return try await pushLabResult(event, blocked: blocked) }
        let license: UpstreamLicense
        if let local = event.licenseId {
            guard let mapped = licenses[local] else {
                return .refused("license \(local) has no [[upstream.licenses]] entry in the config", scope: "object")
            }
            license = mapped
        } else {
            license = fallback
        }
        switch event.kind {
        case "section", "variety", "product": return try await pushNamed(event, as: license)
        case "lot": return try await pushLot(event, as: license, blocked: blocked, prefetched: prefetched)
        case "sale": return try await pushSale(event, as: license, blocked: blocked)
        case "transfer": return try await pushTransfer(event, as: license, blocked: blocked)
        default:
            return .refused("lotbox does not send \(event.kind.replacingOccurrences(of: "_", with: " ")) events to an upstream", scope: "kind")
        }
    }

    // MARK: sections, varieties, products

    func pushNamed(_ event: OutboxEvent, as license: UpstreamLicense) async throws -> PushOutcome {
        let kind = event.kind, id = event.objectId
        guard let row = try await lane.run({ [store] in try store.outboxRecord(kind, id: id) }) else {
            return .refused("\(kind) \(id) is no longer in the store", scope: "object")
        }
        var body: [String: Any] = ["id": id]
        var changes: [String: Any] = [:]
        if let name = row["name"] { body["name"] = name; changes["name"] = name }
        switch kind {
        case "section", "variety":
            if let type = row["type"] { body["type"] = type; changes["type"] = type }
        default:
            body["type"] = row["type"] ?? ""
            changes["type"] = row["type"] ?? ""
            let package = row["package_type"] ?? "bulk"
            body["package_type"] = package
            let uom = row["package_unit_uom"] ?? "g"
            if package == "bulk" {
                body["uom"] = uom
            } else if let qom = row["package_unit_qom"].flatMap(Int64.init) {
                body["unit_size"] = "\(Fixed4(units: qom).description) \(uom)"
            } else {
                body["uom"] = uom
            }
            if let pack = row["package_pack_qom"].flatMap(Int64.init) { body["pack_count"] = Fixed4(units: pack).description }
            if let price = row["unit_price"].flatMap(Int64.init) {
                body["unit_price"] = Fixed4(units: price).decimalText
                changes["unit_price"] = Fixed4(units: price).decimalText
            }
        }
        if choosesIDs { return try await pushNamedTowardsChosenIDs(event, body: body, changes: changes, as: license) }
        let created = try await client.call(.POST, "/\(kind)", json: body, as: license)
        if created.succeeded { return try await keptID(created, kind: kind, local: id) ?? .sent }
        if created.status == 403 { return .refused("the upstream refuses \(kind)s (403): \(created.note)", scope: "kind") }
        guard created.status == 409 else { return .refused("the upstream refused \(kind) \(id) (\(created.status)): \(created.note)", scope: "object") }
        // The id is there with other content: this box changed it since (a rename, a new price).
        let changed = try await client.call(.POST, "/\(kind)/\(id)", json: changes, as: license)
        if changed.succeeded { return .sent }
        return .refused("the upstream refused \(kind) \(id) (\(created.status)): \(created.note); changing it: (\(changed.status)) \(changed.note)", scope: "object")
    }

    // MARK: lots

    func pushLot(_ event: OutboxEvent, as license: UpstreamLicense, blocked: Set<String>, prefetched: Prefetched) async throws -> PushOutcome {
        let id = event.objectId
        switch event.action {
        case "create":
            let lot: [String: String], family: [[String: String]]
            if let known = prefetched[id] {
                (lot, family) = known
            } else {
                guard let row = try await lane.run({ [store] in try store.outboxRecord("inventory", id: id) }) else {
                    return .refused("lot \(id) is no longer in the store", scope: "object")
                }
                lot = row
                family = try await lane.run { [store] in try store.outboxFamily(of: id) }
            }
            var needs = family.compactMap { $0["inventory_id"] }.map { Self.key("lot", $0) }
            if let product = lot["product_id"] { needs.append(Self.key("product", product)) }
            if let section = lot["section_id"] { needs.append(Self.key("section", section)) }
            if let variety = lot["variety_id"] { needs.append(Self.key("variety", variety)) }
            if needs.contains(where: blocked.contains) { return .waits }
            // A lot made by accepting a transfer's item goes up as the upstream's accept of it.
            let received: String?
            if let known = prefetched[id] {
                received = known.row[Self.receivedKey]
            } else {
                received = try await lane.run { [store] in try store.outboxReceived([id]) }[id]?.transfer
            }
            if let transfer = received, kinds.contains(.transfer) {
                if blocked.contains(Self.key("transfer", transfer)) { return .waits }
                return try await pushReceivedLot(id, transfer: transfer, as: license)
            }
            let qty = Fixed4(units: Int64(lot["qty_initial"] ?? "0") ?? 0).decimalText
            var body: [String: Any] = ["id": id]
            if let section = lot["section_id"] { body["section"] = section }
            if family.isEmpty {
                body["product"] = lot["product_id"] ?? ""
                body["qty"] = qty
                if let variety = lot["variety_id"] { body["variety"] = variety }
                if let name = lot["name"] { body["name"] = name }
            } else if family.count == 1, family[0]["type"] == "SPLT", let source = family[0]["inventory_id"] {
                // A split under the same id: the upstream takes the share from the source itself
                // (so the source's split ledger row is not sent again), and keeps the lineage.
                body["source"] = source
                body["qty"] = qty
            } else {
                body["source"] = family.map { ["id": $0["inventory_id"] ?? "", "qty": Fixed4(units: Int64($0["qty"] ?? "0") ?? 0).decimalText] }
                body["product"] = lot["product_id"] ?? ""
                body["qty_output"] = qty
                if let variety = lot["variety_id"] { body["variety"] = variety }
            }
            if choosesIDs { return try await createLotTowardsChosenIDs(id, body: body, qty: qty, as: license) }
            let reply = try await client.call(.POST, "/inventory", json: body, as: license)
            guard reply.succeeded else { return refusal(reply, "lot \(id)") }
            return try await keptID(reply, kind: "lot", local: id) ?? .sent
        case "adjust":
            guard let ref = event.ref.flatMap(Int64.init),
                  let (row, after) = try await lane.run({ [store] in try store.outboxAdjust(ref) }),
                  let delta = row["delta"].flatMap(Int64.init) else {
                return .refused("ledger row \(event.ref ?? "-") of lot \(id) is not in the store", scope: "object")
            }
            let before = after - delta
            // A split's or convert's share: the derived lot's own call takes it from this lot upstream.
            if ["split", "convert"].contains(row["reason_code"] ?? "") { return .sent }
            // A sale's or an outgoing transfer's share (and a void's return): the sale's or the
            // transfer's own calls take it upstream, when it goes up as itself.
            if ["sale", "sale-void", "transfer"].contains(row["reason_code"] ?? ""), let refType = row["ref_type"], let refID = row["ref_id"],
               kinds.contains(refType == "b2c_sale" ? .sale : .transfer),
               try await lane.run({ [store] in try store.outboxCarries(refType: refType, refID: refID) }) {
                return .sent
            }
            guard let there = try await upstream("lot", id) else { return notThereYet(id) }
            for _ in 0..<3 {
                let current = try await client.call(.GET, "/inventory/\(there)", as: license)
                guard current.succeeded, let data = current.data, let qtyText = data["qty"].map({ "\($0)" }), let held = Self.units(qtyText) else {
                    return refusal(current, "lot \(id)")
                }
                if held == after { return .sent }   // a replay: the upstream already has it
                guard held == before else {
                    return .refused("the upstream's lot \(id) holds \(Fixed4(units: held).description), not \(Fixed4(units: before).description) as here before ledger row \(ref)", scope: "object")
                }
                let reason = row["reason_code"].flatMap(LedgerReason.init(rawValue:)).flatMap { LedgerReason.adjustable.contains($0) ? $0 : nil } ?? .correction
                var note = row["note"] ?? ""
                if reason.rawValue != row["reason_code"] {
                    note = ([row["reason_code"], row["ref_type"], row["ref_id"]].compactMap { $0 } + (note.isEmpty ? [] : [note])).joined(separator: " ")
                }
                let body: [String: Any] = ["delta": Fixed4(units: delta).decimalText, "reason": reason.rawValue,
                                           "note": note.isEmpty ? "ledger row \(ref) on \(license.licenseID)" : note]
                let sent = try await client.call(.POST, "/inventory/\(there)/adjust", json: body, as: license, ifMatch: data["hash"] as? String)
                if sent.succeeded { return .sent }
                if sent.status == 412 { continue }   // changed meanwhile on the upstream: read it again
                return refusal(sent, "adjust of lot \(id)")
            }
            return .refused("the upstream's lot \(id) kept changing while its adjust was sent", scope: "object")
        case "move":
            guard let section = event.ref else { return .refused("a move of lot \(id) names no section", scope: "object") }
            if blocked.contains(Self.key("section", section)) { return .waits }
            guard let there = try await upstream("lot", id) else { return notThereYet(id) }
            guard let sectionThere = try await upstream("section", section) else {
                return .refused("section \(section) of the move of lot \(id) has no upstream id yet", scope: "object")
            }
            let reply = try await client.call(.PATCH, "/inventory/\(there)", json: ["section": sectionThere, "note": "moved on the box"], as: license)
            return reply.succeeded ? .sent : refusal(reply, "move of lot \(id)")
        case "rename":
            // The name the lot has now (a later rename's row sends the same again: a replay).
            guard let row = try await lane.run({ [store] in try store.outboxRecord("inventory", id: id) }) else {
                return .refused("lot \(id) is no longer in the store", scope: "object")
            }
            guard let there = try await upstream("lot", id) else { return notThereYet(id) }
            let current = try await client.call(.GET, "/inventory/\(there)", as: license)
            guard current.succeeded, let data = current.data else { return refusal(current, "lot \(id)") }
            let name = row["name"]
            if data["name"] as? String == name { return .sent }   // the upstream has it: nothing to write
            let reply = try await client.call(.PATCH, "/inventory/\(there)", json: ["name": name ?? NSNull()], as: license,
                                              ifMatch: data["hash"] as? String)
            if reply.status == 412 { return .refused("the upstream's lot \(id) changed while its rename was sent; retry it", scope: "object") }
            return reply.succeeded ? .sent : refusal(reply, "rename of lot \(id)")
        case "stat":
            guard let target = event.ref.flatMap(Int.init) else { return .refused("a state change of lot \(id) names no state", scope: "object") }
            guard let there = try await upstream("lot", id) else { return notThereYet(id) }
            for _ in 0..<3 {
                let current = try await client.call(.GET, "/inventory/\(there)", as: license)
                guard current.succeeded, let stat = (current.data?["stat"]).flatMap({ Int("\($0)") }) else { return refusal(current, "lot \(id)") }
                if stat == target { return .sent }
                // Voiding is two steps (410 requested, 423 confirmed): one DELETE per step.
                guard target > stat, [200, 410].contains(stat), [410, 423].contains(target) else {
                    return .refused("the upstream's lot \(id) is at stat \(stat); lotbox cannot take it to \(target) over the API", scope: "object")
                }
                let reply = try await client.call(.DELETE, "/inventory/\(there)", as: license)
                guard reply.succeeded || reply.status == 410 else { return refusal(reply, "void of lot \(id)") }
            }
            return .refused("the upstream's lot \(id) did not reach stat \(target)", scope: "object")
        default:
            return .refused("lot event '\(event.action)' is not one lotbox sends", scope: "object")
        }
    }

    /// A lot whose creation the upstream has not answered with its id (an upstream that chooses its ids).
    func notThereYet(_ id: String) -> PushOutcome {
        .refused("lot \(id) has no upstream id yet (its creation did not go up)", scope: "object")
    }

    func refusal(_ reply: UpstreamReply, _ what: String) -> PushOutcome {
        if reply.status == 403 { return .refused("the upstream refuses \(what) (403): \(reply.note)", scope: "kind") }
        return .refused("the upstream refused \(what) (\(reply.status)): \(reply.note)", scope: "object")
    }

    /// The upstream's "10.2500" as ten-thousandths.
    static func units(_ text: String) -> Int64? {
        (try? Fixed4(parsing: text, allowNegative: true))?.units
    }
}
