import Foundation
import Hummingbird
import LotboxStore
import NIOCore

/// The contract's envelope: every JSON body has exactly `data` and `meta`. Replies are built
/// from Foundation JSON so key order and number forms are the server's to choose.
public enum Envelope {
    public static let jsonType = "application/json; charset=utf-8"

    public static func reply(_ data: Any?, meta: [String: Any] = [:], status: HTTPResponse.Status = .ok,
                             headers: HTTPFields = [:]) -> Response {
        let body: [String: Any] = ["data": data ?? NSNull(), "meta": meta]
        let bytes = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"data":null,"meta":{"note":"the reply could not be written as JSON"}}"#.utf8)
        var fields = headers
        fields[.contentType] = jsonType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    public static func error(_ error: APIError) -> Response {
        reply(nil, meta: ["note": error.note], status: error.status, headers: error.headers)
    }

    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Envelope {
    /// The hot path: the envelope of an Encodable value through JSONEncoder (Foundation's
    /// JSONSerialization of `[String: Any]` costs several times the store read behind it).
    public static func json<T: Encodable>(_ data: T, meta: Meta = Meta(), status: HTTPResponse.Status = .ok,
                                          headers: HTTPFields = [:]) -> Response {
        let bytes: Data
        do {
            bytes = try encoder.encode(Body(data: data, meta: meta))
        } catch {
            return reply(nil, meta: ["note": "the reply could not be written as JSON: \(error)"], status: .internalServerError)
        }
        var fields = headers
        fields[.contentType] = jsonType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `meta`: a note, and the paging keys only when a list was asked for a page (clients count keys).
    public struct Meta: Encodable, Sendable {
        public var note: String?
        public var limit: Int?
        public var offset: Int?
        public var cursor: Int64?

        public init(note: String? = nil, limit: Int? = nil, offset: Int? = nil, cursor: Int64? = nil) {
            self.note = note
            self.limit = limit
            self.offset = offset
            self.cursor = cursor
        }
    }

    struct Body<T: Encodable>: Encodable {
        let data: T
        let meta: Meta
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}

/// An id of a related object, as `{"id": …}`.
public struct Ref: Encodable, Sendable, Equatable {
    public let id: String
    public init(_ id: String) { self.id = id }
}

extension Envelope {
    /// A row's reply from its canonical JSON (``RowHash``): `hash` is the SHA-256 of exactly the
    /// bytes that follow it, so the row shown and the row hashed are one text.
    static func row(canonical: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        let hash = SHA256Digest.hex(canonical)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(canonical.count + 112)
        buffer.writeString(#"{"data":{"hash":""#)
        buffer.writeString(hash)
        if canonical.count > 2 {
            buffer.writeString(#"","#)
            buffer.writeBytes(canonical.dropFirst())
        } else {
            buffer.writeString(#""}"#)
        }
        buffer.writeString(#","meta":{}}"#)
        return Response(status: status, headers: [.contentType: jsonType], body: .init(byteBuffer: buffer))
    }
}
