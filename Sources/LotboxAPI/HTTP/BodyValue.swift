import Foundation

/// A request body as the handlers read it, whether it came as JSON or as a PHP-style form
/// (`source[0][id]=X`): one tree, so one handler serves both. Numbers keep their text (a
/// quantity of "10.5" is parsed exactly by the store, never through a Double).
public indirect enum BodyValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([BodyValue])
    case object([String: BodyValue])

    public static let empty = BodyValue.object([:])

    public subscript(key: String) -> BodyValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    /// Text of a string or a number (a form sends every value as text; JSON may send either).
    public var text: String? {
        switch self {
        case .string(let text), .number(let text): return text
        case .bool(let value): return value ? "1" : "0"
        default: return nil
        }
    }

    /// An id given as `"X"` or as `{"id": "X"}`, the two spellings OpenTHC clients use.
    public var id: String? {
        if case .object = self { return self["id"]?.text }
        return text
    }

    public var isEmptyObject: Bool { self == .empty }

    /// Converts what JSONSerialization produced.
    static func from(json: Any) -> BodyValue {
        switch json {
        case is NSNull: return .null
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too, with the type code of a char.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.stringValue)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(array.map(from(json:)))
        case let object as [String: Any]: return .object(object.mapValues(from(json:)))
        default: return .null
        }
    }
}
