import Foundation
import Hummingbird
import LotboxStore

/// Staff sign-in for the screens: an employee and their PIN (or password) open a page session,
/// a cookie the browser keeps (HttpOnly, SameSite=Strict, Secure under TLS) with a CSRF token
/// for its writes. Wrong PINs lock that employee on that device (the caller's address), for a
/// time that grows; a manager unlocks. The sign-in is open like the v2024 handshake.
enum StaffRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.post, "/auth/staff", .open, signIn),
            APIRoute(.get, "/auth/staff", .session, whoAmI),
            APIRoute(.delete, "/auth/staff", .session, signOut),
            APIRoute(.post, "/auth/staff/unlock", .session, unlock),
        ]
    }

    static func signIn(_ call: APICall) async throws -> Response {
        let services = call.services
        let device = call.context.remoteAddress
        guard services.signInLimit.allow(device) else {
            throw APIError(.tooManyRequests, "too many sign-ins from \(device); wait a minute")
        }
        let body = try await call.body()
        let key = try Fields.requiredText(body, "employee")
        let secret = try Fields.requiredText(body, "pin")
        let now = APIServices.now()
        // Who is unknown and a wrong PIN answer alike: a screen does not tell a stranger which names exist.
        let wrong = APIError.unauthorized("the employee or the PIN is wrong")
        let found: (employee: Employee, secretHash: String)
        do {
            found = try await services.read { try $0.employeeSecret(key) }
        } catch StoreError.notFound {
            await StaffSecret.verifyDecoyOffPool(secret)
            throw wrong
        }
        let employee = found.employee
        guard employee.active else {
            await StaffSecret.verifyDecoyOffPool(secret)
            throw wrong
        }
        let locked = try await services.read { try $0.lockedUntil(contactID: employee.contactID, device: device) }
        if locked > now {
            var error = APIError(.tooManyRequests, "\(employee.name) is locked on this device for \(locked - now) s after wrong PINs; a manager can unlock (`lotbox employee unlock`)")
            error.headers[.retryAfter] = String(locked - now)
            throw error
        }
        guard await StaffSecret.verifyOffPool(secret, against: found.secretHash) else {
            let until = try await services.threads.run {
                try services.store.recordWrongSecret(contactID: employee.contactID, device: device, now: now, policy: services.staff.lockout)
            }
            if until > now {
                var error = APIError(.tooManyRequests, "wrong PIN; \(employee.name) is now locked on this device for \(until - now) s (a manager can unlock)")
                error.headers[.retryAfter] = String(until - now)
                throw error
            }
            throw wrong
        }
        let sid = V2024Gate.newSessionID()
        let csrf = PageSessionGate.csrfToken(sessionID: sid)
        let expires = now + services.staff.sessionSeconds
        let session = PageSession(sidHash: V2024Gate.hash(sessionID: sid), csrfHash: Sodium.sha256Hex(Array(csrf.utf8)),
                                  contactID: employee.contactID, companyID: "", licenseID: employee.licenseID, role: employee.role,
                                  device: device, lastSeen: now, expiresAt: expires)
        try await services.threads.run { try services.store.openPageSession(session, now: now) }
        var reply = Envelope.reply(reply(employee, csrf: csrf, services: services, expiresIn: expires - now))
        reply.headers[.setCookie] = cookie(sid, maxAge: services.staff.sessionSeconds, secure: services.staff.secureCookies)
        return reply
    }

    static func whoAmI(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        guard caller.role != nil, let sid = PageSessionGate.sessionID(call.request) else {
            throw APIError.badRequest("GET /auth/staff answers a staff sign-in (the screens' cookie); this is a program's v2024 session")
        }
        let employee = try await call.readStore { try $0.employeeSecret(caller.contactID).employee }
        return Envelope.reply(reply(employee, csrf: PageSessionGate.csrfToken(sessionID: sid), services: call.services, expiresIn: nil))
    }

    static func signOut(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        guard caller.role != nil else {
            throw APIError.badRequest("DELETE /auth/staff signs a screen out; a program shuts its v2024 session with /auth/shut")
        }
        try await call.onStore { try $0.shutPageSession(sidHash: caller.sidHash) }
        var reply = Envelope.reply(["signed_out": true])
        reply.headers[.setCookie] = cookie("", maxAge: 0, secure: call.services.staff.secureCookies)
        return reply
    }

    static func unlock(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        try caller.requireManager("unlocking an employee")
        let body = try await call.body()
        let key = try Fields.requiredText(body, "employee")
        let device = try Fields.optionalText(body, "device")
        let cleared = try await call.onStore { store -> Int in
            let employee = try store.employeeSecret(key).employee
            guard employee.licenseID == caller.licenseID else { throw StoreError.notFound(kind: "employee", key: key) }
            return try store.unlockEmployee(employee.contactID, device: device, actor: caller.actor)
        }
        return Envelope.reply(["employee": key, "devices_cleared": cleared])
    }

    static func reply(_ employee: Employee, csrf: String, services: APIServices, expiresIn: Int64?) -> [String: Any] {
        var data: [String: Any] = [
            "employee": ["id": employee.contactID, "name": employee.name, "role": employee.role.rawValue],
            "license": ["id": employee.licenseID],
            "csrf": csrf,
            "idle_seconds": services.staff.idleSeconds,
        ]
        if let expiresIn { data["expires_in"] = expiresIn }
        return data
    }

    static func cookie(_ sid: String, maxAge: Int64, secure: Bool) -> String {
        "\(PageSessionGate.cookieName)=\(sid); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}

extension StaffRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    nonisolated(unsafe) static let signedIn: [String: Any] = [
        "type": "object", "required": ["employee", "license", "csrf", "idle_seconds"],
        "properties": ["employee": ["type": "object", "required": ["id", "name", "role"],
                                    "properties": ["id": ["type": "string"], "name": ["type": "string"],
                                                   "role": ["type": "string", "enum": StaffRole.allCases.map(\.rawValue)]]],
                       "license": D.refOut, "csrf": ["type": "string"], "idle_seconds": ["type": "integer"], "expires_in": ["type": "integer"]],
    ]

    static var operations: [Operation] {
        [
            Operation(method: "POST", path: "/auth/staff", summary: "Staff sign-in (the screens): an employee and their PIN; sets the session cookie", open: true,
                      body: D.body(["type": "object", "required": ["employee", "pin"],
                                    "properties": ["employee": ["type": "string", "minLength": 1], "pin": ["type": "string", "minLength": 1]]]),
                      replies: ["200": D.reply("signed in; the cookie is set and `csrf` goes in X-CSRF-Token on every write", signedIn),
                                "400": D.error, "401": D.error, "413": D.error, "415": D.error, "429": D.error]),
            Operation(method: "GET", path: "/auth/staff", summary: "Who is signed in at this screen, and the session's CSRF token", open: false, body: nil,
                      replies: ["200": D.reply("the signed-in employee", signedIn), "400": D.error, "401": D.error]),
            Operation(method: "DELETE", path: "/auth/staff", summary: "Sign this screen out", open: false, body: nil,
                      replies: ["200": D.reply("signed out", ["type": "object"]), "400": D.error, "401": D.error, "403": D.error]),
            Operation(method: "POST", path: "/auth/staff/unlock", summary: "A manager unlocks an employee locked by wrong PINs (on one device, or all)", open: false,
                      body: D.body(["type": "object", "required": ["employee"],
                                    "properties": ["employee": ["type": "string", "minLength": 1], "device": ["type": "string", "minLength": 1]]]),
                      replies: ["200": D.reply("unlocked", ["type": "object"])].merging(D.writeErrors) { a, _ in a }),
        ]
    }
}
