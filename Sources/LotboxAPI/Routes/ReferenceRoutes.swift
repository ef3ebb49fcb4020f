import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// Sections, varieties, products and vehicles of the session's license (contract §3): names
/// unique within a license, a client's chosen id honoured (the same create again answers the
/// first row), updates guarded by `If-Match`. Shared rows (no license) are read by every
/// license and changed only from the CLI; another license's rows do not exist for a session.
enum ReferenceRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/section") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.sections(license: caller.licenseID, query: query) }, query, meta, APIShapes.sectionRow)
            },
            APIRoute(.post, "/section") { call in
                let caller = try call.caller()
                let body = try await call.body()
                let name = try Fields.requiredText(body, "name")
                let type = try sectionType(body)
                let id = try call.chosenID(body)
                let row = try await call.onStore { try $0.addSection(name: name, type: type ?? .inventory, licenseKey: caller.licenseID, id: id, actor: caller.actor) }
                return Envelope.json(APIShapes.sectionRow(row), status: .created)
            },
            APIRoute(.get, "/section/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.section(id: id, license: caller.licenseID) }) else { throw APIError.notFound("no section \(id)") }
                return Envelope.json(APIShapes.section(row))
            },
            APIRoute(.post, "/section/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let name = try Fields.optionalText(body, "name"), type = try sectionType(body)
                let ifMatch = Self.ifMatch(call)
                let row = try await call.onStore { store in
                    try store.transaction {
                        try requireOwn(store.section(id: id, license: caller.licenseID)?.licenseId, caller, "section", id)
                        return try store.setSection(id, name: name, type: type, licenseKey: caller.licenseID, ifMatch: ifMatch, actor: caller.actor)
                    }
                }
                return Envelope.json(APIShapes.section(row))
            },
            APIRoute(.get, "/variety") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.varieties(license: caller.licenseID, query: query) }, query, meta, APIShapes.variety)
            },
            APIRoute(.post, "/variety") { call in
                let caller = try call.caller()
                let body = try await call.body()
                let name = try Fields.requiredText(body, "name")
                let type = try Fields.optionalText(body, "type"), id = try call.chosenID(body)
                let row = try await call.onStore { try $0.addVariety(name: name, type: type, licenseKey: caller.licenseID, id: id, actor: caller.actor) }
                return Envelope.json(APIShapes.variety(row), status: .created)
            },
            APIRoute(.get, "/variety/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.variety(id: id, license: caller.licenseID) }) else { throw APIError.notFound("no variety \(id)") }
                return Envelope.json(APIShapes.variety(row))
            },
            APIRoute(.post, "/variety/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let name = try Fields.optionalText(body, "name"), type = try Fields.optionalText(body, "type")
                let ifMatch = Self.ifMatch(call)
                let row = try await call.onStore { store in
                    try store.transaction {
                        try requireOwn(store.variety(id: id, license: caller.licenseID)?.licenseId, caller, "variety", id)
                        return try store.setVariety(id, name: name, type: type, licenseKey: caller.licenseID, ifMatch: ifMatch, actor: caller.actor)
                    }
                }
                return Envelope.json(APIShapes.variety(row))
            },
            APIRoute(.get, "/product") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.products(license: caller.licenseID, query: query) }, query, meta, APIShapes.product)
            },
            APIRoute(.post, "/product", .session, createProduct),
            APIRoute(.get, "/product/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.product(id: id, license: caller.licenseID) }) else { throw APIError.notFound("no product \(id)") }
                return Envelope.json(APIShapes.product(row))
            },
            APIRoute(.post, "/product/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let changes = ProductChanges(name: try Fields.optionalText(body, "name"), price: try Fields.optionalQuantity(body, "unit_price"),
                                             typeKey: try Fields.optionalText(body, "type"))
                let ifMatch = Self.ifMatch(call)
                let row = try await call.onStore { store in
                    try store.transaction {
                        try requireOwn(store.product(id: id, license: caller.licenseID)?.licenseId, caller, "product", id)
                        return try store.setProduct(id, changes, licenseKey: caller.licenseID, ifMatch: ifMatch, actor: caller.actor)
                    }
                }
                return Envelope.json(APIShapes.product(row))
            },
            APIRoute(.get, "/product/type") { call in
                let q = call.query("q")?.lowercased()
                let rows = ProductType.all.filter { type in q.map { type.name.lowercased().contains($0) || type.id.lowercased().contains($0) } ?? true }
                return Envelope.json(rows.map(ProductTypeJSON.init))
            },
            APIRoute(.get, "/product/type/{id}") { call in
                let id = try call.parameter("id")
                guard let type = ProductType.find(anySpelling: id) else { throw APIError.notFound("no product type \(id)") }
                return Envelope.json(ProductTypeJSON(type))
            },
            APIRoute(.get, "/vehicle") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.vehicles(license: caller.licenseID, query: query) }, query, meta, APIShapes.vehicle)
            },
            APIRoute(.post, "/vehicle") { call in
                let caller = try call.caller()
                let body = try await call.body()
                var new = NewVehicle(name: try Fields.requiredText(body, "name"), make: try Fields.optionalText(body, "make"),
                                     model: try Fields.optionalText(body, "model"), color: try Fields.optionalText(body, "color"),
                                     vin: try Fields.optionalText(body, "vin"), plate: try Fields.optionalText(body, "plate"))
                new.id = try Fields.optionalText(body, "id")
                let chosen = new
                let row = try await call.onStore { try $0.addVehicle(chosen, licenseKey: caller.licenseID, actor: caller.actor) }
                return Envelope.json(APIShapes.vehicle(row), status: .created)
            },
            APIRoute(.get, "/vehicle/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.vehicle(id: id, license: caller.licenseID) }) else { throw APIError.notFound("no vehicle \(id)") }
                return Envelope.json(APIShapes.vehicle(row))
            },
            APIRoute(.post, "/vehicle/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let changes = VehicleChanges(name: try Fields.optionalText(body, "name"), make: try Fields.optionalText(body, "make"),
                                             model: try Fields.optionalText(body, "model"), color: try Fields.optionalText(body, "color"),
                                             vin: try Fields.optionalText(body, "vin"), plate: try Fields.optionalText(body, "plate"))
                let ifMatch = Self.ifMatch(call)
                let row = try await call.onStore { try $0.updateVehicle(id, license: caller.licenseID, changes, ifMatch: ifMatch, actor: caller.actor) }
                return Envelope.json(APIShapes.vehicle(row))
            },
            delete("section") { try $0.deleteSection(id: $1, license: $2, ifMatch: $3, actor: $4) },
            delete("variety") { try $0.deleteVariety(id: $1, license: $2, ifMatch: $3, actor: $4) },
            delete("product") { try $0.deleteProduct(id: $1, license: $2, ifMatch: $3, actor: $4) },
            delete("vehicle") { try $0.deleteVehicle(id: $1, license: $2, ifMatch: $3, actor: $4) },
        ]
    }

    /// OpenTHC's two-step delete of a row of the license: 202, then 410, then 423.
    static func delete(_ kind: String, _ remove: @escaping @Sendable (LotStore, String, String, String?, String) throws -> DeleteStep) -> APIRoute {
        APIRoute(.delete, "/\(kind)/{id}") { call in
            let caller = try call.caller()
            try caller.requireManager("deleting a \(kind)")
            let id = try call.parameter("id")
            let ifMatch = Self.ifMatch(call)
            let step = try await call.onStore { try remove($0, id, caller.licenseID, ifMatch, caller.actor) }
            switch step {
            case .requested: return Envelope.json(DeleteJSON(id: id, stat: 410), meta: .init(note: "delete requested; DELETE again to confirm"), status: .accepted)
            case .confirmed: return Envelope.json(DeleteJSON(id: id, stat: 423), meta: .init(note: "deleted"), status: .gone)
            case .locked: throw APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "\(kind) \(id) is already deleted and locked")
            }
        }
    }

    static func ifMatch(_ call: APICall) -> String? {
        call.request.headers[.ifMatch].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }.flatMap { $0 == "*" || $0.isEmpty ? nil : $0 }
    }

    /// A row a session may change: its own license's. Shared rows are the CLI's to change.
    static func requireOwn(_ owner: String??, _ caller: Caller, _ kind: String, _ id: String) throws {
        switch owner {
        case .none: throw APIError.notFound("no \(kind) \(id)")
        case .some(.none): throw APIError.forbidden("\(kind) \(id) is shared by every license; change it with `lotbox \(kind) set`")
        case .some(.some(let license)) where license != caller.licenseID: throw APIError.notFound("no \(kind) \(id)")
        default: return
        }
    }

    static func sectionType(_ body: BodyValue) throws -> SectionType? {
        guard let text = try Fields.optionalText(body, "type") else { return nil }
        guard let type = SectionType(rawValue: text.lowercased()) else {
            throw APIError.field("type", "one of \(SectionType.allCases.map(\.rawValue).joined(separator: ", "))", got: body["type"])
        }
        return type
    }

    /// `{name, type, uom}` (contract §3): the type by id in any of its three spellings or by name;
    /// `package_type` (bulk, each, pack) defaults to the type's own; each and pack take
    /// `unit_size` ("3.5 g"), pack also `pack_count`; `unit_price` optional.
    static func createProduct(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let name = try Fields.requiredText(body, "name")
        let typeKey = try Fields.requiredText(body, "type")
        guard let type = ProductType.find(anySpelling: typeKey) ?? ProductType.find(typeKey) else {
            throw APIError.field("type", "a product type id or name (GET /product/type)", got: body["type"])
        }
        var package = type.mode ?? .bulk
        if let text = try Fields.optionalText(body, "package_type") {
            guard let chosen = PackageType(rawValue: text.lowercased()) else {
                throw APIError.field("package_type", "bulk, each or pack", got: body["package_type"])
            }
            package = chosen
        }
        // A bulk product's lots are counted in `uom`; an each or pack product's unit is `unit_size`,
        // or one of `uom` (OpenTHC's `{name, type, uom}` for a packaged type names no size).
        let uom = try Fields.optionalText(body, "uom")
        let unit = package == .bulk ? (uom ?? "g") : try Fields.optionalText(body, "unit_size") ?? uom.map { "1 \($0)" }
        let new = NewProduct(name: name, typeKey: type.id, packageType: package, unit: unit,
                             packCount: try Fields.optionalText(body, "pack_count"), unitPrice: try Fields.optionalQuantity(body, "unit_price"),
                             licenseKey: caller.licenseID, id: try call.chosenID(body))
        let row = try await call.onStore { try $0.addProduct(new, actor: caller.actor) }
        return Envelope.json(TypedRowJSON(id: row.id, name: row.name, type: row.type), meta: .init(note: "created"), status: .created)
    }
}

/// The three keys cre's suite counts in a section's list rows and in a section's or product's
/// create reply (contract §4); `GET …/{id}` shows the rest, its hash included.
struct TypedRowJSON: Encodable {
    let id: String
    let name: String
    let type: String
}

struct DeleteJSON: Encodable {
    let id: String
    let stat: Int
}

struct ProductTypeJSON: Encodable {
    let id: String
    let name: String
    let mode: String?

    init(_ type: ProductType) {
        id = type.id
        name = type.name
        mode = type.mode?.rawValue
    }
}

extension ReferenceRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let named: [String: Any] = ["type": "object", "required": ["id", "name", "hash"],
                                    "properties": ["id": D.idText, "name": ["type": "string"], "type": D.nullableText,
                                                   "license": ["oneOf": [D.refOut, ["type": "null"]]], "hash": ["type": "string"]]]
        let product: [String: Any] = ["type": "object", "required": ["id", "name", "type", "package_type", "uom", "hash"],
                                      "properties": ["id": D.idText, "name": ["type": "string"], "type": ["type": "string"],
                                                     "package_type": ["type": "string"], "uom": ["type": "string"], "unit_price": D.nullableText,
                                                     "license": ["oneOf": [D.refOut, ["type": "null"]]], "hash": ["type": "string"]]]
        let vehicle: [String: Any] = ["type": "object", "required": ["id", "name", "hash"],
                                      "properties": ["id": D.idText, "name": ["type": "string"], "make": D.nullableText, "model": D.nullableText,
                                                     "color": D.nullableText, "vin": D.nullableText, "plate": D.nullableText, "hash": ["type": "string"]]]
        let productType: [String: Any] = ["type": "object", "required": ["id", "name"],
                                          "properties": ["id": ["type": "string"], "name": ["type": "string"], "mode": D.nullableText]]
        let text: [String: Any] = ["type": "string", "minLength": 1, "maxLength": 200]
        let chosenID: [String: Any] = ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[0-9A-Za-z_-]+$"]
        let newSection: [String: Any] = ["type": "object", "required": ["name"],
                                         "properties": ["id": chosenID, "name": text, "type": ["type": "string", "enum": ["crop", "inventory", "inventory-quarantine"]]]]
        let newVariety: [String: Any] = ["type": "object", "required": ["name"],
                                         "properties": ["id": chosenID, "name": text, "type": ["type": "string", "enum": ["Hemp", "Hybrid", "Indica", "Sativa", "Ruderalis"]]]]
        let newProduct: [String: Any] = ["type": "object", "required": ["name", "type"],
                                         "properties": ["id": chosenID, "name": text, "type": ["type": "string", "minLength": 1],
                                                        "uom": ["type": "string", "enum": ["g", "l", "ea"]], "package_type": ["type": "string", "enum": ["bulk", "each"]],
                                                        "unit_price": D.quantityIn]]
        let newVehicle: [String: Any] = ["type": "object", "required": ["name"],
                                         "properties": ["id": chosenID, "name": text, "make": text, "model": text, "color": text, "vin": text, "plate": text]]
        func changes(_ schema: [String: Any]) -> [String: Any] {
            var changed = schema
            changed["required"] = nil
            var properties = schema["properties"] as? [String: Any] ?? [:]
            properties["id"] = nil
            changed["properties"] = properties
            changed["anyOf"] = properties.keys.sorted().map { ["required": [$0]] }
            return changed
        }
        let typedRow: [String: Any] = ["type": "object", "required": ["id", "name", "type"], "additionalProperties": false,
                                       "properties": ["id": D.idText, "name": ["type": "string"], "type": ["type": "string"]]]
        func group(_ path: String, _ kind: String, _ shape: [String: Any], _ new: [String: Any], update: [String: Any],
                   row: [String: Any]? = nil, created: [String: Any]? = nil) -> [Operation] {
            [
                Operation(method: "GET", path: path, summary: "This license's \(kind)s and the shared ones", open: false, body: nil,
                          replies: ["200": D.reply("\(kind)s", D.list(row ?? shape)), "400": D.error, "401": D.error], parameters: D.listParameters + D.pageParameters),
                Operation(method: "POST", path: path, summary: "Create a \(kind) (a chosen id is honoured)", open: false, body: D.body(new),
                          replies: ["201": D.reply("the \(kind)", created ?? shape)].merging(D.writeErrors) { a, _ in a }),
                Operation(method: "GET", path: path + "/{id}", summary: "One \(kind)", open: false, body: nil,
                          replies: ["200": D.reply("the \(kind)", shape)].merging(D.readErrors) { a, _ in a }),
                Operation(method: "POST", path: path + "/{id}", summary: "Change a \(kind); If-Match guards", open: false, body: D.body(update),
                          replies: ["200": D.reply("the \(kind)", shape), "412": D.error].merging(D.writeErrors) { a, _ in a }, parameters: [D.ifMatch]),
                Operation(method: "DELETE", path: path + "/{id}", summary: "Delete in two steps: 202 marks it, 410 confirms, then 423", open: false,
                          body: nil, replies: ["202": D.reply("delete requested", D.voidState), "410": D.reply("deleted", D.voidState),
                                               "423": D.error, "400": D.error, "401": D.error, "403": D.error, "404": D.error, "409": D.error, "412": D.error],
                          parameters: [D.ifMatch]),
            ]
        }
        return group("/section", "section", named, newSection, update: changes(newSection), row: typedRow, created: typedRow)
            + group("/variety", "variety", named, newVariety, update: changes(newVariety))
            + group("/product", "product", product, newProduct, update: changes(["type": "object", "properties": ["name": text, "type": ["type": "string", "minLength": 1], "unit_price": D.quantityIn]]),
                    created: typedRow)
            + group("/vehicle", "vehicle", vehicle, newVehicle, update: changes(newVehicle))
            + [
                Operation(method: "GET", path: "/product/type", summary: "OpenTHC's product types", open: false, body: nil,
                          replies: ["200": D.reply("types", D.list(productType)), "401": D.error], parameters: [D.listParameters[0]]),
                Operation(method: "GET", path: "/product/type/{id}", summary: "One product type, by any of its three id spellings", open: false, body: nil,
                          replies: ["200": D.reply("the type", productType)].merging(D.readErrors) { a, _ in a }),
            ]
    }
}
