import Foundation

/// The v2024 handshake's checks on `Authorization: Bearer v2024/<client pk>/<box>`, before the
/// store is asked anything: the box opens with that client key and the server's secret key,
/// names the same key, was sealed within the last 5 minutes, and comes from a service that
/// allows that key. The store then checks the identity and that the nonce is new.
public struct V2024Gate: Sendable {
    public static let window: Int64 = 300
    public static let sessionSeconds: Int64 = 21_600

    public let serverKey: ServerKey
    /// Service id → the client public keys (base64url) allowed for it.
    public let clients: [String: Set<String>]

    public init(serverKey: ServerKey, clients: [String: Set<String>]) {
        self.serverKey = serverKey
        self.clients = clients
    }

    /// An opened, checked box and the nonce that must not be used again.
    public struct Opened: Sendable {
        public let claims: BoxClaims
        public let nonce: String
    }

    public func open(authorization: String?, now: Int64) -> Result<Opened, APIError> {
        guard let authorization, authorization.hasPrefix("Bearer v2024/") else {
            return .failure(.unauthorized("Invalid Bearer [OAB-017]"))
        }
        let parts = authorization.dropFirst("Bearer v2024/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let clientKey = Base64URL.decode(parts[0]), clientKey.count == Sodium.keyBytes,
              let box = Base64URL.decode(parts[1]) else {
            return .failure(.unauthorized("Invalid Bearer: expected v2024/<client key>/<box> in base64url [OAB-018]"))
        }
        guard let message = Sodium.openBox(box, senderPublicKey: clientKey, recipientSecretKey: serverKey.secretKey) else {
            return .failure(.unauthorized("Invalid Bearer: the box does not open with this client key and the server's key [OAB-020]"))
        }
        let claims: BoxClaims
        switch BoxClaims.parse(message) {
        case .success(let parsed): claims = parsed
        case .failure(let error): return .failure(error)
        }
        guard claims.publicKey == String(parts[0]) || Base64URL.decode(claims.publicKey) == clientKey else {
            return .failure(.unauthorized("Invalid Bearer: the box's 'pk' is not the key in the header [OAB-021]"))
        }
        guard abs(now - claims.timestamp) <= Self.window else {
            return .failure(.unauthorized("Invalid Bearer: the box's 'ts' \(claims.timestamp) is more than \(Self.window) s from the server's clock \(now) [OAB-022]"))
        }
        guard let allowed = clients[claims.service] else {
            return .failure(.unauthorized("Invalid Bearer: service '\(claims.service)' is not known here [OAB-023]"))
        }
        guard allowed.contains(Base64URL.encode(clientKey)) else {
            return .failure(.unauthorized("Invalid Bearer: this client key is not allowed for service '\(claims.service)' [OAB-024]"))
        }
        return .success(Opened(claims: claims, nonce: Base64URL.encode(Array(box.prefix(Sodium.nonceBytes)))))
    }

    /// A new session id: 32 random bytes, 43 characters of base64url.
    public static func newSessionID() -> String { Base64URL.encode(Sodium.randomBytes(32)) }

    public static func hash(sessionID: String) -> String { Sodium.sha256Hex(Array(sessionID.utf8)) }
}
