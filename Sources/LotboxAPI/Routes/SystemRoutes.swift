import Foundation
import Hummingbird
import LotboxCore

/// Health, readiness, the API document and fresh ULIDs.
enum SystemRoutes {
    static let ids = ULIDGenerator()

    static var all: [APIRoute] {
        [
            APIRoute(.get, "/health", .open) { _ in Envelope.text("ok") },
            APIRoute(.get, "/ready", .open, ready),
            // Open to the session gate: the scrape token is checked by the endpoint itself.
            APIRoute(.get, "/metrics", .open, metrics),
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

extension SystemRoutes {
    /// Ready: the store opens and reads, and the configuration is valid (as a restart would read
    /// it). A printer out of paper or a scanner unplugged is not unready: the box still takes
    /// scans and API calls, and labels wait in the queue; `/metrics` and `lotbox doctor` show it.
    @Sendable static func ready(_ call: APICall) async throws -> Response {
        let operations = call.services.operations
        let problems = try await call.readStore { store -> [String] in
            var problems: [String] = []
            do { try store.probe() } catch { problems.append("store: \(error)") }
            return problems + operations.readiness()
        }
        guard problems.isEmpty else {
            return Envelope.reply(nil, meta: ["note": "not ready: " + problems.joined(separator: "; ")], status: .serviceUnavailable)
        }
        return Envelope.reply(["store": "ok", "config": "ok"])
    }
}

extension SystemRoutes {
    /// Prometheus's text format for a scraper with the token; 404 where no token file is set.
    @Sendable static func metrics(_ call: APICall) async throws -> Response {
        guard let endpoint = call.services.operations.metrics else {
            throw APIError.notFound("/metrics is off: set [api] metrics_token_file to a file holding a scrape token")
        }
        return endpoint.reply(call.request)
    }
}

/// Every route the server answers, in one list: the router and the document's test read it.
public enum APIRoutes {
    public static var all: [APIRoute] {
        // Inventory first: the router tries a path's first segment against the others in the
        // order they were added, and a lot's GET is the commonest request.
        InventoryRoutes.all + AuthRoutes.all + StaffRoutes.all + SystemRoutes.all + DirectoryRoutes.all + ReferenceRoutes.all + StationRoutes.all + EventRoutes.all + LabelRoutes.all
            + B2CRoutes.all + B2BRoutes.all + B2BOutgoingRoutes.all + LabRoutes.all
    }
}

extension SystemRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/health", summary: "The process answers", open: true, body: nil, replies: ["200": D.text]),
            Operation(method: "GET", path: "/ready", summary: "The store opens and reads and the configuration is valid (a printer out of paper does not make the box unready)",
                      open: true, body: nil,
                      replies: ["200": D.reply("ready", ["type": "object", "required": ["store", "config"],
                                                         "properties": ["store": ["const": "ok"], "config": ["const": "ok"]]]),
                                "503": D.error]),
            Operation(method: "GET", path: "/metrics", summary: "Prometheus text format (docs/metrics.md); needs `Authorization: Bearer <token>` with the token of [api] metrics_token_file",
                      open: true, body: nil,
                      replies: ["200": ["description": "Prometheus text exposition format 0.0.4",
                                        "content": ["text/plain": ["schema": ["type": "string"]]]],
                                "401": D.error, "404": D.error]),
            Operation(method: "GET", path: "/openapi.json", summary: "This document", open: true, body: nil,
                  replies: ["200": ["description": "OpenAPI 3.1", "content": ["application/json": ["schema": ["type": "object"]]]]]),
            Operation(method: "GET", path: "/ulid", summary: "A fresh ULID", open: false, body: nil, replies: ["200": D.text, "401": D.error]),
        ]
    }
}
