import HummingbirdCore
import HummingbirdTLS

extension HTTPServerBuilder {
    /// HTTP/1.1, over TLS when the config names a certificate.
    static func api(_ http1: HTTP1Channel.Configuration, tls: APITLS?) -> HTTPServerBuilder {
        guard let tls else { return .http1(configuration: http1) }
        return .init { responder in
            try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: tls.configuration)
        }
    }
}
