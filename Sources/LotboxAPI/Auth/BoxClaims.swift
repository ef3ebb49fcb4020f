import Foundation

/// What a v2024 box says once opened: the client's key, when it was sealed, and the identity
/// it asks a session for.
public struct BoxClaims: Sendable, Equatable {
    public let publicKey: String
    public let timestamp: Int64
    public let service: String
    public let contact: String
    public let company: String
    public let license: String

    /// Parses the opened JSON; nil names the first field that is missing or not text.
    static func parse(_ bytes: [UInt8]) -> Result<BoxClaims, APIError> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return .failure(.unauthorized("Invalid Bearer: the box does not hold a JSON object [OAB-030]"))
        }
        func text(_ key: String) -> String? {
            if let value = object[key] as? String, !value.isEmpty { return value }
            return nil
        }
        let timestamp: Int64?
        switch object["ts"] {
        case let number as NSNumber: timestamp = number.int64Value
        case let string as String: timestamp = Int64(string)
        default: timestamp = nil
        }
        guard let publicKey = text("pk") else { return .failure(.unauthorized("Invalid Bearer: the box has no 'pk' [OAB-031]")) }
        guard let timestamp else { return .failure(.unauthorized("Invalid Bearer: the box has no numeric 'ts' [OAB-032]")) }
        guard let service = text("service") else { return .failure(.unauthorized("Invalid Bearer: the box has no 'service' [OAB-033]")) }
        guard let contact = text("contact") else { return .failure(.unauthorized("Invalid Bearer: the box has no 'contact' [OAB-034]")) }
        guard let company = text("company") else { return .failure(.unauthorized("Invalid Bearer: the box has no 'company' [OAB-035]")) }
        guard let license = text("license") else { return .failure(.unauthorized("Invalid Bearer: the box has no 'license' [OAB-036]")) }
        return .success(BoxClaims(publicKey: publicKey, timestamp: timestamp, service: service, contact: contact, company: company, license: license))
    }
}
