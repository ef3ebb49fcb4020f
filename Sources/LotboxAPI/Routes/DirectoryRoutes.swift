import Foundation
import Hummingbird
import LotboxStore

/// The partner directory every session reads (contract §3, §5): companies, licenses, contacts.
enum DirectoryRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/company") { call in
                let rows = try await call.onStore { try $0.companies() }
                return Envelope.json(try Listing.page(rows.filter { Listing.matches(call, $0.id, $0.name, $0.code) }, call).map(APIShapes.company))
            },
            APIRoute(.get, "/company/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.companies().first { $0.id == id } }) else {
                    throw APIError.notFound("no company \(id)")
                }
                return Envelope.json(APIShapes.company(row))
            },
            APIRoute(.get, "/license") { call in
                let rows = try await call.onStore { try $0.licenses() }
                return Envelope.json(try Listing.page(rows.filter { Listing.matches(call, $0.id, $0.name, $0.code) }, call).map(APIShapes.license))
            },
            APIRoute(.get, "/license/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.licenses().first { $0.id == id } }) else {
                    throw APIError.notFound("no license \(id)")
                }
                return Envelope.json(APIShapes.license(row))
            },
            APIRoute(.get, "/contact") { call in
                let rows = try await call.onStore { try $0.contacts() }
                return Envelope.json(try Listing.page(rows.filter { Listing.matches(call, $0.id, $0.name, $0.email) }, call).map(APIShapes.contact))
            },
            APIRoute(.get, "/contact/{id}") { call in
                let id = try call.parameter("id")
                guard let row = try await call.onStore({ try $0.contacts().first { $0.id == id } }) else {
                    throw APIError.notFound("no contact \(id)")
                }
                return Envelope.json(APIShapes.contact(row))
            },
        ]
    }
}

/// `q`, `limit` and `offset` on lists, checked: a bad number is a 400 naming it.
enum Listing {
    static func matches(_ call: APICall, _ fields: String?...) -> Bool {
        guard let q = call.query("q")?.lowercased(), !q.isEmpty else { return true }
        return fields.contains { $0?.lowercased().contains(q) == true }
    }

    static func limit(_ call: APICall) throws -> Int {
        try number(call, "limit", default: 1000, range: 1...10_000)
    }

    static func offset(_ call: APICall) throws -> Int {
        try number(call, "offset", default: 0, range: 0...Int(Int32.max))
    }

    static func number(_ call: APICall, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = call.query(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("query '\(name)' is '\(text)'; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func page<T>(_ rows: [T], _ call: APICall) throws -> [T] {
        let offset = try offset(call), limit = try limit(call)
        guard offset < rows.count else { return [] }
        return Array(rows[offset..<min(rows.count, offset + limit)])
    }
}

extension DirectoryRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/company", summary: "Companies in the directory", open: false, body: nil,
                  replies: ["200": D.reply("companies", D.list(D.company)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "GET", path: "/company/{id}", summary: "One company", open: false, body: nil,
                  replies: ["200": D.reply("the company", D.company)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/license", summary: "Licenses in the directory", open: false, body: nil,
                  replies: ["200": D.reply("licenses", D.list(D.license)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "GET", path: "/license/{id}", summary: "One license", open: false, body: nil,
                  replies: ["200": D.reply("the license", D.license)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/contact", summary: "Contacts in the directory", open: false, body: nil,
                  replies: ["200": D.reply("contacts", D.list(D.contact)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "GET", path: "/contact/{id}", summary: "One contact", open: false, body: nil,
                  replies: ["200": D.reply("the contact", D.contact)].merging(D.readErrors) { a, _ in a }),
        ]
    }
}
