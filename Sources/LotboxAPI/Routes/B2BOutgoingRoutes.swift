import Foundation
import Hummingbird
import LotboxStore

/// Transfers made over the API (contract §3): `POST /b2b` makes the header — outgoing from the
/// session's license with `license_id_target`/`target`, incoming to it with
/// `license_id_source`/`source` — then an outgoing one takes items (`{inventory_id, qty}`, 201)
/// and is committed (`{status: commit}` or `/commit`, 202): its stock leaves through the ledger
/// and a target license on this box gets the incoming transfer to accept. The store's
/// header-first operations do the work; another license's transfer is 404.
enum B2BOutgoingRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.post, "/b2b", .session, create),
            APIRoute(.post, "/b2b/{id}", .session, update),
            APIRoute(.post, "/b2b/{id}/commit", .session, commit),
            APIRoute(.post, "/b2b/outgoing/{id}/item", .session, addItem),
            APIRoute(.post, "/b2b/outgoing/{id}/commit", .session, commitOutgoing),
        ]
    }

    static func create(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let target = try Fields.optionalID(body, "license_id_target", "target")
        let source = try Fields.optionalID(body, "license_id_source", "source")
        let id = try call.chosenID(body)
        let name = try Fields.optionalText(body, ["name"])
        let departAt = try Fields.optionalText(body, ["depart_at"]), arriveAt = try Fields.optionalText(body, ["arrive_at"])
        let incoming: Bool
        switch (target, source) {
        case (let target?, let source) where target != caller.licenseID && (source == nil || source == caller.licenseID): incoming = false
        case (let target, let source?) where source != caller.licenseID && (target == nil || target == caller.licenseID): incoming = true
        case (nil, nil):
            throw APIError.field("license_id_target", "the receiving license (an outgoing transfer), or license_id_source (an incoming one)")
        default:
            // Both named, and neither is this license (or both are): not a transfer this session may make.
            throw APIError.forbidden("'license_id_target' and 'license_id_source': one of them must be this session's license and the other another license")
        }
        let transfer: APITransfer? = try await mapped(other: incoming ? "license_id_source" : "license_id_target") {
            try await call.onStore { store in
                let made: String
                if incoming, let source {
                    made = try store.createIncomingTransfer(from: source, license: caller.licenseID, name: name, departAt: departAt,
                                                            arriveAt: arriveAt, id: id, draft: true, actor: caller.actor).id
                } else if let target {
                    made = try store.createOutgoingTransfer(NewOutgoingTransfer(targetLicenseKey: target, name: name, departAt: departAt,
                                                                                arriveAt: arriveAt, id: id),
                                                            license: caller.licenseID, actor: caller.actor).id
                } else {
                    throw APIError.field("license_id_target", "the receiving license")
                }
                return try store.apiTransfer(id: made, license: caller.licenseID)
            }
        }
        guard let transfer else { throw APIError(.internalServerError, "the new transfer could not be read back") }
        return Envelope.json(TransferHeaderJSON(id: transfer.id, source: Ref(transfer.sourceLicenseID), target: Ref(transfer.targetLicenseID),
                                                depart_at: OrNull(transfer.departAt), arrive_at: OrNull(transfer.arriveAt)), status: .created)
    }

    /// `{inventory_id, qty}` adds an item (201); `{status: "commit"}` commits (202).
    static func update(_ call: APICall) async throws -> Response {
        let body = try await call.body()
        if let status = try Fields.optionalText(body, ["status"]) {
            guard status.lowercased() == "commit" else { throw APIError.field("status", "commit", got: body["status"]) }
            return try await commit(call)
        }
        if try await isIncoming(call) { return try await B2BRoutes.recordLine(call, body: body) }
        return try await addItem(call, body: body)
    }

    /// `POST /b2b/{id}` and `/b2b/{id}/commit` serve both sides: an incoming transfer of the
    /// session's license goes to the recorded manifest's routes.
    static func isIncoming(_ call: APICall) async throws -> Bool {
        let caller = try call.caller()
        let id = try call.parameter("id")
        return try await call.onStore { try $0.apiTransfer(id: id, license: caller.licenseID)?.direction == .incoming }
    }

    static func addItem(_ call: APICall) async throws -> Response {
        try await addItem(call, body: try await call.body())
    }

    static func addItem(_ call: APICall, body: BodyValue) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        guard let lotID = try Fields.optionalID(body, "inventory_id", "inventory") else {
            throw APIError.field("inventory_id", "a lot id of this license, or {\"id\": …}")
        }
        guard let qty = try Fields.optionalQuantity(body, "qty") ?? Fields.optionalQuantity(body, "unit_count") else {
            throw APIError.field("qty", "a quantity such as 10 or \"10.5\"")
        }
        let price = try Fields.optionalPrice(body, "unit_price")
        // The item's own id when the client chose one: the same item again answers it unchanged.
        let itemID = try call.chosenID(body)
        guard let lot = try await call.onStore({ try $0.lotView(id: lotID, license: caller.licenseID) }) else {
            throw APIError.forbidden("'inventory_id': lot \(lotID) is not one of this license's lots")
        }
        let amount = Fields.inUnit(qty, lot.uom)
        let transfer = try await mapped(other: "inventory_id", invalid: "qty") {
            try await call.onStore { store -> APITransfer? in
                guard try store.apiTransfer(id: id, license: caller.licenseID)?.direction == .outgoing else {
                    throw APIError.notFound("no outgoing transfer \(id) for this license")
                }
                _ = try store.addOutgoingItem(transfer: id, license: caller.licenseID, lot: lotID, qty: amount, unitPrice: price,
                                              itemID: itemID, actor: caller.actor)
                return try store.apiTransfer(id: id, license: caller.licenseID)
            }
        }
        guard let transfer else { throw APIError.notFound("no transfer \(id) for this license") }
        return Envelope.json(B2BShapes.transfer(transfer), status: .created)
    }

    static func commit(_ call: APICall) async throws -> Response {
        if try await isIncoming(call) { return try await B2BRoutes.commitIncoming(call) }
        return try await commitOutgoing(call)
    }

    static func commitOutgoing(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let transfer = try await mapped(other: "id") {
            try await call.onStore { store -> APITransfer? in
                guard try store.apiTransfer(id: id, license: caller.licenseID)?.direction == .outgoing else {
                    throw APIError.notFound("no outgoing transfer \(id) for this license")
                }
                _ = try store.commitOutgoingTransfer(id, license: caller.licenseID, actor: caller.actor)
                return try store.apiTransfer(id: id, license: caller.licenseID)
            }
        }
        guard let transfer else { throw APIError.notFound("no transfer \(id) for this license") }
        return Envelope.json(B2BShapes.transfer(transfer), status: .accepted)
    }

    /// The store's refusals of a transfer: a state that does not allow it (committed, empty)
    /// 409; an unknown license or lot 404 naming the field; a bad quantity 400.
    /// `invalid` names the field a store's "invalid" is about (an item's quantity).
    static func mapped<T: Sendable>(other field: String, invalid: String? = nil, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let refusal as OperationRefused {
            throw APIError.conflict(refusal.message)
        } catch StoreError.notFound(let kind, let key) {
            throw APIError.notFound("'\(kind == "lot" ? "inventory_id" : field)': no \(kind) \(key)")
        } catch StoreError.invalid(let message) where invalid != nil {
            throw APIError.badRequest("'\(invalid ?? "")': \(message)")
        }
    }
}

/// `POST /b2b`'s 201: the 5 keys contract §4 pins.
struct TransferHeaderJSON: Encodable {
    let id: String
    let source: Ref
    let target: Ref
    let depart_at: OrNull<String>
    let arrive_at: OrNull<String>
}

extension B2BOutgoingRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let header: [String: Any] = ["type": "object", "required": ["id", "source", "target", "depart_at", "arrive_at"],
                                     "properties": ["id": D.idText, "source": D.refOut, "target": D.refOut,
                                                    "depart_at": D.nullableText, "arrive_at": D.nullableText]]
        let newHeader: [String: Any] = ["type": "object",
                                        "anyOf": [["required": ["license_id_target"]], ["required": ["license_id_source"]]],
                                        "properties": ["license_id_target": D.idText, "license_id_source": D.idText, "id": D.chosenID,
                                                       "name": ["type": "string", "minLength": 1],
                                                       "depart_at": ["type": "string", "format": "date-time"],
                                                       "arrive_at": ["type": "string", "format": "date-time"]]]
        let item: [String: Any] = ["type": "object", "required": ["inventory_id", "qty"],
                                   "properties": ["inventory_id": D.idText, "qty": D.quantityIn, "unit_price": D.moneyIn, "id": D.chosenID]]
        let update: [String: Any] = ["type": "object", "anyOf": [["required": ["inventory_id", "qty"]], ["required": ["product", "qty"]], ["required": ["status"]]],
                                     "properties": ["inventory_id": D.idText, "qty": D.quantityIn, "unit_price": D.moneyIn,
                                                    "product": D.idOrObject, "variety": D.idOrObject, "id": D.chosenID,
                                                    "status": ["type": "string", "enum": ["commit"]]],
                                     "description": "outgoing: {inventory_id, qty}; incoming draft: a manifest line {product, qty} (as /b2b/incoming/{id}/item); either: {status: commit}"]
        let committed = ["202": D.reply("the transfer, committed (stat 307)", D.transfer)].merging(D.writeErrors) { a, _ in a }
        let added = ["201": D.reply("the transfer with the new item", D.transfer)].merging(D.writeErrors) { a, _ in a }
        return [
            Operation(method: "POST", path: "/b2b",
                      summary: "Make a transfer header: outgoing with license_id_target, incoming with license_id_source (a chosen id replays)",
                      open: false, body: D.body(newHeader), replies: ["201": D.reply("the header", header)].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/b2b/{id}", summary: "Add an item to an open outgoing transfer or a line to a draft incoming one (201), or {status: commit} (202)",
                      open: false, body: D.body(update), replies: added.merging(committed) { a, _ in a }),
            Operation(method: "POST", path: "/b2b/{id}/commit", summary: "Commit an outgoing transfer (its stock leaves through the ledger), or a draft incoming one (it goes to the dock)",
                      open: false, body: nil, replies: committed),
            Operation(method: "POST", path: "/b2b/outgoing/{id}/item", summary: "Add an item to an open outgoing transfer",
                      open: false, body: D.body(item), replies: added),
            Operation(method: "POST", path: "/b2b/outgoing/{id}/commit", summary: "Commit an outgoing transfer (alias)",
                      open: false, body: nil, replies: committed),
        ]
    }
}
