import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// Inventory lots of the session's license (contract §3): list, read, create, split, convert,
/// change (quantity through the ledger, section, name), adjust, destroy, and the two-step void.
/// Another license's lot is 404, as if it did not exist; naming another license's section or
/// product in a write is 403.
enum InventoryRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/inventory", .session, list),
            APIRoute(.get, "/inventory/{id}") { call in
                APIShapes.lotReply(try await ownLot(call))
            },
            APIRoute(.post, "/inventory", .session, create),
            APIRoute(.patch, "/inventory/{id}", .session, change),
            APIRoute(.post, "/inventory/{id}", .session, change),
            APIRoute(.post, "/inventory/{id}/adjust", .session, adjust),
            APIRoute(.post, "/inventory/{id}/destroy", .session, destroy),
            APIRoute(.delete, "/inventory/{id}", .session, void),
        ]
    }

    static func list(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        var (query, meta) = try Listing.query(call)
        // The contract's list is of live lots; `stat` asks for others.
        if query.stat == nil && query.since == nil { query.stat = 200 }
        let chosen = query
        return Listing.reply(try await call.readStore { try $0.lots(license: caller.licenseID, query: chosen) }, query, meta, APIShapes.lotRow)
    }

    /// The caller's lot named in the path, or 404.
    nonisolated(nonsending) static func ownLot(_ call: APICall) async throws -> LotView {
        let caller = try call.caller()
        let id = try call.parameter("id")
        guard let view = try await call.readStore({ try $0.lotView(id: id, license: caller.licenseID) }) else {
            throw APIError.notFound("no lot \(id) for this license")
        }
        return view
    }

    /// Refuses a section or product of another license (403) before anything is written.
    static func requireUsable(_ call: APICall, _ table: OwnedTable, _ id: String?) async throws {
        guard let id else { return }
        let caller = try call.caller()
        switch try await call.readStore({ try $0.owner(of: table, id: id) }) {
        case .license(let owner) where owner != caller.licenseID:
            throw APIError.forbidden("\(table.rawValue) \(id) belongs to another license")
        case .missing:
            throw APIError.notFound("no \(table.rawValue) \(id)")
        default:
            return
        }
    }

    /// Runs `work` after checking `If-Match` against the lot's current hash, in one transaction,
    /// so a lot changed meanwhile (by a screen, the CLI or a station) answers 412 and is left alone.
    static func guarded(_ call: APICall, _ work: @escaping @Sendable (LotStore, LotView) throws -> Void) async throws -> LotView {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let expected = call.request.headers[.ifMatch].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
        return try await call.onStore { store in
            try store.transaction {
                guard let view = try store.lotView(id: id, license: caller.licenseID) else {
                    throw APIError.notFound("no lot \(id) for this license")
                }
                if let expected, expected != "*", expected != APIShapes.lotHash(view) {
                    throw APIError(.preconditionFailed, "lot \(id) changed since hash \(expected); read it again (its hash is now \(APIShapes.lotHash(view)))")
                }
                try work(store, view)
                guard let after = try store.lotView(id: id, license: caller.licenseID) else { throw APIError.notFound("no lot \(id) for this license") }
                return after
            }
        }
    }

    /// Without `source`: a new lot of `product`, `qty`, optional `variety`, `section`, `name`.
    /// With one `source` id and `qty`: a split. With `source` as a list of `{id, qty}` (or one id)
    /// and a `product`: a convert; a source named twice is merged.
    static func create(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let section = try Fields.optionalID(body, "section", "section_id")
        try await requireUsable(call, .section, section)
        if let source = body["source"] {
            return try await derive(call, body: body, source: source, section: section)
        }
        let product = try Fields.requiredID(body, "product", "product_id")
        try await requireUsable(call, .product, product)
        let qty = try Fields.quantity(body, "qty")
        let uom = try await call.readStore { try $0.lotUnit(ofProduct: product) } ?? "ea"
        var new = NewLot(licenseKey: caller.licenseID, productKey: product, varietyKey: try Fields.optionalID(body, "variety", "variety_id"),
                         sectionKey: section, qty: Fields.inUnit(qty, uom), name: try Fields.optionalText(body, "name"))
        // A client's chosen id is honoured: the same create again answers the first lot (a replay
        // by a syncing peer), another lot under the id is a conflict.
        new.id = try call.chosenID(body)
        let lotToMake = new
        let view = try await call.commit { store -> LotView in
            let lot = try store.createLot(lotToMake, actor: caller.actor)
            guard let view = try store.lotView(id: lot.id, license: caller.licenseID) else { throw StoreError.notFound(kind: "lot", key: lot.id) }
            return view
        }
        return APIShapes.lotReply(view, status: .created)
    }

    static func derive(_ call: APICall, body: BodyValue, source: BodyValue, section: String?) async throws -> Response {
        let caller = try call.caller()
        var given: [(id: String, qty: String)] = []
        for (id, qty) in try Fields.sources(source, qty: body["qty"]) {
            guard let view = try await call.readStore({ try $0.lotView(id: id, license: caller.licenseID) }) else {
                throw APIError.forbidden("source lot \(id) is not one of this license's lots")
            }
            given.append((id, Fields.inUnit(qty, view.uom)))
        }
        let sources = given
        let product = try Fields.optionalID(body, "product", "product_id")
        try await requireUsable(call, .product, product)
        let outputUnit = try await product.asyncMap { id in try await call.readStore { try $0.lotUnit(ofProduct: id) } } ?? nil
        let note = try Fields.optionalText(body, "note")
        // A chosen id makes a split or convert replayable: the same call again answers the same lot.
        let chosen = try call.chosenID(body)
        let view = try await call.onStore { store -> LotView in
            try store.transaction {
                let lot: Lot
                if let product {
                    guard let stated = body["qty_output"]?.text ?? body["output_qty"]?.text ?? (sources.count == 1 ? body["qty"]?.text : nil) else {
                        throw APIError.field("qty_output", "the quantity of the new lot when converting several sources")
                    }
                    let output = Fields.inUnit(stated, outputUnit ?? "ea")
                    lot = try store.convertLots(sources: sources.map { (key: $0.id, qty: $0.qty) }, productKey: product, outputQty: output,
                                                varietyKey: try Fields.optionalID(body, "variety", "variety_id"), sectionKey: section,
                                                note: note, id: chosen, actor: caller.actor)
                } else {
                    guard sources.count == 1 else {
                        throw APIError.badRequest("'source' names \(sources.count) lots; a split takes one (give 'product' to convert several)")
                    }
                    lot = try store.splitLot(sources[0].id, qty: sources[0].qty, sectionKey: section, note: note, id: chosen, actor: caller.actor)
                }
                guard let view = try store.lotView(id: lot.id, license: caller.licenseID) else { throw StoreError.notFound(kind: "lot", key: lot.id) }
                return view
            }
        }
        return APIShapes.lotReply(view, status: .created)
    }

    /// `qty` is the new absolute quantity (through the ledger, as an audit count), `section`
    /// moves the lot, `name` renames it; `If-Match` guards against a change made meanwhile.
    static func change(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let qty = try Fields.optionalQuantity(body, "qty")
        let section = try Fields.optionalID(body, "section", "section_id")
        try await requireUsable(call, .section, section)
        // Not given: the name stays; null: the name is cleared.
        var rename: String?? = nil
        if let value = body["name"] {
            switch value {
            case .null: rename = .some(nil)
            case .string(let text): rename = .some(text)
            default: throw APIError.field("name", "text or null", got: value)
            }
        }
        guard qty != nil || section != nil || rename != nil else {
            throw APIError.badRequest("nothing to change; expected 'qty', 'section' or 'name'")
        }
        let note = try Fields.optionalText(body, "note") ?? "set through the API"
        let newName = rename
        let view = try await guarded(call) { store, view in
            if let qty { try store.adjustLot(view.lot.id, .to(Fields.inUnit(qty, view.uom)), reason: .audit, note: note, actor: caller.actor) }
            if let section, section != view.lot.sectionId { try store.moveLot(view.lot.id, toSection: section, actor: caller.actor) }
            if let newName { try store.renameLot(view.lot.id, name: newName, actor: caller.actor) }
        }
        return APIShapes.lotReply(view)
    }

    /// `qty`: the lot's new quantity (OpenTHC's adjust states what is there now), with an optional
    /// `reason` (audit, theft, waste, ...) and `note`; `delta` instead gives a signed change.
    static func adjust(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let absolute = try Fields.optionalQuantity(body, "qty")
        let delta = try Fields.optionalQuantity(body, "delta", signed: true)
        guard (absolute == nil) != (delta == nil) else {
            throw APIError.field("qty", "the lot's new quantity (or 'delta', a signed change), one of the two", got: body["qty"])
        }
        let reasonText = try Fields.optionalText(body, "reason") ?? LedgerReason.correction.rawValue
        guard let reason = LedgerReason(rawValue: reasonText), LedgerReason.adjustable.contains(reason) else {
            throw APIError.field("reason", "one of \(LedgerReason.adjustable.map(\.rawValue).joined(separator: ", "))", got: body["reason"])
        }
        let note = try Fields.optionalText(body, "note") ?? "adjusted through the API"
        let view = try await guarded(call) { store, view in
            let change: Adjustment = absolute.map { .to(Fields.inUnit($0, view.uom)) } ?? .by(Fields.inUnit(delta ?? "0", view.uom))
            try store.adjustLot(view.lot.id, change, reason: reason, note: note, actor: caller.actor)
        }
        return APIShapes.lotReply(view)
    }

    /// Destroys what is left of a lot: its quantity goes to zero through the ledger as waste,
    /// with `reason_code` and `reason_text` in the note.
    static func destroy(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        guard let code = try Fields.optionalText(body, "reason_code") else { throw APIError.field("reason_code", "why the lot is destroyed") }
        let text = try Fields.optionalText(body, "reason_text")
        let view = try await guarded(call) { store, view in
            guard view.lot.qty > 0 else { throw APIError.conflict("lot \(view.lot.id) holds nothing to destroy") }
            try store.adjustLot(view.lot.id, .to("0 \(view.uom)"), reason: .waste, note: "destroyed: \(code)" + (text.map { ": \($0)" } ?? ""), actor: caller.actor)
        }
        return APIShapes.lotReply(view)
    }

    /// OpenTHC's two-step delete: the first DELETE marks the lot (202, stat 410), the second
    /// confirms it (410, stat 423), any later one is refused (423).
    static func void(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        try caller.requireManager("voiding a lot")
        let view = try await ownLot(call)
        if view.lot.stat == 423 { throw APIError(.init(code: 423, reasonPhrase: "Locked"), "lot \(view.lot.id) is already void and locked") }
        let outcome = try await call.onStore { try $0.voidLot(view.lot.id, actor: caller.actor) }
        switch outcome {
        case .requested: return Envelope.json(VoidJSON(id: view.lot.id, stat: 410), meta: .init(note: "void requested; DELETE again to confirm"), status: .accepted)
        case .confirmed: return Envelope.json(VoidJSON(id: view.lot.id, stat: 423), meta: .init(note: "void confirmed"), status: .gone)
        }
    }
}

extension InventoryRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/inventory", summary: "Live lots of the session's license", open: false, body: nil,
                  replies: ["200": D.reply("lots", D.list(D.lotRow)), "400": D.error, "401": D.error], parameters: D.listParameters + D.pageParameters),
            Operation(method: "GET", path: "/inventory/{id}", summary: "One lot of the session's license", open: false, body: nil,
                  replies: ["200": D.reply("the lot", D.lot)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "POST", path: "/inventory", summary: "Create a lot; with 'source', split one or convert several", open: false,
                      body: D.body(D.newLot),
                  replies: ["201": D.reply("the new lot", D.lot), "501": D.error].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "PATCH", path: "/inventory/{id}", summary: "Set quantity (through the ledger), section or name; If-Match guards",
                      open: false, body: D.body(D.lotChange), replies: D.lotWrite, parameters: [D.ifMatch]),
            Operation(method: "POST", path: "/inventory/{id}", summary: "As PATCH", open: false, body: D.body(D.lotChange),
                      replies: D.lotWrite, parameters: [D.ifMatch]),
            Operation(method: "POST", path: "/inventory/{id}/adjust", summary: "Change the quantity by a signed amount", open: false,
                      body: D.body(D.lotAdjust), replies: D.lotWrite, parameters: [D.ifMatch]),
            Operation(method: "POST", path: "/inventory/{id}/destroy", summary: "Destroy what is left of the lot", open: false,
                      body: D.body(D.lotDestroy), replies: D.lotWrite, parameters: [D.ifMatch]),
            Operation(method: "DELETE", path: "/inventory/{id}", summary: "Void in two steps: 202 marks it, 410 confirms, then 423", open: false,
                      body: nil, replies: ["202": D.reply("void requested", D.voidState), "410": D.reply("void confirmed", D.voidState),
                                           "423": D.error, "401": D.error, "404": D.error]),
        ]
    }
}
