import Foundation

/// The data one label shows: a tree of text, flags, lists and objects, as a lot joined with its
/// product, variety, license, section and latest lab result, or a row of JSON or CSV. Numbers
/// are already formatted ("3.5 g", "22.51%") by whoever built it.
public indirect enum LabelValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case object([String: LabelValue])
    case list([LabelValue])
    case null

    /// The value at a dotted path: "lab.thc".
    public func value(at path: String) -> LabelValue? {
        var current = self
        for key in path.split(separator: ".") {
            guard case .object(let fields) = current, let next = fields[String(key)] else { return nil }
            current = next
        }
        return current
    }

    /// Present for a label: there, and not null, empty text, false or an empty list.
    public func isPresent(_ path: String) -> Bool {
        switch value(at: path) {
        case nil, .null?, .flag(false)?: return false
        case .text(let text)?: return !text.isEmpty
        case .list(let items)?: return !items.isEmpty
        default: return true
        }
    }

    /// What swift-mustache renders from.
    var mustacheContext: Any {
        switch self {
        case .text(let text): return text
        case .flag(let flag): return flag
        // A null field is left out: Mustache then renders it as nothing and treats its section
        // as false (an Optional boxed in Any would print "nil" and count as true).
        case .object(let fields): return fields.compactMapValues { $0 == .null ? nil : $0.mustacheContext }
        case .list(let items): return items.map(\.mustacheContext)
        case .null: return Optional<String>.none as Any
        }
    }

    /// Reads JSON (an object per label); numbers keep the text JSON gave them.
    public static func fromJSON(_ data: Data) throws -> LabelValue {
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return from(object)
    }

    /// The label value of a parsed JSON object (strings, numbers, flags, objects, lists).
    public static func from(_ object: Any) -> LabelValue {
        switch object {
        case let text as String: return .text(text)
        case let number as NSNumber:
            // JSON's true and false arrive as NSNumbers of type "c" (char).
            if String(cString: number.objCType) == "c" { return .flag(number.boolValue) }
            return .text(number.stringValue)
        case let fields as [String: Any]: return .object(fields.mapValues(from))
        case let items as [Any]: return .list(items.map(from))
        default: return .null
        }
    }

    /// Adds or replaces top-level fields (free fields given beside a lot).
    public func merging(_ other: [String: LabelValue]) -> LabelValue {
        guard case .object(var fields) = self else { return .object(other) }
        for (key, value) in other { fields[key] = value }
        return .object(fields)
    }
}
