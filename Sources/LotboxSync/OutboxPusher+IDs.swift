import Foundation
import LotboxConfig
import LotboxCore
import LotboxStore
import NIOHTTP1

/// Towards an upstream that chooses its own ids (`[upstream] client_ids = "ignored"`: cre, or a
/// lotbox with `[api] client_ids = "ignore"`), every object the box creates there is paired with
/// the upstream's id in the id map, and every later call names the upstream's ids (creates,
/// items, accepts, adjusts, moves, voids). A create is marked before it is sent; when a mark is
/// found without its id (the box died, or the request timed out, after the upstream may have
/// made the object), the object is first looked up among the upstream's objects of its kind that
/// no object here is paired with, by what the box sent, and only created when none matches.
extension OutboxPusher {
    /// What a create towards such an upstream came to.
    enum Creation {
        /// The upstream's id: made now, or found from an earlier try.
        case made(String)
        case refused(PushOutcome)
    }

    var choosesIDs: Bool { client.config.upstreamChoosesIDs }

    /// The upstream's id of a local object: the id map's when the upstream chooses its ids (nil
    /// when it has none yet), else the box's own. OpenTHC's well-known rows (the unknown
    /// variety, the default section) are the same everywhere and never made.
    func upstream(_ kind: String, _ local: String) async throws -> String? {
        guard choosesIDs, !local.hasPrefix(WellKnown.prefix) else { return local }
        return try await lane.run { [store] in try store.upstreamID(kind: kind, localID: local) }
    }

    /// As `upstream`, for an object that may be the upstream's own (a pulled transfer, a
    /// partner): the box's id when the map has none.
    func upstreamOrSame(_ kind: String, _ local: String) async throws -> String {
        try await upstream(kind, local) ?? local
    }

    /// Makes `local` upstream once: `send` creates it; `lookUp` finds what an earlier try made.
    /// `idOf` reads the new id from the answer (default: its `data.id`).
    func create(kind: String, local: String, what: String, lookUp: () async throws -> String?,
                send: () async throws -> UpstreamReply,
                idOf: ((UpstreamReply) async throws -> String?)? = nil) async throws -> Creation {
        if let known = try await lane.run({ [store] in try store.upstreamID(kind: kind, localID: local) }) { return .made(known) }
        if try await lane.run({ [store] in try store.upstreamCreateSent(kind: kind, localID: local) }) {
            if let found = try await lookUp() { return .made(found) }
        } else {
            try await lane.run { [store] in try store.markUpstreamCreate(kind: kind, localID: local) }
        }
        let reply = try await send()
        guard reply.succeeded else { return .refused(refusal(reply, what)) }
        let made: String?
        if let idOf { made = try await idOf(reply) } else { made = reply.data?["id"] as? String }
        guard let made, !made.isEmpty else {
            return .refused(.refused("the upstream made \(what) but its answer names no id", scope: "object"))
        }
        TestFault.afterUpstreamCreate()
        let paired = try await lane.run { [store] in try store.rememberUpstreamID(kind: kind, localID: local, upstreamID: made) }
        guard paired else {
            return .refused(.refused("the upstream answered \(what) with \(kind) \(made), which is another object here", scope: "object"))
        }
        return .made(made)
    }

    /// The first of `candidates` (upstream ids of `kind`) no object here is paired with that
    /// `matches` accepts, paired with `local`: what an earlier try of its create made.
    func adopt(kind: String, local: String, candidates: [String], matches: (String) async throws -> Bool) async throws -> String? {
        let taken = try await lane.run { [store] in try store.mappedUpstreamIDs(kind: kind) }
        for candidate in candidates where !taken.contains(candidate) {
            guard try await matches(candidate) else { continue }
            if try await lane.run({ [store] in try store.rememberUpstreamID(kind: kind, localID: local, upstreamID: candidate) }) {
                return candidate
            }
        }
        return nil
    }

    /// Every row of an upstream list (`path` may carry a query), a page of 500 at a time.
    func listAll(_ path: String, as license: UpstreamLicense) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        let joiner = path.contains("?") ? "&" : "?"
        while true {
            let page = try await client.call(.GET, "\(path)\(joiner)limit=500&offset=\(rows.count)", as: license)
            guard page.succeeded, let list = page.list else { return rows }
            rows += list
            if list.count < 500 { return rows }
        }
    }

    /// A reference as the upstream shows it: `{"id": …}`, or the id itself.
    static func ref(_ value: Any?) -> String? {
        if let object = value as? [String: Any] { return object["id"] as? String }
        return value as? String
    }

    /// Whether two decimal texts are the same quantity ("3.5" and "3.5000").
    static func sameQuantity(_ a: Any?, _ b: String?) -> Bool {
        guard let a = a.map({ "\($0)" }).flatMap(units), let b = b.flatMap(units) else { return false }
        return a == b
    }

    /// Towards an upstream that keeps the box's ids: an answer under another id means it does
    /// not (a misconfigured `client_ids`); the pair is remembered and the event held, saying so.
    func keptID(_ reply: UpstreamReply, kind: String, local: String) async throws -> PushOutcome? {
        guard !choosesIDs, let made = reply.data?["id"] as? String, !made.isEmpty, made != local else { return nil }
        _ = try await lane.run { [store] in try store.rememberUpstreamID(kind: kind, localID: local, upstreamID: made) }
        return .refused("the upstream made \(kind) \(local) under its own id \(made): it does not keep the box's ids; set [upstream] client_ids = \"ignored\" and retry", scope: "object")
    }
}

extension OutboxPusher {
    /// A section, variety or product towards an upstream that chooses its ids: made once (a
    /// retry finds it by name and type), then every later change goes to the upstream's id.
    func pushNamedTowardsChosenIDs(_ event: OutboxEvent, body: [String: Any], changes: [String: Any],
                                   as license: UpstreamLicense) async throws -> PushOutcome {
        let kind = event.kind, id = event.objectId
        if let known = try await upstream(kind, id) {
            // What it is there already (a replay, or a later change sent before): nothing to write.
            let current = try await client.call(.GET, "/\(kind)/\(known)", as: license)
            if current.succeeded, let data = current.data, Self.holds(data, changes) { return .sent }
            let changed = try await client.call(.POST, "/\(kind)/\(known)", json: changes, as: license)
            return changed.succeeded ? .sent : refusal(changed, "change of \(kind) \(id) (\(known) upstream)")
        }
        let made = try await create(kind: kind, local: id, what: "\(kind) \(id)", lookUp: {
            let rows = try await self.listAll("/\(kind)", as: license)
            let named = rows.filter { ($0["name"] as? String) == (body["name"] as? String) && "\($0["type"] ?? "")" == "\(body["type"] ?? "")" }
            return try await self.adopt(kind: kind, local: id, candidates: named.compactMap { $0["id"] as? String }) { _ in true }
        }, send: {
            try await self.client.call(.POST, "/\(kind)", json: body, as: license)
        })
        switch made {
        case .made: return .sent
        case .refused(let outcome): return outcome
        }
    }
}

extension OutboxPusher {
    /// Whether an upstream row already has every field of `changes` (a price as a quantity:
    /// "35" and "35.0000" are the same).
    static func holds(_ row: [String: Any], _ changes: [String: Any]) -> Bool {
        changes.allSatisfy { field, value in
            if field == "unit_price" { return sameQuantity(row[field], value as? String) }
            return row[field].map { "\($0)" } == "\(value)"
        }
    }
}

extension OutboxPusher {
    /// A lot made, split or converted, towards an upstream that chooses its ids: its product,
    /// variety, section and sources named by their upstream ids; a retry finds the lot among
    /// the upstream's live lots of its quantity that nothing here is paired with, with the same
    /// product, section and opening quantity (and variety and name when given).
    func createLotTowardsChosenIDs(_ id: String, body original: [String: Any], qty: String,
                                   as license: UpstreamLicense) async throws -> PushOutcome {
        var body = original
        for (field, kind) in [("product", "product"), ("section", "section"), ("variety", "variety")] {
            guard let local = body[field] as? String else { continue }
            guard let there = try await upstream(kind, local) else {
                return .refused("\(kind) \(local) of lot \(id) has no upstream id yet", scope: "object")
            }
            body[field] = there
        }
        if let source = body["source"] as? String {
            guard let there = try await upstream("lot", source) else { return notThereYet(source) }
            body["source"] = there
        } else if let sources = body["source"] as? [[String: String]] {
            var translated: [[String: String]] = []
            for source in sources {
                guard let local = source["id"], let there = try await upstream("lot", local) else { return notThereYet(source["id"] ?? "") }
                translated.append(["id": there, "qty": source["qty"] ?? "0"])
            }
            body["source"] = translated
        }
        let sent = body
        let made = try await create(kind: "lot", local: id, what: "lot \(id)", lookUp: {
            let rows = try await self.listAll("/inventory", as: license)
            let candidates = rows.filter { Self.sameQuantity($0["qty"], qty) }.compactMap { $0["id"] as? String }
            return try await self.adopt(kind: "lot", local: id, candidates: candidates) { candidate in
                let found = try await self.client.call(.GET, "/inventory/\(candidate)", as: license)
                guard found.succeeded, let lot = found.data, Self.sameQuantity(lot["qty_initial"], qty) else { return false }
                for field in ["section", "variety"] where sent[field] != nil {
                    if Self.ref(lot[field]) != sent[field] as? String { return false }
                }
                if let product = sent["product"] as? String, Self.ref(lot["product"]) != product { return false }
                if let name = sent["name"] as? String, lot["name"] as? String != name { return false }
                return true
            }
        }, send: {
            try await self.client.call(.POST, "/inventory", json: sent, as: license)
        })
        switch made {
        case .made: return .sent
        case .refused(let outcome): return outcome
        }
    }
}

extension OutboxPusher {
    /// A sale opened upstream with its lines (each lot by its upstream id), once: a retry finds
    /// it among the upstream's sales nothing here is paired with, by its lines' lots and counts.
    func openSaleTowardsChosenIDs(_ id: String, lines: [[String: String]], as license: UpstreamLicense) async throws -> Creation {
        var items: [[String: Any]] = []
        var wanted: [String] = []
        for line in lines {
            let lot = line["inventory_id"] ?? ""
            guard let there = try await upstream("lot", lot) else { return .refused(notThereYet(lot)) }
            let count = Self.decimal(line["unit_count"])
            items.append(["id": line["id"] ?? "", "inventory_id": there, "unit_count": count, "unit_price": Self.decimal(line["unit_price"])])
            wanted.append("\(there) \(Self.units(count) ?? 0)")
        }
        let sent = items, signature = wanted.sorted()
        return try await create(kind: "sale", local: id, what: "sale \(id)", lookUp: {
            let sales = try await self.listAll("/b2c", as: license)
            let same = sales.filter { sale in
                let lines = (sale["item_list"] as? [[String: Any]]) ?? []
                return lines.map { "\(Self.ref($0["inventory"]) ?? "") \(Self.units("\($0["unit_count"] ?? "")") ?? -1)" }.sorted() == signature
            }
            return try await self.adopt(kind: "sale", local: id, candidates: same.compactMap { $0["id"] as? String }) { _ in true }
        }, send: {
            try await self.client.call(.POST, "/b2c", json: ["id": id, "item_list": sent], as: license)
        })
    }
}

extension OutboxPusher {
    /// An outgoing transfer committed here, towards an upstream that chooses its ids: its
    /// header, each item (its lot by the upstream's id) and the commit, each made once. A retry
    /// finds the header among the upstream's outgoing transfers to the same license under the
    /// same name, an item among the transfer's lines from the same lot of the same quantity.
    func pushOutgoingTowardsChosenIDs(header: [String: String], items: [[String: String]], as license: UpstreamLicense) async throws -> PushOutcome {
        let id = header["id"] ?? ""
        let targetID: String
        switch try await upstreamLicense(header["target_license_id"] ?? "", as: license) {
        case .made(let there): targetID = there
        case .refused(let outcome): return outcome
        }
        var body: [String: Any] = ["id": id, "license_id_target": targetID]
        for key in ["name", "depart_at", "arrive_at"] { if let value = header[key] { body[key] = value } }
        let sent = body
        let madeHeader = try await create(kind: "transfer", local: id, what: "transfer \(id)", lookUp: {
            let rows = try await self.listAll("/b2b/outgoing", as: license)
            let same = rows.filter { Self.ref($0["target"]) == targetID && ($0["name"] as? String) == header["name"] }
            return try await self.adopt(kind: "transfer", local: id, candidates: same.compactMap { $0["id"] as? String }) { _ in true }
        }, send: {
            try await self.client.call(.POST, "/b2b", json: sent, as: license)
        })
        guard case .made(let there) = madeHeader else {
            if case .refused(let outcome) = madeHeader { return outcome }
            return .sent
        }
        let current = try await client.call(.GET, "/b2b/\(there)", as: license)
        guard current.succeeded else { return refusal(current, "transfer \(id) (\(there) upstream)") }
        if Self.stat(current) == 307 { return .sent }
        for item in items {
            let itemID = item["id"] ?? "", lot = item["inventory_id"] ?? ""
            guard let lotThere = try await upstream("lot", lot) else { return notThereYet(lot) }
            var line: [String: Any] = ["id": itemID, "inventory_id": lotThere, "qty": Self.decimal(item["qty"])]
            if let price = item["unit_price"] { line["unit_price"] = Self.decimal(price) }
            let qty = Self.decimal(item["qty"]), added = line
            let made = try await create(kind: "transfer_item", local: itemID, what: "item \(itemID) of transfer \(id)", lookUp: {
                try await self.adoptLine(of: there, local: itemID, origin: lotThere, qty: qty, as: license)
            }, send: {
                try await self.client.call(.POST, "/b2b/outgoing/\(there)/item", json: added, as: license)
            }, idOf: { reply in
                try await self.newLine(in: reply, origin: lotThere, qty: qty)
            })
            if case .refused(let outcome) = made { return outcome }
        }
        let committed = try await client.call(.POST, "/b2b/\(there)/commit", as: license)
        guard committed.succeeded else { return refusal(committed, "commit of transfer \(id) (\(there) upstream)") }
        return .sent
    }

    /// A line of the upstream's transfer `there` from `origin` (a lot, or a sender's package) of
    /// `qty` that nothing here is paired with: what an earlier try of adding `local` made.
    func adoptLine(of there: String, local: String, origin: String, qty: String, as license: UpstreamLicense) async throws -> String? {
        let current = try await client.call(.GET, "/b2b/\(there)", as: license)
        let lines = (current.data?["line_item_list"] as? [[String: Any]]) ?? []
        let same = lines.filter { Self.ref($0["origin"]) == origin && Self.sameQuantity($0["qty"], qty) }
        return try await adopt(kind: "transfer_item", local: local, candidates: same.compactMap { $0["id"] as? String }) { _ in true }
    }

    /// The line an item's addition made: in the transfer the upstream answered, the line from
    /// `origin` of `qty` that nothing here is paired with yet.
    func newLine(in reply: UpstreamReply, origin: String, qty: String) async throws -> String? {
        let lines = (reply.data?["line_item_list"] as? [[String: Any]]) ?? []
        let taken = try await lane.run { [store] in try store.mappedUpstreamIDs(kind: "transfer_item") }
        return lines.first { line in
            guard let lineID = line["id"] as? String else { return false }
            return !taken.contains(lineID) && Self.ref(line["origin"]) == origin && Self.sameQuantity(line["qty"], qty)
        }?["id"] as? String
    }
}

extension OutboxPusher {
    /// A lot made by accepting an item, towards an upstream that chooses its ids. The transfer
    /// and item are the upstream's ids: paired when this box made them there (a transfer
    /// between two of its licenses, a paper manifest), else the same (a manifest pulled from the
    /// upstream is imported under its ids). The upstream names the lot itself; its answer pairs
    /// it with the box's lot, and the same accept again answers the same lot.
    func acceptTowardsChosenIDs(header: [String: String], items: [[String: String]], item: [String: String],
                                as license: UpstreamLicense) async throws -> PushOutcome {
        let id = header["id"] ?? ""
        let lotID = item["inventory_id"] ?? "", itemID = item["id"] ?? ""
        var there = try await upstreamOrSame("transfer", id)
        let current = try await client.call(.GET, "/b2b/\(there)", as: license)
        var stat = Self.stat(current) ?? 0
        if current.status == 404 {
            // A paper manifest imported here: made upstream as this license's incoming transfer.
            let sourceID: String
            switch try await upstreamLicense(header["source_license_id"] ?? "", as: license) {
            case .made(let there): sourceID = there
            case .refused(let outcome): return outcome
            }
            var body: [String: Any] = ["id": id, "license_id_source": sourceID]
            for key in ["name", "depart_at", "arrive_at"] { if let value = header[key] { body[key] = value } }
            let sent = body
            let made = try await create(kind: "transfer", local: id, what: "incoming transfer \(id)", lookUp: {
                var rows: [[String: Any]] = []
                for listed in [100, 200] { rows += try await self.listAll("/b2b/incoming?stat=\(listed)", as: license) }
                let same = rows.filter { Self.ref($0["source"]) == sourceID && ($0["name"] as? String) == header["name"] }
                return try await self.adopt(kind: "transfer", local: id, candidates: same.compactMap { $0["id"] as? String }) { _ in true }
            }, send: {
                try await self.client.call(.POST, "/b2b", json: sent, as: license)
            })
            switch made {
            case .made(let made): there = made
            case .refused(let outcome): return outcome
            }
            let now = try await client.call(.GET, "/b2b/\(there)", as: license)
            guard now.succeeded, let known = Self.stat(now) else { return refusal(now, "incoming transfer \(id) (\(there) upstream)") }
            stat = known
        } else if !current.succeeded {
            return refusal(current, "transfer \(id)")
        }
        if stat == 100 {
            for line in items {
                let lineID = line["id"] ?? "", package = line["origin_inventory_id"] ?? ""
                var body: [String: Any] = ["id": lineID, "qty": Self.decimal(line["qty"])]
                if let product = line["product_id"] {
                    guard let productThere = try await upstream("product", product) else {
                        return .refused("product \(product) of transfer \(id) has no upstream id yet", scope: "object")
                    }
                    body["product"] = productThere
                }
                if !package.isEmpty { body["inventory_id"] = package }
                if let variety = line["variety_id"] { body["variety"] = try await upstreamOrSame("variety", variety) }
                if let price = line["unit_price"] { body["unit_price"] = Self.decimal(price) }
                let qty = Self.decimal(line["qty"]), added = body, transfer = there
                let made = try await create(kind: "transfer_item", local: lineID, what: "line \(lineID) of incoming transfer \(id)", lookUp: {
                    try await self.adoptLine(of: transfer, local: lineID, origin: package, qty: qty, as: license)
                }, send: {
                    try await self.client.call(.POST, "/b2b/incoming/\(transfer)/item", json: added, as: license)
                }, idOf: { reply in
                    try await self.newLine(in: reply, origin: package, qty: qty)
                })
                if case .refused(let outcome) = made { return outcome }
            }
            let committed = try await client.call(.POST, "/b2b/incoming/\(there)/commit", as: license)
            guard committed.succeeded else { return refusal(committed, "incoming transfer \(id) (to the dock)") }
        }
        let itemThere = try await upstreamOrSame("transfer_item", itemID)
        var named: [String: Any] = ["id": itemThere, "inventory_id": lotID]
        if let received = item["qty_received"] { named["qty"] = Self.decimal(received) }
        var body: [String: Any] = ["item_list": [named]]
        let lot = try await lane.run { [store] in try store.outboxRecord("inventory", id: lotID) }
        if let section = lot?["section_id"] {
            guard let sectionThere = try await upstream("section", section) else {
                return .refused("section \(section) of lot \(lotID) has no upstream id yet", scope: "object")
            }
            body["section_id"] = sectionThere
        }
        let accepted = try await client.call(.POST, "/b2b/\(there)/accept", json: body, as: license)
        guard accepted.succeeded else { return refusal(accepted, "accept of item \(itemID) of transfer \(id) as lot \(lotID)") }
        let lines = (accepted.data?["line_item_list"] as? [[String: Any]]) ?? []
        guard let became = lines.first(where: { $0["id"] as? String == itemThere }).flatMap({ Self.ref($0["inventory"]) }) else {
            return .refused("the upstream accepted item \(itemThere) of transfer \(there) but names no lot it became", scope: "object")
        }
        guard try await lane.run({ [store] in try store.rememberUpstreamID(kind: "lot", localID: lotID, upstreamID: became) }) else {
            return .refused("the upstream's lot \(became), accepted from item \(itemThere), is another lot here", scope: "object")
        }
        try await learnReceivedProduct(from: accepted, item: itemThere, lotProduct: lot?["product_id"])
        return .sent
    }
}

extension OutboxPusher {
    /// A lab result towards an upstream that chooses its ids: its lots by their upstream ids.
    /// Such an upstream makes a result per create, so a result covering lots of several
    /// licenses here is one result per license there, each paired in the map under
    /// "lab_result:LICENSE". A retry finds it among the upstream's results of the same date and
    /// certificate over the same lots.
    func pushLabResultTowardsChosenIDs(_ id: String, license local: String, body original: [String: Any], covered: [String],
                                       as license: UpstreamLicense) async throws -> PushOutcome {
        var lots: [String] = []
        for lot in covered {
            guard let there = try await upstream("lot", lot) else { return notThereYet(lot) }
            lots.append(there)
        }
        var body = original
        body["inventory_list"] = lots
        let sent = body, kind = "lab_result:\(local)", wanted = lots.sorted()
        // Made there before: a replay, unless the box has given it a lot since. A lot received from
        // another local license is covered there by the sender's copy of the same certificate (the
        // upstream's accept hands it on). Otherwise such an upstream would make a second result
        // from the same call, and the contract has no call that adds lots to one: the event is
        // held, saying so.
        if let known = try await lane.run({ [store] in try store.upstreamID(kind: kind, localID: id) }) {
            if try await upstreamHasResult(known, covering: lots, as: license) { return .sent }
            let copies = try await listAll("/lab/result", as: license).filter { row in
                (row["sampled_on"] as? String) == (sent["sampled_on"] as? String) && (row["certificate"] as? String) == (sent["certificate"] as? String)
            }
            let coveredThere = Set(copies.flatMap { (($0["inventory_list"] as? [Any]) ?? []).compactMap { Self.ref($0) } })
            if Set(lots).isSubset(of: coveredThere) { return .sent }
            return .refused("lab result \(id) now covers lots the upstream's result \(known) does not, and an upstream that chooses its ids "
                            + "cannot be given more lots for a result; add them to it there, then skip this event", scope: "object")
        }
        // A result that came down with a pulled manifest is the upstream's, under its id: this
        // license's copy is that result.
        if try await lane.run({ [store] in try store.upstreamID(kind: kind, localID: id) }) == nil,
           try await upstreamHasResult(id, covering: lots, as: license) {
            _ = try await lane.run { [store] in try store.rememberUpstreamID(kind: kind, localID: id, upstreamID: id) }
            return .sent
        }
        let made = try await create(kind: kind, local: id, what: "lab result \(id)", lookUp: {
            let rows = try await self.listAll("/lab/result", as: license)
            let same = rows.filter { row in
                (row["sampled_on"] as? String) == (sent["sampled_on"] as? String)
                    && (row["certificate"] as? String) == (sent["certificate"] as? String)
                    && ((row["inventory_list"] as? [Any]) ?? []).compactMap { Self.ref($0) }.sorted() == wanted
            }
            return try await self.adopt(kind: kind, local: id, candidates: same.compactMap { $0["id"] as? String }) { _ in true }
        }, send: {
            try await self.client.call(.POST, "/lab/result", json: sent, as: license)
        })
        switch made {
        case .made: return .sent
        case .refused(let outcome): return outcome
        }
    }
}
