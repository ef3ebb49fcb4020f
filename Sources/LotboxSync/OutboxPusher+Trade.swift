import Foundation
import LotboxConfig
import LotboxCore
import LotboxStore
import NIOHTTP1

/// Sales, transfers and lab results towards a lotbox upstream, under the box's ids: a sale, its
/// lines, a transfer, its items, the lot an accepted item became and a lab result all keep their
/// ids, so every step is looked up (or answered unchanged) when it is sent again after a crash.
/// What a sale or a transfer does to its lots upstream is done by the upstream's own commit, so
/// the ledger rows it wrote here are not sent as adjusts (see `pushLot`).
extension OutboxPusher {
    // MARK: sales

    /// A sale's stat change: committed (200) goes up as open with its lines, then commit; void
    /// requested (423) and voided (410) as one DELETE each, when the upstream is at the step
    /// before. A sale canceled while open was never sold and never went up: nothing is sent.
    /// Nothing but ids, quantities and prices is sent: no contact, no employee, nothing of an
    /// age check or a scanned licence.
    func pushSale(_ event: OutboxEvent, as license: UpstreamLicense, blocked: Set<String>) async throws -> PushOutcome {
        let id = event.objectId
        guard let (sale, lines) = try await lane.run({ [store] in try store.outboxSale(id) }) else {
            return .sent   // an empty open sale, canceled: removed, nothing to send
        }
        if sale["canceled"] == "1" || sale["stat"] == "100" { return .sent }
        if lines.contains(where: { blocked.contains(Self.key("lot", $0["inventory_id"] ?? "")) }) { return .waits }
        let target = Int(event.ref ?? "") ?? 200
        var there = id
        var stat: Int
        if choosesIDs {
            switch try await openSaleTowardsChosenIDs(id, lines: lines, as: license) {
            case .made(let made): there = made
            case .refused(let outcome): return outcome
            }
            let current = try await client.call(.GET, "/b2c/\(there)", as: license)
            guard current.succeeded, let now = Self.stat(current) else { return refusal(current, "sale \(id) (\(there) upstream)") }
            stat = now
        } else {
            let current = try await client.call(.GET, "/b2c/\(id)", as: license)
            guard current.status == 404 else {
                guard current.succeeded, let now = Self.stat(current) else { return refusal(current, "sale \(id)") }
                return try await settleSale(id, there: there, stat: now, target: target, as: license)
            }
            let items: [[String: Any]] = lines.map { line in
                ["id": line["id"] ?? "", "inventory_id": line["inventory_id"] ?? "",
                 "unit_count": Self.decimal(line["unit_count"]), "unit_price": Self.decimal(line["unit_price"])]
            }
            let opened = try await client.call(.POST, "/b2c", json: ["id": id, "item_list": items], as: license)
            guard opened.succeeded, let opens = Self.stat(opened) else { return refusal(opened, "sale \(id)") }
            if let other = try await keptID(opened, kind: "sale", local: id) { return other }
            stat = opens
        }
        return try await settleSale(id, there: there, stat: stat, target: target, as: license)
    }

    /// Takes the upstream's sale (`there`) from `stat` to `target`: committed, then voided a step at a time.
    func settleSale(_ id: String, there: String, stat start: Int, target: Int, as license: UpstreamLicense) async throws -> PushOutcome {
        var stat = start
        if stat == 100 {
            let committed = try await client.call(.POST, "/b2c/\(there)/commit", as: license)
            guard committed.succeeded else { return refusal(committed, "commit of sale \(id)") }
            stat = 200
        }
        // OpenTHC's B2C void: 200 → 423 (requested) → 410 (voided, stock back), one DELETE a step.
        let order = [200, 423, 410]
        guard let want = order.firstIndex(of: target) else { return .sent }
        while let have = order.firstIndex(of: stat), have < want {
            let deleted = try await client.call(.DELETE, "/b2c/\(there)", as: license)
            guard [423, 410].contains(deleted.status), let next = Self.stat(deleted) else { return refusal(deleted, "void of sale \(id)") }
            guard next != stat else { return .refused("the upstream's sale \(id) stays at stat \(stat) on DELETE", scope: "object") }
            stat = next
        }
        return .sent
    }

    // MARK: transfers

    /// An outgoing transfer committed (307) goes up as its header, its items and the commit,
    /// each under its id; the upstream's commit takes the stock off its lots (and hands a
    /// target license it holds the incoming transfer). An incoming one accepted (307) goes up as
    /// the accept of each item naming the lot it became; each lot's creation already sent it, so
    /// this is a check that answers unchanged. A draft or a deleted transfer never went up.
    func pushTransfer(_ event: OutboxEvent, as license: UpstreamLicense, blocked: Set<String>) async throws -> PushOutcome {
        let id = event.objectId
        guard event.ref == "307" else { return .sent }
        if event.action == "incoming" {
            guard let (header, items) = try await lane.run({ [store] in try store.outboxIncoming(id) }) else {
                return .refused("transfer \(id) is no longer in the store", scope: "object")
            }
            let accepted = items.filter { $0["inventory_id"] != nil }
            if accepted.contains(where: { blocked.contains(Self.key("lot", $0["inventory_id"] ?? "")) }) { return .waits }
            for item in accepted {
                let outcome = try await acceptItem(header: header, items: items, item: item, as: license)
                if outcome != .sent { return outcome }
            }
            return .sent
        }
        guard let (header, items) = try await lane.run({ [store] in try store.outboxOutgoing(id) }) else {
            return .refused("transfer \(id) is no longer in the store", scope: "object")
        }
        if items.contains(where: { blocked.contains(Self.key("lot", $0["inventory_id"] ?? "")) }) { return .waits }
        if choosesIDs { return try await pushOutgoingTowardsChosenIDs(header: header, items: items, as: license) }
        let current = try await client.call(.GET, "/b2b/\(id)", as: license)
        if current.succeeded, Self.stat(current) == 307 { return .sent }
        if current.status == 404 {
            let targetID: String
            switch try await upstreamLicense(header["target_license_id"] ?? "", as: license) {
            case .made(let there): targetID = there
            case .refused(let outcome): return outcome
            }
            var body: [String: Any] = ["id": id, "license_id_target": targetID]
            for key in ["name", "depart_at", "arrive_at"] { if let value = header[key] { body[key] = value } }
            let made = try await client.call(.POST, "/b2b", json: body, as: license)
            guard made.succeeded else { return refusal(made, "transfer \(id)") }
        } else if !current.succeeded {
            return refusal(current, "transfer \(id)")
        }
        for item in items {
            var body: [String: Any] = ["id": item["id"] ?? "", "inventory_id": item["inventory_id"] ?? "", "qty": Self.decimal(item["qty"])]
            if let price = item["unit_price"] { body["unit_price"] = Self.decimal(price) }
            let added = try await client.call(.POST, "/b2b/outgoing/\(id)/item", json: body, as: license)
            guard added.succeeded else { return refusal(added, "item \(item["id"] ?? "") of transfer \(id)") }
        }
        let committed = try await client.call(.POST, "/b2b/\(id)/commit", as: license)
        guard committed.succeeded else { return refusal(committed, "commit of transfer \(id)") }
        return .sent
    }

    /// A lot made by accepting an item of an incoming transfer: the upstream accepts that item
    /// naming this lot, with what was received, into the lot's section. A transfer the upstream
    /// does not hold (a paper manifest imported here) is first made there as this license's
    /// incoming transfer from its sender, line by line under the box's item ids, and committed.
    func pushReceivedLot(_ lotID: String, transfer: String, as license: UpstreamLicense) async throws -> PushOutcome {
        guard let (header, items) = try await lane.run({ [store] in try store.outboxIncoming(transfer) }),
              let item = items.first(where: { $0["inventory_id"] == lotID }) else {
            return .refused("transfer \(transfer) of lot \(lotID) is no longer in the store", scope: "object")
        }
        return try await acceptItem(header: header, items: items, item: item, as: license)
    }

    func acceptItem(header: [String: String], items: [[String: String]], item: [String: String], as license: UpstreamLicense) async throws -> PushOutcome {
        let id = header["id"] ?? ""
        guard let lotID = item["inventory_id"], let itemID = item["id"] else {
            return .refused("item \(item["id"] ?? "") of transfer \(id) was not accepted here", scope: "object")
        }
        if choosesIDs { return try await acceptTowardsChosenIDs(header: header, items: items, item: item, as: license) }
        let current = try await client.call(.GET, "/b2b/\(id)", as: license)
        var stat = Self.stat(current) ?? 0
        if current.status == 404 {
            let sourceID: String
            switch try await upstreamLicense(header["source_license_id"] ?? "", as: license) {
            case .made(let there): sourceID = there
            case .refused(let outcome): return outcome
            }
            var body: [String: Any] = ["id": id, "license_id_source": sourceID]
            for key in ["name", "depart_at", "arrive_at"] { if let value = header[key] { body[key] = value } }
            let made = try await client.call(.POST, "/b2b", json: body, as: license)
            guard made.succeeded else { return refusal(made, "incoming transfer \(id)") }
            stat = 100
        } else if !current.succeeded {
            return refusal(current, "transfer \(id)")
        }
        if stat == 100 {
            for line in items {
                var body: [String: Any] = ["id": line["id"] ?? "", "product": line["product_id"] ?? "", "qty": Self.decimal(line["qty"])]
                if let package = line["origin_inventory_id"] { body["inventory_id"] = package }
                if let variety = line["variety_id"] { body["variety"] = variety }
                if let price = line["unit_price"] { body["unit_price"] = Self.decimal(price) }
                let added = try await client.call(.POST, "/b2b/incoming/\(id)/item", json: body, as: license)
                guard added.succeeded else { return refusal(added, "line \(line["id"] ?? "") of incoming transfer \(id)") }
            }
            let committed = try await client.call(.POST, "/b2b/incoming/\(id)/commit", as: license)
            guard committed.succeeded else { return refusal(committed, "incoming transfer \(id) (to the dock)") }
        }
        var named: [String: Any] = ["id": itemID, "inventory_id": lotID]
        if let received = item["qty_received"] { named["qty"] = Self.decimal(received) }
        var body: [String: Any] = ["item_list": [named]]
        let lot = try await lane.run { [store] in try store.outboxRecord("inventory", id: lotID) }
        if let section = lot?["section_id"] { body["section_id"] = section }
        let accepted = try await client.call(.POST, "/b2b/\(id)/accept", json: body, as: license)
        guard accepted.succeeded else { return refusal(accepted, "accept of item \(itemID) of transfer \(id) as lot \(lotID)") }
        try await learnReceivedProduct(from: accepted, item: itemID, lotProduct: lot?["product_id"])
        return .sent
    }

    // MARK: lab results

    /// A lab result goes up after the lots it covers, under its id, with its metrics, as the
    /// license of those lots; the lab is a partner, named by the upstream's license for it
    /// (`upstreamLicense`: paired, found, or added to the upstream's directory first).
    /// While a covered lot has not gone up (a manifest's result, before its package was
    /// accepted) it waits.
    func pushLabResult(_ event: OutboxEvent, blocked: Set<String>) async throws -> PushOutcome {
        let id = event.objectId
        guard let (result, metrics, lots, lotsWaiting) = try await lane.run({ [store] in try store.outboxLabResult(id, event: event.id) }) else {
            return .refused("lab result \(id) is no longer in the store", scope: "object")
        }
        if lotsWaiting || lots.isEmpty || lots.contains(where: { blocked.contains(Self.key("lot", $0["inventory_id"] ?? "")) }) { return .waits }
        // One call per license whose lots it covers (a session reads and writes its own lots only).
        var byLicense: [String: [String]] = [:]
        for lot in lots { byLicense[lot["license_id"] ?? "", default: []].append(lot["inventory_id"] ?? "") }
        for (local, covered) in byLicense.sorted(by: { $0.key < $1.key }) {
            guard let license = licenses[local] else {
                return .refused("license \(local) has no [[upstream.licenses]] entry in the config", scope: "object")
            }
            let labID: String
            switch try await upstreamLicense(result["license_id"] ?? "", as: license) {
            case .made(let there): labID = there
            case .refused(let outcome): return outcome
            }
            var body: [String: Any] = [
                "id": id, "license": labID, "sampled_on": result["sampled_on"] ?? "", "inventory_list": covered,
                "metric_list": metrics.map { metric -> [String: Any] in
                    var entry: [String: Any] = ["lab_metric_id": metric["lab_metric_id"] ?? ""]
                    if let status = metric["status"] { entry["status"] = status }
                    if let qom = metric["qom"], metric["status"] != "nd" {
                        entry["qom"] = Self.decimal(qom)
                        entry["uom"] = metric["uom"] ?? "pct"
                    }
                    return entry
                },
            ]
            if let certificate = result["certificate"] { body["certificate"] = certificate }
            if let name = result["name"] { body["name"] = name }
            if choosesIDs {
                let outcome = try await pushLabResultTowardsChosenIDs(id, license: local, body: body, covered: covered, as: license)
                if outcome != .sent { return outcome }
                continue
            }
            // A replay, or a result that came down with a manifest (the upstream's own): nothing to send.
            if try await upstreamHasResult(id, covering: covered, as: license) { continue }
            let sent = try await client.call(.POST, "/lab/result", json: body, as: license)
            guard sent.succeeded else {
                if sent.status == 403 { return .refused("the upstream refuses lab results (403): \(sent.note)", scope: "kind") }
                return refusal(sent, "lab result \(id)")
            }
        }
        return .sent
    }

    /// Whether the upstream holds result `id` covering `lots` (upstream ids) for this license
    /// already: one the box sent before under its id, or one that came down with a pulled
    /// manifest under the upstream's own id (the upstream's accept covered the lot with it).
    func upstreamHasResult(_ id: String, covering lots: [String], as license: UpstreamLicense) async throws -> Bool {
        let current = try await client.call(.GET, "/lab/result/\(id)", as: license)
        guard current.succeeded, let listed = current.data?["inventory_list"] as? [Any] else { return false }
        return Set(lots).isSubset(of: Set(listed.compactMap { Self.ref($0) }))
    }

    /// Ten-thousandths as the upstream's decimal text ("12.5000").
    static func decimal(_ units: String?) -> String {
        Fixed4(units: Int64(units ?? "0") ?? 0).decimalText
    }

    /// The `stat` of the object an answer carries.
    static func stat(_ reply: UpstreamReply) -> Int? {
        (reply.data?["stat"]).flatMap { Int("\($0)") }
    }
}
