import Foundation
import Hummingbird
import LotboxStore

/// The v2024 handshake (contract §2): open a session from a box, ping it, shut it.
enum AuthRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/auth", .open) { _ in Envelope.text("lotbox: POST /auth/open with Authorization: Bearer v2024/<client pk>/<box>") },
            APIRoute(.get, "/auth/open", .open) { _ in
                Envelope.text("use POST /auth/open with a v2024 bearer", status: .notImplemented)
            },
            APIRoute(.post, "/auth/open", .open, open),
            // cre sends /auth/oauth to its single sign-on; a box without one points at a local
            // path that takes no sign-in (GET 405, POST 401), as the contract allows.
            APIRoute(.post, "/auth/oauth", .open) { _ in
                var reply = Envelope.reply(nil, meta: ["note": "this lotbox has no single sign-on; open a v2024 session at /auth/open"], status: .temporaryRedirect)
                reply.headers[.location] = "/auth/oauth/local"
                return reply
            },
            APIRoute(.post, "/auth/oauth/local", .open) { _ in
                throw APIError.unauthorized("no single sign-on here; POST /auth/open with a v2024 bearer [OAB-040]")
            },
            APIRoute(.get, "/auth/ping", .authenticated(code: "LMA-068")) { call in Envelope.reply(["sid": try sid(call)]) },
            APIRoute(.get, "/auth/shut", .authenticated(code: "CAS-021"), shut),
            APIRoute(.post, "/auth/shut", .authenticated(code: "CAS-021"), shut),
        ]
    }

    static func open(_ call: APICall) async throws -> Response {
        let services = call.services
        guard services.handshakeLimit.allow(call.context.remoteAddress) else {
            throw APIError(.tooManyRequests, "too many sessions opened from \(call.context.remoteAddress); wait a minute")
        }
        let now = APIServices.now()
        let opened: V2024Gate.Opened
        switch services.gate.open(authorization: call.request.headers[.authorization], now: now) {
        case .success(let value): opened = value
        case .failure(let error): throw error
        }
        let claims = opened.claims
        let sid = V2024Gate.newSessionID()
        let session = APISession(sidHash: V2024Gate.hash(sessionID: sid), service: claims.service, clientKey: claims.publicKey,
                                 contactID: claims.contact, companyID: claims.company, licenseID: claims.license,
                                 expiresAt: now + V2024Gate.sessionSeconds)
        do {
            try await services.threads.run {
                try services.store.openSession(session, nonce: opened.nonce, forgetNonceAfter: claims.timestamp + V2024Gate.window + 60, now: now)
            }
        } catch let refusal as OperationRefused {
            let code = refusal.reason == "license-not-in-company" ? "CAO-125" : refusal.reason == "replayed" ? "OAB-025" : "OAB-026"
            throw APIError.unauthorized("Invalid Bearer: \(refusal.message) [\(code)]")
        }
        services.sessions.put(session)
        return Envelope.reply(["sid": sid, "session_id": sid, "expires_in": V2024Gate.sessionSeconds])
    }

    static func shut(_ call: APICall) async throws -> Response {
        let hash = V2024Gate.hash(sessionID: try sid(call))
        call.services.sessions.remove(hash)
        try await call.onStore { try $0.shutSession(sidHash: hash) }
        return Envelope.reply(nil, meta: ["note": "Session Shut"])
    }

    static func sid(_ call: APICall) throws -> String {
        guard let header = call.request.headers[.authorization], header.hasPrefix("Bearer v2024/") else {
            throw APIError.unauthorized("Invalid Bearer [MAT-021]")
        }
        return String(header.dropFirst("Bearer v2024/".count))
    }
}

extension AuthRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/auth", summary: "What the handshake is", open: true, body: nil, replies: ["200": D.text]),
            Operation(method: "GET", path: "/auth/open", summary: "Not served: the handshake is a POST", open: true, body: nil, replies: ["501": D.text]),
            Operation(method: "POST", path: "/auth/open", summary: "Open a session from a v2024 box in the Authorization header", open: true, body: nil,
                  replies: ["200": D.reply("a new session", ["type": "object", "required": ["sid", "session_id", "expires_in"],
                                                            "properties": ["sid": ["type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"],
                                                                           "session_id": ["type": "string"], "expires_in": ["type": "integer"]]]),
                            "401": D.error, "429": D.error]),
            Operation(method: "POST", path: "/auth/oauth", summary: "No single sign-on here: a redirect to a local path that refuses", open: true,
                      body: nil, replies: ["307": ["description": "to /auth/oauth/local", "content": ["application/json": ["schema": D.envelope(["type": "null"])]]]]),
            Operation(method: "POST", path: "/auth/oauth/local", summary: "Refuses: no single sign-on here", open: true, body: nil, replies: ["401": D.error]),
            Operation(method: "GET", path: "/auth/ping", summary: "Check the session", open: false, body: nil,
                  replies: ["200": D.reply("the session", ["type": "object", "properties": ["sid": ["type": "string"]]])].merging(D.authErrors) { a, _ in a }),
            Operation(method: "GET", path: "/auth/shut", summary: "End the session", open: false, body: nil,
                  replies: ["200": D.reply("shut", ["type": "null"])].merging(D.authErrors) { a, _ in a }),
            Operation(method: "POST", path: "/auth/shut", summary: "End the session", open: false, body: nil,
                  replies: ["200": D.reply("shut", ["type": "null"])].merging(D.authErrors) { a, _ in a }),
        ]
    }
}
