import Hummingbird
import NIOCore

/// The request context every route sees: the caller once the gate has let them in.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    /// The connection's peer as the request found it (a channel forgets it once closed).
    private let peer: SocketAddress?

    /// The client's address (rate limits, logs): the connection's peer. Written out as text when
    /// asked, not for every request: most routes never ask.
    public var remoteAddress: String { peer?.ipAddress ?? "unknown" }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        caller = nil
        peer = source.channel.remoteAddress
    }

    /// Bodies over 1 MiB are refused (413) before a handler reads them.
    public var maxUploadSize: Int { APIContext.bodyLimit }
    public static let bodyLimit = 1 << 20

    /// The caller of an authenticated route (the gate guarantees one).
    public func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.unauthorized("Invalid Bearer [MAT-021]") }
        return caller
    }
}
