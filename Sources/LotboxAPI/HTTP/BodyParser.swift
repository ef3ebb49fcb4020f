import Foundation
import NIOCore

/// Turns a body into a BodyValue by its content type: JSON, a form, or empty.
enum BodyParser {
    static func parse(_ buffer: ByteBuffer, contentType: String?) throws -> BodyValue {
        let bytes = buffer.readableBytesView
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .empty }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch type {
        case "application/x-www-form-urlencoded":
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw APIError.badRequest("the form body is not UTF-8") }
            do { return try FormBody.parse(text) } catch let error as FormBody.Malformed { throw APIError.badRequest(error.description) }
        case "application/json", "":
            let data = Data(bytes)
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                throw APIError.badRequest("the body is not JSON (\(type.isEmpty ? "no content type given" : type)); expected a JSON object or a form")
            }
            let value = BodyValue.from(json: parsed)
            guard case .object = value else { throw APIError.badRequest("the body is \(value.shortDescription); expected a JSON object") }
            return value
        default:
            throw APIError(.unsupportedMediaType, "content type '\(type)' is not taken; send application/json or application/x-www-form-urlencoded")
        }
    }
}
