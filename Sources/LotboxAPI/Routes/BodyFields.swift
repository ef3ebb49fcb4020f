import Foundation

/// Reading one field of a body whichever spelling a client used (`inventory_id` or
/// `inventory: {id}`, `unit_count` or `qty`): a field that is there but of the wrong kind is a
/// 400 naming it, never silently ignored.
enum BodyFields {
    /// Text (a string, or a number kept as its text) under the first name present.
    static func text(_ body: BodyValue, _ names: [String], expected: String) throws -> String? {
        guard let (name, value) = first(body, names) else { return nil }
        if case .bool = value { throw APIError.field(name, expected, got: value) }
        guard let text = value.text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.field(name, expected, got: value)
        }
        return text
    }

    /// An id given as text or as `{"id": …}` under the first name present.
    static func id(_ body: BodyValue, _ names: [String], expected: String) throws -> String? {
        guard let (name, value) = first(body, names) else { return nil }
        if case .bool = value { throw APIError.field(name, expected, got: value) }
        guard let id = value.id, !id.isEmpty else { throw APIError.field(name, expected, got: value) }
        return id
    }

    /// A list of objects (a form's `list[0][id]=…` arrives as one too).
    static func objects(_ body: BodyValue, _ name: String, expected: String) throws -> [BodyValue]? {
        guard let value = body[name], value != .null else { return nil }
        guard case .array(let items) = value else { throw APIError.field(name, expected, got: value) }
        for (index, item) in items.enumerated() {
            guard case .object = item else { throw APIError.field("\(name)[\(index)]", expected, got: item) }
        }
        return items
    }

    /// The first of `names` the body has, a JSON null counting as absent.
    private static func first(_ body: BodyValue, _ names: [String]) -> (String, BodyValue)? {
        for name in names {
            if let value = body[name], value != .null { return (name, value) }
        }
        return nil
    }
}
