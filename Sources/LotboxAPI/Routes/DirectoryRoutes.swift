import Foundation
import Hummingbird
import LotboxStore

/// The partner directory every session reads (contract §3, §5): companies, licenses, contacts.
enum DirectoryRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/company") { call in
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.companies(query: query) }, query, meta, APIShapes.company)
            },
            APIRoute(.get, "/company/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.company(id: id) }) else { throw APIError.notFound("no company \(id)") }
                return Envelope.json(APIShapes.company(row))
            },
            APIRoute(.get, "/license") { call in
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.licenses(query: query) }, query, meta, APIShapes.license)
            },
            APIRoute(.get, "/license/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.license(id: id) }) else { throw APIError.notFound("no license \(id)") }
                return Envelope.json(APIShapes.license(row))
            },
            APIRoute(.get, "/contact") { call in
                let (query, meta) = try Listing.query(call)
                return Listing.reply(try await call.onStore { try $0.contacts(query: query) }, query, meta, APIShapes.contact)
            },
            APIRoute(.get, "/contact/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.contact(id: id) }) else { throw APIError.notFound("no contact \(id)") }
                return Envelope.json(APIShapes.contact(row))
            },
        ] + writes
    }

    /// The directory is every session's: a partner's company, license or contact may be added
    /// and corrected by any of them (a chosen id is honoured unless `[api] client_ids =
    /// "ignore"`, as for every other create; If-Match guards a change).
    static var writes: [APIRoute] {
        [
            APIRoute(.post, "/company") { call in
                let caller = try call.caller()
                let body = try await call.body()
                let name = try Fields.requiredText(body, "name")
                let code = try Fields.optionalText(body, "code"), id = try call.chosenID(body)
                let row = try await call.onStore { try $0.addCompany(name: name, code: code, id: id, actor: caller.actor) }
                return Envelope.json(APIShapes.company(row), status: .created)
            },
            APIRoute(.post, "/company/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let name = try Fields.optionalText(body, "name"), code = try Fields.optionalText(body, "code")
                let ifMatch = ReferenceRoutes.ifMatch(call)
                let row = try await call.onStore { store -> Company in
                    guard try store.company(id: id) != nil else { throw APIError.notFound("no company \(id)") }
                    return try store.setCompany(id, name: name, code: code, ifMatch: ifMatch, actor: caller.actor)
                }
                return Envelope.json(APIShapes.company(row))
            },
            APIRoute(.post, "/license") { call in
                let caller = try call.caller()
                let body = try await call.body()
                let name = try Fields.requiredText(body, "name")
                let type = try Fields.requiredText(body, "type")
                let company = try Fields.requiredID(body, "company", "company_id")
                let code = try Fields.optionalText(body, "code"), id = try call.chosenID(body)
                let row = try await call.onStore { store -> License in
                    guard try store.company(id: company) != nil else { throw APIError.notFound("no company \(company)") }
                    return try store.addLicense(name: name, code: code, typeKey: type, companyKey: company, id: id, actor: caller.actor)
                }
                return Envelope.json(NewLicenseJSON(id: row.id, name: row.name, type: row.type, company: Ref(row.companyId)), status: .created)
            },
            APIRoute(.post, "/license/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let name = try Fields.optionalText(body, "name"), code = try Fields.optionalText(body, "code"), type = try Fields.optionalText(body, "type")
                let ifMatch = ReferenceRoutes.ifMatch(call)
                let row = try await call.onStore { store -> License in
                    guard try store.license(id: id) != nil else { throw APIError.notFound("no license \(id)") }
                    return try store.setLicense(id, name: name, code: code, typeKey: type, ifMatch: ifMatch, actor: caller.actor)
                }
                return Envelope.json(APIShapes.license(row))
            },
            APIRoute(.post, "/contact") { call in
                let caller = try call.caller()
                let body = try await call.body()
                let name = try Fields.requiredText(body, "name")
                let company = try Fields.requiredID(body, "company", "company_id")
                let type = try Fields.optionalText(body, "type") ?? "Employee"
                let email = try Fields.optionalText(body, "email"), phone = try Fields.optionalText(body, "phone"), id = try call.chosenID(body)
                let row = try await call.onStore { store -> Contact in
                    guard try store.company(id: company) != nil else { throw APIError.notFound("no company \(company)") }
                    return try store.addContact(name: name, type: type, companyKey: company, email: email, phone: phone, id: id, actor: caller.actor)
                }
                return Envelope.json(APIShapes.contact(row), status: .created)
            },
            APIRoute(.post, "/contact/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                let body = try await call.body()
                let name = try Fields.optionalText(body, "name"), type = try Fields.optionalText(body, "type")
                let email = try Fields.optionalText(body, "email"), phone = try Fields.optionalText(body, "phone")
                let ifMatch = ReferenceRoutes.ifMatch(call)
                let row = try await call.onStore { store -> Contact in
                    guard try store.contact(id: id) != nil else { throw APIError.notFound("no contact \(id)") }
                    return try store.setContact(id, name: name, type: type, email: email, phone: phone, ifMatch: ifMatch, actor: caller.actor)
                }
                return Envelope.json(APIShapes.contact(row))
            },
            delete("company") { try $0.deleteCompany(id: $1, ifMatch: $2, actor: $3) },
            delete("license") { try $0.deleteLicense(id: $1, ifMatch: $2, actor: $3) },
            delete("contact") { try $0.deleteContact(id: $1, ifMatch: $2, actor: $3) },
        ]
    }

    /// OpenTHC's two-step delete (202, then 410, then 423) of a directory row, refused with 409
    /// while something live still needs it (the store names what) and 403 for the store's own
    /// well-known rows.
    static func delete(_ kind: String, _ remove: @escaping @Sendable (LotStore, String, String?, String) throws -> DeleteStep) -> APIRoute {
        APIRoute(.delete, "/\(kind)/{id}") { call in
            let caller = try call.caller()
            try caller.requireManager("deleting a \(kind)")
            let id = try call.parameter("id")
            let ifMatch = ReferenceRoutes.ifMatch(call)
            let step: DeleteStep
            do {
                step = try await call.onStore { try remove($0, id, ifMatch, caller.actor) }
            } catch let refusal as OperationRefused {
                switch refusal.reason {
                case "in-use": throw APIError.conflict(refusal.message)
                case "shared": throw APIError.forbidden(refusal.message)
                default: throw refusal
                }
            }
            switch step {
            case .requested: return Envelope.json(DeleteJSON(id: id, stat: 410), meta: .init(note: "delete requested; DELETE again to confirm"), status: .accepted)
            case .confirmed: return Envelope.json(DeleteJSON(id: id, stat: 423), meta: .init(note: "deleted"), status: .gone)
            case .locked: throw APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "\(kind) \(id) is already deleted and locked")
            }
        }
    }
}

/// `POST /license`'s reply: the four keys cre's suite counts.
struct NewLicenseJSON: Encodable {
    let id: String
    let name: String
    let type: String
    let company: Ref
}

/// `q`, `stat`, `limit`, `offset` and `since` on lists, checked (a bad one is a 400 naming
/// it); `meta` gains the paging keys and `cursor` only when they were asked for, since existing
/// clients count the keys of `meta`.
enum Listing {
    static func query(_ call: APICall) throws -> (ListQuery, Envelope.Meta) {
        let limit = try number(call, "limit", range: 1...ListQuery.maximumLimit)
        let offset = try number(call, "offset", range: 0...Int(Int32.max))
        let stat = try number(call, "stat", range: 100...999)
        var since: Int64?
        if let text = call.query("since") {
            guard let cursor = Int64(text), cursor >= 0 else { throw APIError.badRequest("query 'since' is '\(text)'; expected a change cursor (a whole number)") }
            since = cursor
        }
        let q = call.query("q").flatMap { $0.isEmpty ? nil : $0 }
        if let q, q.count > 200 { throw APIError.badRequest("query 'q' is \(q.count) characters; expected at most 200") }
        let query = ListQuery(q: q, stat: stat, limit: limit ?? 1000, offset: offset ?? 0, since: since)
        let paged = limit != nil || offset != nil
        return (query, Envelope.Meta(limit: paged ? query.limit : nil, offset: paged ? query.offset : nil))
    }

    /// The reply of a page: its rows, and the cursor in `meta` when `since` was given.
    static func reply<Row, Shown: Encodable>(_ page: ListPage<Row>, _ query: ListQuery, _ meta: Envelope.Meta,
                                             _ shape: (Row) -> Shown) -> Response {
        var meta = meta
        if query.since != nil { meta.cursor = page.cursor }
        return Envelope.json(page.rows.map(shape), meta: meta)
    }

    static func limit(_ call: APICall) throws -> Int {
        try number(call, "limit", range: 1...ListQuery.maximumLimit) ?? 1000
    }

    static func number(_ call: APICall, _ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = call.query(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("query '\(name)' is '\(text)'; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

extension DirectoryRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let text: [String: Any] = ["type": "string", "minLength": 1, "maxLength": 200]
        let chosenID: [String: Any] = ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[0-9A-Za-z_-]+$"]
        let contactType: [String: Any] = ["type": "string", "enum": ["Caregiver", "Client", "Driver", "Employee", "Manager", "Owner", "Patient", "User", "Vendor"]]
        let newCompany: [String: Any] = ["type": "object", "required": ["name"], "properties": ["id": chosenID, "name": text, "code": text]]
        let newLicense: [String: Any] = ["type": "object", "required": ["name", "type", "company"],
                                         "properties": ["id": chosenID, "name": text, "code": text,
                                                        "type": ["type": "string", "enum": ["grower", "processor", "grower-processor", "retail", "lab", "carrier"]],
                                                        "company": D.idOrObject]]
        let newLicenseReply: [String: Any] = ["type": "object", "required": ["id", "name", "type", "company"],
                                              "properties": ["id": D.idText, "name": ["type": "string"], "type": ["type": "string"], "company": D.refOut]]
        let newContact: [String: Any] = ["type": "object", "required": ["name", "company"],
                                         "properties": ["id": chosenID, "name": text, "company": D.idOrObject, "type": contactType,
                                                        "email": text, "phone": text]]
        func changes(_ schema: [String: Any]) -> [String: Any] {
            var changed = schema
            changed["required"] = nil
            var properties = schema["properties"] as? [String: Any] ?? [:]
            properties["id"] = nil
            properties["company"] = nil
            changed["properties"] = properties
            changed["anyOf"] = properties.keys.sorted().map { ["required": [$0]] }
            return changed
        }
        return [
            Operation(method: "GET", path: "/company", summary: "Companies in the directory", open: false, body: nil,
                  replies: ["200": D.reply("companies", D.list(D.company)), "400": D.error, "401": D.error], parameters: D.listParameters + D.pageParameters),
            Operation(method: "GET", path: "/company/{id}", summary: "One company", open: false, body: nil,
                  replies: ["200": D.reply("the company", D.company)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/license", summary: "Licenses in the directory", open: false, body: nil,
                  replies: ["200": D.reply("licenses", D.list(D.license)), "400": D.error, "401": D.error], parameters: D.listParameters + D.pageParameters),
            Operation(method: "GET", path: "/license/{id}", summary: "One license", open: false, body: nil,
                  replies: ["200": D.reply("the license", D.license)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/contact", summary: "Contacts in the directory", open: false, body: nil,
                  replies: ["200": D.reply("contacts", D.list(D.contact)), "400": D.error, "401": D.error], parameters: D.listParameters + D.pageParameters),
            Operation(method: "POST", path: "/company", summary: "Add a company to the directory", open: false, body: D.body(newCompany),
                      replies: ["201": D.reply("the company", D.company)].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/company/{id}", summary: "Correct a company; If-Match guards", open: false, body: D.body(changes(newCompany)),
                      replies: ["200": D.reply("the company", D.company), "412": D.error].merging(D.writeErrors) { a, _ in a }, parameters: [D.ifMatch]),
            Operation(method: "POST", path: "/license", summary: "Add a license to the directory", open: false, body: D.body(newLicense),
                      replies: ["201": D.reply("the license", newLicenseReply)].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/license/{id}", summary: "Correct a license; If-Match guards", open: false,
                      body: D.body(changes(["type": "object", "properties": ["name": text, "code": text, "type": text]])),
                      replies: ["200": D.reply("the license", D.license), "412": D.error].merging(D.writeErrors) { a, _ in a }, parameters: [D.ifMatch]),
            Operation(method: "POST", path: "/contact", summary: "Add a contact to the directory", open: false, body: D.body(newContact),
                      replies: ["201": D.reply("the contact", D.contact)].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/contact/{id}", summary: "Correct a contact; If-Match guards", open: false,
                      body: D.body(changes(["type": "object", "properties": ["name": text, "type": contactType, "email": text, "phone": text]])),
                      replies: ["200": D.reply("the contact", D.contact), "412": D.error].merging(D.writeErrors) { a, _ in a }, parameters: [D.ifMatch]),
            Operation(method: "GET", path: "/contact/{id}", summary: "One contact", open: false, body: nil,
                  replies: ["200": D.reply("the contact", D.contact)].merging(D.readErrors) { a, _ in a }),
        ] + ["company", "license", "contact"].map { kind in
            let refusedWhile = ["company": "it has licenses or contacts not deleted, or an open session",
                                "license": "it holds stock, has an open transfer or sale, or an open session",
                                "contact": "a session acts as it or an open sale is its"][kind] ?? ""
            return Operation(method: "DELETE", path: "/\(kind)/{id}",
                             summary: "Delete in two steps: 202 marks it, 410 confirms, then 423; 409 while \(refusedWhile)", open: false,
                             body: nil, replies: ["202": D.reply("delete requested", D.voidState), "410": D.reply("deleted", D.voidState),
                                                  "423": D.error, "401": D.error, "403": D.error, "404": D.error, "409": D.error, "412": D.error],
                             parameters: [D.ifMatch])
        }
    }
}
