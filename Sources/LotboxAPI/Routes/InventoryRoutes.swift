import Foundation
import Hummingbird
import LotboxStore

/// Inventory lots of the session's license (contract §3).
enum InventoryRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/inventory") { call in
                let caller = try call.caller()
                let limit = try Listing.limit(call)
                let rows = try await call.onStore { store in
                    try store.lots(LotFilter(licenseKey: caller.licenseID, limit: limit)).map { LotView(lot: $0.lot, uom: $0.product.packageUnitUom) }
                }
                return Envelope.reply(try Listing.page(rows, call).map(APIShapes.lotRow))
            },
            APIRoute(.get, "/inventory/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let view = try await call.onStore({ try $0.lotView(id: id, license: caller.licenseID) }) else {
                    throw APIError.notFound("no lot \(id) for this license")
                }
                return Envelope.reply(APIShapes.lot(view))
            },
            APIRoute(.post, "/inventory", .session, create),
        ]
    }

    /// Without `source`: a new lot of `product` (id or `{id}`), `qty`, and optional `variety`,
    /// `section`, `name`.
    static func create(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        guard body["source"] == nil else {
            throw APIError(.notImplemented, "splitting and converting through POST /inventory with 'source' is not served yet")
        }
        guard let product = (body["product"] ?? body["product_id"])?.id else { throw APIError.field("product", "a product id or {\"id\": …}", got: body["product"]) }
        guard let qty = body["qty"]?.text, !qty.isEmpty else { throw APIError.field("qty", "a quantity such as \"10\" or 10.5", got: body["qty"]) }
        let new = NewLot(licenseKey: caller.licenseID, productKey: product, varietyKey: (body["variety"] ?? body["variety_id"])?.id,
                         sectionKey: (body["section"] ?? body["section_id"])?.id, qty: qty, name: body["name"]?.text)
        let view = try await call.onStore { store -> LotView? in
            let lot = try store.createLot(new, actor: caller.actor)
            return try store.lotView(id: lot.id, license: caller.licenseID)
        }
        guard let view else { throw APIError(.internalServerError, "the new lot could not be read back") }
        return Envelope.reply(APIShapes.lot(view), status: .created)
    }
}

extension InventoryRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/inventory", summary: "Live lots of the session's license", open: false, body: nil,
                  replies: ["200": D.reply("lots", D.list(D.lotRow)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "GET", path: "/inventory/{id}", summary: "One lot of the session's license", open: false, body: nil,
                  replies: ["200": D.reply("the lot", D.lot)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "POST", path: "/inventory", summary: "Create a lot", open: false, body: D.body(D.newLot),
                  replies: ["201": D.reply("the new lot", D.lot), "501": D.error].merging(D.writeErrors) { a, _ in a }),
        ]
    }
}
