import Foundation
import LotboxCore

/// Reading a body's fields, each refusal naming the field and what was expected.
enum Fields {
    /// An id given as text or as `{"id": …}`, under any of `names`; nil when absent.
    static func optionalID(_ body: BodyValue, _ names: String...) throws -> String? {
        for name in names {
            guard let value = body[name], value != .null else { continue }
            guard let id = value.id, !id.isEmpty, id.count <= 128 else { throw APIError.field(name, "an id, or {\"id\": …}", got: value) }
            return id
        }
        return nil
    }

    static func requiredID(_ body: BodyValue, _ names: String...) throws -> String {
        for name in names {
            guard let value = body[name], value != .null else { continue }
            guard let id = value.id, !id.isEmpty, id.count <= 128 else { throw APIError.field(name, "an id, or {\"id\": …}", got: value) }
            return id
        }
        throw APIError.field(names[0], "an id, or {\"id\": …}")
    }

    static func optionalText(_ body: BodyValue, _ name: String) throws -> String? {
        guard let value = body[name], value != .null else { return nil }
        guard case .string(let text) = value else {
            if case .number(let number) = value { return number }
            throw APIError.field(name, "text", got: value)
        }
        return text
    }

    static func requiredText(_ body: BodyValue, _ name: String) throws -> String {
        guard let text = try optionalText(body, name), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.field(name, "text", got: body[name])
        }
        return text
    }

    /// A quantity as a number or as text ("10", "10.5", "3.5 g"); the store checks its unit and range.
    static func quantity(_ body: BodyValue, _ name: String, signed: Bool = false) throws -> String {
        guard let text = try optionalQuantity(body, name, signed: signed) else { throw APIError.field(name, "a quantity such as 10 or \"10.5\"") }
        return text
    }

    static func optionalQuantity(_ body: BodyValue, _ name: String, signed: Bool = false) throws -> String? {
        guard let value = body[name], value != .null else { return nil }
        switch value {
        case .number(let text), .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let digits = signed && (trimmed.hasPrefix("-") || trimmed.hasPrefix("+")) ? String(trimmed.dropFirst()) : trimmed
            guard let first = digits.first, first.isNumber || first == ".", trimmed.count <= 40 else {
                throw APIError.field(name, signed ? "a signed quantity such as -1.5" : "a quantity such as 10 or \"10.5\"", got: value)
            }
            // JSON numbers in exponent form (1e3) are spelled out; the store takes decimals only.
            if case .number = value, trimmed.lowercased().contains("e") {
                guard let decimal = Decimal(string: trimmed) else { throw APIError.field(name, "a quantity", got: value) }
                return "\(decimal)"
            }
            return trimmed
        default:
            throw APIError.field(name, "a quantity such as 10 or \"10.5\"", got: value)
        }
    }

    /// A bare number is in the lot's unit (OpenTHC sends quantities so); text with a unit is kept.
    static func inUnit(_ quantity: String, _ uom: String) -> String {
        quantity.last.map { $0.isNumber || $0 == "." } == true ? "\(quantity) \(uom)" : quantity
    }

    /// `source`: one id (with the body's `qty`), `{id, qty}`, or a list of either; a lot named
    /// twice is merged into one source with the sum of its quantities.
    static func sources(_ source: BodyValue, qty: BodyValue?) throws -> [(id: String, qty: String)] {
        var items: [BodyValue]
        switch source {
        case .array(let list): items = list
        default: items = [source]
        }
        guard !items.isEmpty, items.count <= 500 else { throw APIError.field("source", "one to 500 source lots", got: source) }
        var order: [String] = [], totals: [String: Decimal] = [:], texts: [String: String] = [:]
        for (index, item) in items.enumerated() {
            guard let id = item.id, !id.isEmpty else { throw APIError.field("source[\(index)]", "a lot id or {\"id\": …, \"qty\": …}", got: item) }
            let wrapper = BodyValue.object(["qty": item["qty"] ?? qty ?? .null])
            let amount = try quantity(wrapper, "qty")
            if let previous = texts[id] {
                guard let a = Decimal(string: previous), let b = Decimal(string: amount) else {
                    throw APIError.badRequest("source lot \(id) is named twice with quantities '\(previous)' and '\(amount)'; give plain numbers to have them added")
                }
                totals[id] = a + b
                texts[id] = "\(a + b)"
            } else {
                order.append(id)
                texts[id] = amount
            }
        }
        return order.map { ($0, texts[$0] ?? "0") }
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
