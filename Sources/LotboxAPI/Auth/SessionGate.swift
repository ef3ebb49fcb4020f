import Hummingbird
import LotboxStore

/// Lets a request in with `Authorization: Bearer v2024/<sid>` of a live session, or, without
/// that header, with a staff page session's cookie (PageSessionGate).
enum SessionGate {
    nonisolated(nonsending) static func caller(_ request: Request, services: APIServices, code: String = "MAT-021") async throws -> Caller {
        let authorization = request.headers.value(.authorization)
        if authorization == nil, let sid = PageSessionGate.sessionID(request) {
            return try await PageSessionGate.caller(request, sessionID: sid, services: services, code: code)
        }
        guard let header = authorization, header.hasPrefix("Bearer v2024/") else {
            throw APIError.unauthorized("Invalid Bearer [\(code)]")
        }
        let sid = String(header.dropFirst("Bearer v2024/".count))
        guard sid.utf8.count == 43, !sid.utf8.contains(UInt8(ascii: "/")) else { throw APIError.unauthorized("Invalid Bearer [\(code)]") }
        let hash = V2024Gate.hash(sessionID: sid)
        let now = APIServices.now()
        let session: APISession
        if let cached = services.sessions.get(hash, now: now) {
            session = cached
        } else {
            guard let stored = try await services.read({ try $0.session(sidHash: hash, now: now) }) else {
                throw APIError.unauthorized("Invalid Bearer: the session is unknown, shut or expired [\(code)]")
            }
            services.sessions.put(stored)
            session = stored
        }
        return Caller(licenseID: session.licenseID, companyID: session.companyID, contactID: session.contactID,
                      service: session.service, sidHash: session.sidHash)
    }
}
