import Hummingbird

/// One route of the API: method, path template (`/inventory/{id}`), who may call it, and the
/// handler. The router, the 405s and the check of the OpenAPI document are all made from the
/// one list of these (APIRoutes.all), so they cannot drift apart.
public struct APIRoute: Sendable {
    public enum Access: Sendable, Equatable {
        /// The handshake, health and the API document.
        case open
        /// Everything else: a live session; `code` goes in the 401's note (cre's codes differ by route).
        case authenticated(code: String)

        public static var session: Access { .authenticated(code: "MAT-021") }
    }

    /// `nonisolated(nonsending)`: a handler runs where the router's closure calls it, on the
    /// API's threads, without a hop of its own on entry (one of the many per request).
    public typealias Handler = nonisolated(nonsending) @Sendable (APICall) async throws -> Response

    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access
    public let handler: Handler

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: Access = .session, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// "GET /inventory/{id}": how the document, logs and tests name a route.
    public var name: String { "\(method.rawValue) \(path)" }
}
