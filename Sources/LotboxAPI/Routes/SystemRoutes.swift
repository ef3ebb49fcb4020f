import Foundation
import Hummingbird
import LotboxCore

/// Health, the API document and fresh ULIDs.
enum SystemRoutes {
    static let ids = ULIDGenerator()

    static var all: [APIRoute] {
        [
            APIRoute(.get, "/health", .open) { _ in Envelope.text("ok") },
            APIRoute(.get, "/openapi.json", .open) { _ in
                Response(status: .ok, headers: [.contentType: Envelope.jsonType], body: .init(byteBuffer: .init(bytes: OpenAPIDocument.json)))
            },
            APIRoute(.get, "/ulid") { _ in
                do { return Envelope.text(try ids.next().text) } catch {
                    throw APIError(.serviceUnavailable, "no ULID can be issued: \(error)")
                }
            },
        ]
    }
}

/// Every route the server answers, in one list: the router and the document's test read it.
public enum APIRoutes {
    public static var all: [APIRoute] {
        AuthRoutes.all + StaffRoutes.all + SystemRoutes.all + DirectoryRoutes.all + ReferenceRoutes.all + InventoryRoutes.all + StationRoutes.all + EventRoutes.all + LabelRoutes.all
            + B2CRoutes.all + B2BRoutes.all + B2BOutgoingRoutes.all + LabRoutes.all
    }
}

extension SystemRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/health", summary: "The process answers", open: true, body: nil, replies: ["200": D.text]),
            Operation(method: "GET", path: "/openapi.json", summary: "This document", open: true, body: nil,
                  replies: ["200": ["description": "OpenAPI 3.1", "content": ["application/json": ["schema": ["type": "object"]]]]]),
            Operation(method: "GET", path: "/ulid", summary: "A fresh ULID", open: false, body: nil, replies: ["200": D.text, "401": D.error]),
        ]
    }
}
