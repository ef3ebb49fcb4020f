import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// B2B transfers on the session license's side (contract §3): incoming ones it is the target
/// of, outgoing ones it is the source of; accepting an incoming one runs the dock's accept.
/// Another license's transfer is a 404. `GET /b2b/incoming` lists the open ones (stat 200), as
/// cre does, unless `stat` asks for another.
enum B2BRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/b2b") { call in
                let direction: APITransfer.Direction?
                switch call.query("type") {
                case nil: direction = nil
                case let text?:
                    guard let parsed = APITransfer.Direction(rawValue: text.lowercased()) else {
                        throw APIError.badRequest("query 'type' is '\(text)'; expected incoming or outgoing")
                    }
                    direction = parsed
                }
                return try await list(call, direction: direction, defaultStat: nil)
            },
            APIRoute(.get, "/b2b/incoming") { call in
                try await list(call, direction: .incoming, defaultStat: 200)
            },
            APIRoute(.get, "/b2b/outgoing") { call in
                try await list(call, direction: .outgoing, defaultStat: nil)
            },
            APIRoute(.get, "/b2b/{id}") { call in try await single(call, direction: nil) },
            APIRoute(.get, "/b2b/incoming/{id}") { call in try await single(call, direction: .incoming) },
            APIRoute(.post, "/b2b/{id}/accept", .session, accept),
            APIRoute(.post, "/b2b/incoming/{id}/accept", .session, accept),
        ] + incoming + manifestFile
    }

    static func list(_ call: APICall, direction: APITransfer.Direction?, defaultStat: Int?) async throws -> Response {
        let caller = try call.caller()
        let (query, meta) = try Listing.query(call)
        let stat = query.stat ?? defaultStat
        let rows = try await call.onStore {
            try $0.apiTransfers(license: caller.licenseID, direction: direction, stat: stat, limit: query.limit, offset: query.offset)
        }
        return Envelope.json(rows.map(B2BShapes.transfer), meta: meta)
    }

    static func single(_ call: APICall, direction: APITransfer.Direction?) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        guard let transfer = try await call.onStore({ try $0.apiTransfer(id: id, license: caller.licenseID) }),
              direction == nil || transfer.direction == direction else {
            throw APIError.notFound("no transfer \(id) for this license")
        }
        return Envelope.json(B2BShapes.transfer(transfer))
    }

    /// `{section_id?}` → 201 with the transfer after: a new lot per item not yet accepted.
    static func accept(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let body = try await call.body()
        let section = try Fields.optionalID(body, "section_id", "section")
        // `item_list` of {id, inventory_id, qty?}: the lot each item becomes (a box replaying its
        // dock's accept keeps its lot ids) and what was received; only those items are taken.
        var lotIDs: [String: String] = [:], quantities: [String: Int64] = [:]
        for (index, item) in (try Fields.objects(body, "item_list", expected: "a list of {id, inventory_id, qty}") ?? []).enumerated() {
            let place = "item_list[\(index)]"
            guard let itemID = try Fields.optionalText(item, ["id"]) else { throw APIError.field("\(place).id", "the transfer item's id") }
            guard let lotID = try Fields.optionalID(item, "inventory_id", "inventory") else {
                throw APIError.field("\(place).inventory_id", "the id of the lot the item becomes")
            }
            lotIDs[itemID] = lotID
            if let qty = try Fields.optionalQuantity(item, "qty") {
                guard let units = try? Fixed4(parsing: qty).units, units > 0 else {
                    throw APIError.field("\(place).qty", "the quantity received, more than zero, in the item's lot unit", got: item["qty"])
                }
                quantities[itemID] = units
            }
        }
        if !call.services.honoursClientIDs, !lotIDs.isEmpty {
            // `[api] client_ids = "ignore"`: this API names the lots itself, as cre does. An item
            // accepted already keeps its lot (the same accept again answers it unchanged).
            let before = try await call.readStore { try $0.apiTransfer(id: id, license: caller.licenseID) }
            let generator = ULIDGenerator()
            for itemID in lotIDs.keys {
                lotIDs[itemID] = try before?.items.first(where: { $0.id == itemID })?.lotID ?? generator.next().text
            }
        }
        do {
            // Another license's section is 403, an unknown one 404, as for inventory.
            try await InventoryRoutes.requireUsable(call, .section, section)
        } catch let error as APIError {
            throw APIError(error.status, "'section_id': \(error.note)")
        }
        do {
            let (named, counts) = (lotIDs, quantities)
            let transfer = try await call.onStore {
                try $0.acceptTransfer(id: id, license: caller.licenseID, section: section, lotIDs: named, quantities: counts, actor: caller.actor)
            }
            return Envelope.json(B2BShapes.transfer(transfer), status: .created)
        } catch StoreError.notFound(let kind, let key) where kind == "transfer item" {
            throw APIError.badRequest("'item_list': \(key) is not an item of transfer \(id)")
        } catch let refusal as OperationRefused {
            switch refusal.reason {
            case "unknown-section": throw APIError.forbidden("'section_id': \(refusal.message)")
            case "transfer-closed", "transfer-draft", "transfer-canceled": throw APIError.conflict(refusal.message)
            default: throw APIError.conflict("transfer \(id): \(refusal.message)")
            }
        }
    }
}

extension B2BRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let one = D.reply("the transfer", D.transfer)
        let many = D.reply("transfers", D.list(D.transfer))
        let stat = D.statParameter
        let type: [String: Any] = ["name": "type", "in": "query", "required": false, "schema": ["type": "string", "enum": ["incoming", "outgoing"]]]
        let paging = D.listParameters.filter { $0["name"] as? String != "q" }
        let acceptReplies = ["201": D.reply("the transfer, accepted", D.transfer)].merging(D.writeErrors) { a, _ in a }
        return [
            Operation(method: "GET", path: "/b2b", summary: "Transfers of the session's license: incoming (its target) and outgoing (its source)",
                      open: false, body: nil, replies: ["200": many, "400": D.error, "401": D.error], parameters: paging + [type, stat]),
            Operation(method: "GET", path: "/b2b/incoming", summary: "Incoming transfers still open (stat 200), or of `stat`", open: false, body: nil,
                      replies: ["200": many, "400": D.error, "401": D.error], parameters: paging + [stat]),
            Operation(method: "GET", path: "/b2b/outgoing", summary: "Outgoing transfers of the session's license", open: false, body: nil,
                      replies: ["200": many, "400": D.error, "401": D.error], parameters: paging + [stat]),
            Operation(method: "GET", path: "/b2b/{id}", summary: "One transfer on the session license's side", open: false, body: nil,
                      replies: ["200": one].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/b2b/incoming/{id}", summary: "One incoming transfer of the session's license", open: false, body: nil,
                      replies: ["200": one].merging(D.readErrors) { a, _ in a }),
            Operation(method: "POST", path: "/b2b/{id}/accept",
                      summary: "Accept an incoming transfer: a lot per item (its counted, else its manifest quantity), stat 307", open: false,
                      body: D.body(D.acceptBody), replies: acceptReplies),
            Operation(method: "POST", path: "/b2b/incoming/{id}/accept", summary: "Accept an incoming transfer (alias of /b2b/{id}/accept)",
                      open: false, body: D.body(D.acceptBody), replies: acceptReplies),
        ] + incomingOperations + manifestFileOperations
    }
}
