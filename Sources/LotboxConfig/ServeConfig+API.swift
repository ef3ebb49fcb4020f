import Foundation
import LotboxStore

/// `[api]`: where the REST API listens, the server's key file, TLS, and the clients allowed in.
///
/// ```toml
/// [api]
/// listen = "127.0.0.1:8080"
/// key = "/var/lib/lotbox/api.key"          # `lotbox api keygen --out ...`
/// tls_certificate = "/var/lib/lotbox/api.crt"  # optional, with tls_key (`lotbox api cert`)
/// tls_key = "/var/lib/lotbox/api.crt.key"
/// metrics_token_file = "/etc/lotbox/metrics.token"   # optional: GET /metrics for a scraper with this token
/// pages = "/usr/share/lotbox/pages"        # optional: the staff screens' templates and files
/// client_ids = "honour"                    # or "ignore": choose this API's own ids for creates (as cre)
///
/// [[api.clients]]
/// service = "pos-terminal"
/// keys = ["<the client's public key, 43 characters of base64url>"]
/// ```
public struct APIConfig: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var keyFile: String
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// The file holding `/metrics`' scrape token (0640 or narrower); nil: `/metrics` answers 404.
    public var metricsTokenFile: String?
    /// `pages`: the staff screens' folder; nil: the usual places (`PageFiles.defaultFolder`).
    public var pages: String?
    /// Service id → allowed client public keys (base64url).
    public var clients: [String: Set<String>]
    /// `[api.staff]`: how long a screen stays signed in unused, how long a sign-in lasts, and
    /// how wrong PINs lock an employee on a device.
    public var staffIdleSeconds: Int64 = 900
    public var staffSessionSeconds: Int64 = 12 * 3600
    public var staffLockout = LockoutPolicy()
    /// `client_ids`: "honour" (true, the default) keeps the id a client chose for what it creates,
    /// as the contract asks; "ignore" (false) chooses this API's own ids, as an upstream like cre
    /// does, so a box (or an integrator's client) can be tested against one.
    public var honoursClientIDs = true

    /// Plain HTTP on an address other machines reach: staff PINs, session cookies and API
    /// sessions would cross the shop's network in clear. Serve runs (a TLS proxy may sit in
    /// front), but `config check` and the log say so.
    public var cleartextWarning: String? {
        guard tlsCertificate == nil else { return nil }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard !loopback else { return nil }
        return "the API listens on \(host):\(port) without TLS: staff PINs, session cookies and API sessions would cross the network in clear; "
            + "set tls_certificate and tls_key (`lotbox api cert`), or listen on 127.0.0.1 behind a TLS proxy"
    }
}

extension ServeConfig {
    static func api(_ file: File.API, file path: String) throws(ConfigError) -> APIConfig {
        let listen = file.listen ?? "127.0.0.1:8080"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port) else {
            throw ConfigError(file: path, reason: "api.listen '\(listen)' is not host:port (e.g. 127.0.0.1:8080)")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConfigError(file: path, reason: "api.listen '\(listen)' has no host; write 0.0.0.0:\(port) to listen on every address") }
        guard let key = file.key, !key.isEmpty else {
            throw ConfigError(file: path, reason: "api.key is missing; make the server's key with `lotbox api keygen --out /var/lib/lotbox/api.key` and name it here")
        }
        guard (file.tlsCertificate == nil) == (file.tlsKey == nil) else {
            throw ConfigError(file: path, reason: "api.tls_certificate and api.tls_key go together; give both or neither")
        }
        var clients: [String: Set<String>] = [:]
        for (index, client) in (file.clients ?? []).enumerated() {
            let here = "api.clients[\(index)]"
            guard !client.service.isEmpty else { throw ConfigError(file: path, reason: "\(here) service is empty") }
            guard clients[client.service] == nil else {
                throw ConfigError(file: path, reason: "\(here) service '\(client.service)' is listed twice; put all its keys in one entry")
            }
            guard !client.keys.isEmpty else { throw ConfigError(file: path, reason: "\(here) '\(client.service)' has no keys") }
            for key in client.keys where !Self.isPublicKey(key) {
                throw ConfigError(file: path, reason: "\(here) key '\(key.prefix(60))' is not a public key (43 characters of base64url)")
            }
            clients[client.service] = Set(client.keys)
        }
        if let token = file.metricsTokenFile, token.isEmpty {
            throw ConfigError(file: path, reason: "api.metrics_token_file is empty; name a file holding the scrape token, or leave the key out to turn /metrics off")
        }
        var config = APIConfig(host: host, port: port, keyFile: key, tlsCertificate: file.tlsCertificate, tlsKey: file.tlsKey, clients: clients)
        config.metricsTokenFile = file.metricsTokenFile
        if let pages = file.pages, pages.isEmpty {
            throw ConfigError(file: path, reason: "api.pages is empty; name the staff screens' folder (/usr/share/lotbox/pages), or leave the key out")
        }
        config.pages = file.pages
        switch file.clientIds {
        case nil, "honour": config.honoursClientIDs = true
        case "ignore": config.honoursClientIDs = false
        case let other?:
            throw ConfigError(file: path, reason: "api.client_ids '\(other)' is not \"honour\" or \"ignore\" (whether creates keep the id a client chose)")
        }
        if let staff = file.staff {
            func ranged(_ value: Int?, _ key: String, _ range: ClosedRange<Int>, _ fallback: Int) throws(ConfigError) -> Int {
                guard let value else { return fallback }
                guard range.contains(value) else {
                    throw ConfigError(file: path, reason: "api.staff.\(key) \(value) is not between \(range.lowerBound) and \(range.upperBound)")
                }
                return value
            }
            config.staffIdleSeconds = Int64(try ranged(staff.idleSeconds, "idle_seconds", 5...86_400, 900))
            config.staffSessionSeconds = Int64(try ranged(staff.sessionHours, "session_hours", 1...24, 12)) * 3600
            let first = try ranged(staff.lockSeconds, "lock_seconds", 1...3600, 30)
            let maximum = try ranged(staff.lockMaxSeconds, "lock_max_seconds", 1...86_400, 900)
            guard maximum >= first else {
                throw ConfigError(file: path, reason: "api.staff.lock_max_seconds \(maximum) is shorter than lock_seconds \(first)")
            }
            config.staffLockout = LockoutPolicy(failuresBeforeLock: try ranged(staff.lockAfter, "lock_after", 1...20, 5),
                                                firstDelay: Int64(first), maximumDelay: Int64(maximum))
        }
        return config
    }

    static func isPublicKey(_ text: String) -> Bool {
        text.count == 43 && text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
        }
    }
}
