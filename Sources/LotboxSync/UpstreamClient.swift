import AsyncHTTPClient
import Foundation
import LotboxAPI
import LotboxConfig
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The client side of v2024 towards one upstream: a session per upstream license, opened with a
/// sealed box on first use and opened again whenever the upstream answers 401 (the session
/// expired, was shut, or the upstream forgot it). Non-blocking (NIO); it honours no proxy
/// variables, so a shop's HTTP proxy never sees compliance records.
public final class UpstreamClient: Sendable {
    public let config: UpstreamConfig
    let key: ClientKey
    let serverKey: [UInt8]
    let http: HTTPClient
    /// Upstream license id → session id.
    let sessions = Mutex<[String: String]>([:])
    /// Sessions being opened: the worker sends up to 32 calls at once, and all of them finding
    /// no session (at start, after a 401) must wait for one handshake, not make 32 (the
    /// upstream limits handshakes per address and would answer 429 to the rest).
    let opening = Mutex<[String: Task<String, any Error>]>([:])
    /// Run before every call but a GET: the outbox syncs the store, so what a call carries is
    /// on this box's disk before the upstream has it.
    let beforeChange: (@Sendable () async throws -> Void)?

    public init(config: UpstreamConfig, key: ClientKey, beforeChange: (@Sendable () async throws -> Void)? = nil) throws {
        guard let serverKey = Base64URL.decode(config.serverPublicKey), serverKey.count == Sodium.keyBytes else {
            throw UpstreamKeyError("upstream.server_public_key is not a public key")
        }
        self.config = config
        self.key = key
        self.serverKey = serverKey
        self.beforeChange = beforeChange
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // As many connections as the worker sends lot events at once (OutboxWorker.waveSize).
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        let timeout = TimeAmount.seconds(Int64(config.timeoutSeconds))
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: timeout, read: timeout)
        if let caFile = config.caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            configuration.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// One call for `license`; a 401 opens a new session and sends the call once more.
    public func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, as license: UpstreamLicense,
                     ifMatch: String? = nil) async throws -> UpstreamReply {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        if method != .GET, let beforeChange { try await beforeChange() }
        var sid = try await session(for: license)
        var reply = try await send(method, path, body: body, bearer: "v2024/\(sid)", ifMatch: ifMatch)
        if reply.status == 401 {
            sessions.withLock { _ = $0.removeValue(forKey: license.licenseID) }
            sid = try await session(for: license)
            reply = try await send(method, path, body: body, bearer: "v2024/\(sid)", ifMatch: ifMatch)
        }
        return reply
    }

    /// Opens a session now (for `upstream status` and the check that the upstream takes this box).
    public func ping(as license: UpstreamLicense) async throws -> UpstreamReply {
        try await call(.GET, "/auth/ping", as: license)
    }

    func session(for license: UpstreamLicense) async throws -> String {
        if let sid = sessions.withLock({ $0[license.licenseID] }) { return sid }
        let key = license.licenseID
        let handshake = opening.withLock { running -> Task<String, any Error> in
            if let task = running[key] { return task }
            let task = Task { try await self.openSession(for: license) }
            running[key] = task
            return task
        }
        do {
            let sid = try await handshake.value
            opening.withLock { running in if running[key] == handshake { running[key] = nil } }
            return sid
        } catch {
            opening.withLock { running in if running[key] == handshake { running[key] = nil } }
            throw error
        }
    }

    /// One handshake (`/auth/open`); the session is kept for the license's later calls.
    func openSession(for license: UpstreamLicense) async throws -> String {
        let claims: [String: Any] = [
            "pk": key.publicText, "ts": Int(Date().timeIntervalSince1970), "service": config.serviceID,
            "contact": license.contactID, "company": license.companyID, "license": license.licenseID,
        ]
        let message = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let box = try Sodium.seal(Array(message), recipientPublicKey: serverKey, senderSecretKey: key.secretKey)
        let reply = try await send(.POST, "/auth/open", body: nil, bearer: "v2024/\(key.publicText)/\(Base64URL.encode(box))", ifMatch: nil)
        guard reply.status == 200, let sid = reply.data?["sid"] as? String, !sid.isEmpty else {
            throw UpstreamFailure.session(status: reply.status, note: reply.note)
        }
        sessions.withLock { $0[license.licenseID] = sid }
        return sid
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?, bearer: String, ifMatch: String?) async throws -> UpstreamReply {
        var request = HTTPClientRequest(url: config.origin + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        request.headers.add(name: "Accept", value: "application/json")
        if let ifMatch { request.headers.add(name: "If-Match", value: ifMatch) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: .seconds(Int64(config.timeoutSeconds)))
            let bytes = try await response.body.collect(upTo: 8 << 20)
            let reply = UpstreamReply(status: Int(response.status.code), body: Data(bytes.readableBytesView))
            // A server error is the upstream being away, not a refusal of this event.
            if reply.status >= 500 || reply.status == 429 { throw UpstreamFailure.unreachable("\(path) answered \(reply.status): \(reply.note)") }
            return reply
        } catch let failure as UpstreamFailure {
            throw failure
        } catch {
            throw UpstreamFailure.unreachable("\(method) \(path): \(error)")
        }
    }
}
