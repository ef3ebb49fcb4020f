import Foundation
import LotboxCore

/// The body fields sales, transfers and lab results add to the shared readers: lists of
/// objects, prices, and text that may come under one of several names.
extension Fields {
    /// A list of objects (a form's `list[0][id]=…` arrives as one too); nil when absent.
    static func objects(_ body: BodyValue, _ name: String, expected: String) throws -> [BodyValue]? {
        guard let value = body[name], value != .null else { return nil }
        guard case .array(let items) = value else { throw APIError.field(name, expected, got: value) }
        for (index, item) in items.enumerated() {
            guard case .object = item else { throw APIError.field("\(name)[\(index)]", expected, got: item) }
        }
        return items
    }

    /// A price as a number or as text ("12.5", "$12.50"), checked as the store will read it.
    static func optionalPrice(_ body: BodyValue, _ name: String) throws -> String? {
        guard let value = body[name], value != .null else { return nil }
        let expected = "a pre-tax price per unit such as 12.5 or \"12.50\""
        switch value {
        case .number(let text), .string(let text):
            guard (try? Money(parsing: text)) != nil else { throw APIError.field(name, expected, got: value) }
            return text
        default:
            throw APIError.field(name, expected, got: value)
        }
    }

    /// Text under the first of `names` present; a value that is there but not text is refused.
    static func optionalText(_ body: BodyValue, _ names: [String]) throws -> String? {
        for name in names where body[name] != nil && body[name] != .null {
            guard let text = try optionalText(body, name), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.field(name, "text", got: body[name])
            }
            return text
        }
        return nil
    }
}

extension APIError {
    /// The same refusal about a field inside a list entry: `'qom'` becomes `'metric_list[0].qom'`.
    func within(_ path: String) -> APIError {
        guard !path.isEmpty, note.hasPrefix("'"), !note.hasPrefix("'\(path)") else { return self }
        var copy = APIError(status, note.replacingOccurrences(of: "'", with: "'\(path).", options: .anchored))
        copy.headers = headers
        return copy
    }
}
