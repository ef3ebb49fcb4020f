import Foundation
import Hummingbird
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
