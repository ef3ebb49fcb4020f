import Hummingbird
import LotboxStore

/// A refusal with the contract's status and the one line for `meta.note`. Everything a
/// handler throws ends as one of these (Envelope.reply); nothing becomes a 5xx but a real fault.
public struct APIError: CallerError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let note: String
    /// Extra headers (a 405's Allow).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ note: String) {
        self.status = status
        self.note = note
    }

    public var description: String { "\(status.code) \(note)" }

    public static func badRequest(_ note: String) -> APIError { APIError(.badRequest, note) }
    public static func notFound(_ note: String) -> APIError { APIError(.notFound, note) }
    public static func forbidden(_ note: String) -> APIError { APIError(.forbidden, note) }
    public static func conflict(_ note: String) -> APIError { APIError(.conflict, note) }
    public static func unauthorized(_ note: String) -> APIError { APIError(.unauthorized, note) }

    /// A field that is missing or of the wrong kind: the note names it and says what was expected.
    public static func field(_ name: String, _ expected: String, got: BodyValue? = nil) -> APIError {
        switch got {
        case nil, .null?: return .badRequest("'\(name)' is missing; expected \(expected)")
        case let value?: return .badRequest("'\(name)' is \(value.shortDescription); expected \(expected)")
        }
    }
}

extension BodyValue {
    /// How a refusal shows a value it did not take: short, never a whole body.
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "\(value)"
        case .number(let text): return text
        case .string(let text): return "'\(text.count > 60 ? String(text.prefix(60)) + "…" : text)'"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
