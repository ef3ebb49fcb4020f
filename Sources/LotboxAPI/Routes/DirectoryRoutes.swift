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
        ]
    }
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
        [
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
            Operation(method: "GET", path: "/contact/{id}", summary: "One contact", open: false, body: nil,
                  replies: ["200": D.reply("the contact", D.contact)].merging(D.readErrors) { a, _ in a }),
        ]
    }
}
