import Foundation
import Hummingbird
import HTTPTypes
import LotboxStore

/// Lets a request in with the `lotbox_session` cookie of a staff sign-in (the screens). A write
/// (anything but GET and HEAD) must also carry the session's CSRF token in `X-CSRF-Token`: the
/// cookie alone, which a browser sends with any request, never changes anything.
enum PageSessionGate {
    static let cookieName = "lotbox_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token") ?? .authorization
    /// A session's last-seen time is written at most this often (seconds), and at most a quarter
    /// of the idle time-out apart, so a screen in use is never timed out: reads stay mostly reads.
    static func touchEvery(idle: Int64) -> Int64 { max(1, min(30, idle / 4)) }

    /// The sid from the request's cookies, if it has one of the right shape.
    static func sessionID(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix(cookieName + "=") else { continue }
                let value = String(trimmed.dropFirst(cookieName.count + 1))
                if value.count == 43, value.utf8.allSatisfy(Base64URL.isLetter) { return value }
            }
        }
        return nil
    }

    /// The CSRF token of a session: derived from its sid, so a page rendered later can carry it,
    /// and useless without the cookie it belongs to.
    static func csrfToken(sessionID: String) -> String {
        Sodium.sha256Hex(Array("lotbox-csrf|\(sessionID)".utf8))
    }

    static func caller(_ request: Request, sessionID sid: String, services: APIServices, code: String) async throws -> Caller {
        let hash = V2024Gate.hash(sessionID: sid)
        let now = APIServices.now()
        let idle = services.staff.idleSeconds
        guard let session = try await services.read({ try $0.pageSession(sidHash: hash, now: now, idle: idle) }) else {
            let limit = idle >= 120 ? "\(idle / 60) minutes" : "\(idle) seconds"
            throw APIError.unauthorized("you are signed out (or were idle for more than \(limit)); sign in again [\(code)]")
        }
        if request.method != .get && request.method != .head {
            let given = request.headers[csrfHeader] ?? ""
            guard constantTimeEqual(Sodium.sha256Hex(Array(given.utf8)), session.csrfHash) else {
                throw APIError.forbidden("a change from a signed-in screen needs its CSRF token in X-CSRF-Token; reload the page")
            }
        }
        if now - session.lastSeen >= touchEvery(idle: idle) {
            try await services.threads.run { try services.store.touchPageSession(sidHash: hash, now: now) }
        }
        return Caller(licenseID: session.licenseID, companyID: session.companyID, contactID: session.contactID,
                      service: "staff", sidHash: hash, role: session.role)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
