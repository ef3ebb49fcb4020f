import Foundation
import Hummingbird
import LotboxStore

/// An incoming transfer a receiver types in from the paper manifest (contract §3: `POST /b2b`
/// with `license_id_source` makes the draft header): its lines one by one, then the commit that
/// puts it at the dock, ready to scan and accept. And `DELETE /b2b/{id}`: a transfer not yet
/// committed (outgoing) or accepted (incoming) is canceled in two steps.
extension B2BRoutes {
    static var incoming: [APIRoute] {
        [
            APIRoute(.post, "/b2b/incoming/{id}/item", .session) { call in try await recordLine(call, body: try await call.body()) },
            APIRoute(.post, "/b2b/incoming/{id}/commit", .session, commitIncoming),
            APIRoute(.delete, "/b2b/{id}", .session, delete),
        ]
    }

    /// `{product, variety?, qty, unit_price?, inventory_id?, id?}` → 201 with the transfer.
    static func recordLine(_ call: APICall, body: BodyValue) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        guard let product = try Fields.optionalID(body, "product", "product_id") else {
            throw APIError.field("product", "a product of this license (id or name), or {\"id\": …}")
        }
        let variety = try Fields.optionalID(body, "variety", "variety_id")
        let qty = try Fields.quantity(body, "qty")
        let price = try Fields.optionalPrice(body, "unit_price")
        let package = try Fields.optionalID(body, "inventory_id", "inventory")
        let itemID = try call.chosenID(body)
        let transfer = try await incomingRefusals {
            try await call.onStore { store -> APITransfer? in
                _ = try store.recordIncomingLine(transfer: id, license: caller.licenseID, product: product, variety: variety, qty: qty,
                                                 unitPrice: price, packageID: package, itemID: itemID, actor: caller.actor)
                return try store.apiTransfer(id: id, license: caller.licenseID)
            }
        }
        guard let transfer else { throw APIError.notFound("no incoming transfer \(id) for this license") }
        return Envelope.json(B2BShapes.transfer(transfer), status: .created)
    }

    /// The draft is complete: 202 with the transfer, now at the dock (stat 200).
    static func commitIncoming(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let transfer = try await incomingRefusals {
            try await call.onStore { store -> APITransfer? in
                _ = try store.commitIncomingTransfer(id, license: caller.licenseID, actor: caller.actor)
                return try store.apiTransfer(id: id, license: caller.licenseID)
            }
        }
        guard let transfer else { throw APIError.notFound("no incoming transfer \(id) for this license") }
        return Envelope.json(B2BShapes.transfer(transfer), status: .accepted)
    }

    /// 202 (canceled, stat 410), then 410 (confirmed, stat 423), then 423; a committed outgoing
    /// or an accepted incoming transfer is 409: its stock has moved.
    static func delete(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        try caller.requireManager("voiding a transfer")
        let id = try call.parameter("id")
        let step = try await incomingRefusals {
            try await call.onStore { store -> DeleteStep in
                switch try store.apiTransfer(id: id, license: caller.licenseID)?.direction {
                case .outgoing?: return try store.deleteOutgoingTransfer(id, license: caller.licenseID, actor: caller.actor)
                case .incoming?: return try store.deleteIncomingTransfer(id, license: caller.licenseID, actor: caller.actor)
                case nil: throw APIError.notFound("no transfer \(id) for this license")
                }
            }
        }
        switch step {
        case .requested: return Envelope.json(DeleteJSON(id: id, stat: 410), meta: .init(note: "cancel requested; DELETE again to confirm"), status: .accepted)
        case .confirmed: return Envelope.json(DeleteJSON(id: id, stat: 423), meta: .init(note: "canceled"), status: .gone)
        case .locked: throw APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "transfer \(id) is already canceled and locked")
        }
    }

    /// The store's refusals of a recorded transfer: a state that does not allow it 409, an
    /// unknown product or variety 404 naming the field, a bad quantity or id 400.
    static func incomingRefusals<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let refusal as OperationRefused {
            if refusal.reason == "bad-id" { throw APIError.badRequest("'id': \(refusal.message)") }
            throw APIError.conflict(refusal.message)
        } catch StoreError.notFound(let kind, let key) {
            switch kind {
            case "product", "variety": throw APIError.notFound("'\(kind)': no \(kind) \(key) for this license")
            default: throw APIError.notFound("no \(kind) \(key) for this license")
            }
        } catch StoreError.invalid(let message) {
            throw APIError.badRequest("'qty': \(message)")
        }
    }
}

extension B2BRoutes {
    static var incomingOperations: [OpenAPIDocument.Operation] {
        typealias D = OpenAPIDocument
        let line: [String: Any] = ["type": "object", "required": ["product", "qty"],
                                   "properties": ["product": D.idOrObject, "variety": D.idOrObject, "qty": D.quantityIn, "unit_price": D.moneyIn,
                                                  "inventory_id": D.idText, "id": D.chosenID],
                                   "description": "one line of the paper manifest: inventory_id is the sender's package id (the line's own id when left out)"]
        let deleteReplies: [String: [String: Any]] = ["202": D.reply("cancel requested", D.voidState), "410": D.reply("canceled", D.voidState),
                                                      "423": D.error, "401": D.error, "404": D.error, "409": D.error]
        return [
            D.Operation(method: "POST", path: "/b2b/incoming/{id}/item",
                        summary: "Record a line of a draft incoming transfer as the paper manifest has it (a chosen id replays)", open: false,
                        body: D.body(line), replies: ["201": D.reply("the transfer with the new line", D.transfer)].merging(D.writeErrors) { a, _ in a }),
            D.Operation(method: "POST", path: "/b2b/incoming/{id}/commit",
                        summary: "The manifest is complete: the transfer goes to the dock (stat 200), ready to scan and accept", open: false,
                        body: nil, replies: ["202": D.reply("the transfer, at the dock", D.transfer)].merging(D.writeErrors) { a, _ in a }),
            D.Operation(method: "DELETE", path: "/b2b/{id}",
                        summary: "Cancel a transfer not yet committed (outgoing) or accepted (incoming): 202, then 410, then 423; 409 once stock has moved",
                        open: false, body: nil, replies: deleteReplies),
        ]
    }
}
