import Foundation

/// An upstream's answer: its status and the `{data, meta}` envelope as JSON text.
public struct UpstreamReply: Sendable {
    public let status: Int
    public let body: Data

    /// The envelope's `data` object (nil when it is not an object).
    public var data: [String: Any]? {
        (object?["data"]) as? [String: Any]
    }

    /// The envelope's `data` list (nil when it is not a list).
    public var list: [[String: Any]]? {
        (object?["data"]) as? [[String: Any]]
    }

    /// `meta.note`, the upstream's one line on a refusal.
    public var note: String {
        if let meta = object?["meta"] as? [String: Any], let note = meta["note"] as? String { return note }
        return String(decoding: body.prefix(200), as: UTF8.self)
    }

    var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    public var succeeded: Bool { (200..<300).contains(status) }
}

/// Why a call did not reach an answer: the upstream is away (unreachable, timed out, 5xx), or
/// it refuses this box's sessions (a configuration problem on one side or the other).
public enum UpstreamFailure: Error, CustomStringConvertible, Sendable {
    case unreachable(String)
    case session(status: Int, note: String)

    public var description: String {
        switch self {
        case .unreachable(let why): return "the upstream is unreachable: \(why)"
        case .session(let status, let note): return "the upstream refused a session (\(status)): \(note)"
        }
    }
}
