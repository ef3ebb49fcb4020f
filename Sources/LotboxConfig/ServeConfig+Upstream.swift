import Foundation

/// `[upstream]`: the OpenTHC API (another lotbox at head office) the outbox drains to.
///
/// ```toml
/// [upstream]
/// origin = "https://head-office.example:8443"
/// service_id = "shop-12"                       # the service the upstream lists this box's key under
/// client_key_file = "/var/lib/lotbox/upstream.key"   # `lotbox upstream keygen --out ...` (0600)
/// server_public_key = "<the upstream's public key, 43 characters>"
/// ca_file = "/etc/lotbox/head-office.crt"      # optional: trust this certificate (or CA) only
/// kinds = ["section", "variety", "product", "lot"]   # optional: what this upstream takes (default all)
/// client_ids = "honoured"                      # or "ignored": the upstream chooses its own ids (cre)
///
/// [[upstream.licenses]]
/// local = "G-412345"                           # a license here: id, code or name
/// company_id = "01J..."                        # the upstream's company, license and contact it acts as
/// license_id = "01J..."
/// contact_id = "01J..."
/// ```
public struct UpstreamConfig: Sendable, Equatable {
    public var origin: String
    public var serviceID: String
    public var clientKeyFile: String
    public var serverPublicKey: String
    public var caFile: String?
    public var kinds: Set<UpstreamKind>
    public var licenses: [UpstreamLicense]
    /// Seconds a request may take before the upstream counts as unreachable.
    public var timeoutSeconds: Int
    /// `client_ids = "ignored"`: the upstream chooses its own ids for what the box creates (cre
    /// does), so the box keeps an id map and looks an object up before creating it again.
    /// false ("honoured", the default): the upstream keeps the box's ids, as a lotbox does.
    public var upstreamChoosesIDs = false

    public init(origin: String, serviceID: String, clientKeyFile: String, serverPublicKey: String, caFile: String? = nil,
                kinds: Set<UpstreamKind> = Set(UpstreamKind.allCases), licenses: [UpstreamLicense], timeoutSeconds: Int = 10) {
        self.origin = origin
        self.serviceID = serviceID
        self.clientKeyFile = clientKeyFile
        self.serverPublicKey = serverPublicKey
        self.caFile = caFile
        self.kinds = kinds
        self.licenses = licenses
        self.timeoutSeconds = timeoutSeconds
    }
}

/// One local license and who it is on the upstream: a session is opened per license.
public struct UpstreamLicense: Sendable, Equatable {
    /// As written in the file (id, code or name); resolved against the store by the check.
    public var local: String
    public var companyID: String
    public var licenseID: String
    public var contactID: String

    public init(local: String, companyID: String, licenseID: String, contactID: String) {
        self.local = local
        self.companyID = companyID
        self.licenseID = licenseID
        self.contactID = contactID
    }
}

/// The kinds of object an upstream may take; a state bridge may refuse some (lab results).
public enum UpstreamKind: String, Sendable, CaseIterable, Comparable {
    case section, variety, product, lot, transfer, sale, labResult = "lab_result"

    public static func < (a: UpstreamKind, b: UpstreamKind) -> Bool { a.rawValue < b.rawValue }
}

extension ServeConfig.File {
    struct Upstream: Decodable {
        var origin: String?
        var serviceId: String?
        var clientKeyFile: String?
        var serverPublicKey: String?
        var caFile: String?
        var kinds: [String]?
        var timeoutSeconds: Int?
        /// "honoured" (the default) or "ignored": whether the upstream keeps the ids the box chooses.
        var clientIds: String?
        var licenses: [License]?

        struct License: Decodable {
            var local: String
            var companyId: String
            var licenseId: String
            var contactId: String
        }
    }
}

extension ServeConfig {
    static func upstream(_ file: File.Upstream, file path: String) throws(ConfigError) -> UpstreamConfig {
        func refuse(_ reason: String) -> ConfigError { ConfigError(file: path, reason: reason) }
        guard let origin = file.origin, !origin.isEmpty else {
            throw refuse("upstream.origin is missing; expected the upstream's URL (https://head-office.example:8443)")
        }
        guard let url = URL(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()),
              let host = url.host, !host.isEmpty, url.query == nil else {
            throw refuse("upstream.origin '\(origin)' is not an http:// or https:// URL with a host")
        }
        // lotbox signs in to the upstream with its client key; a password in the URL would only be
        // one more copy of a secret (in the store's outbox settings, its backups, the logs). Not echoed.
        guard url.user == nil && url.password == nil else {
            throw refuse("upstream.origin names a user or password; expected only the upstream's URL (https://\(host)\(url.port.map { ":\($0)" } ?? "")), as lotbox signs in with upstream.client_key_file")
        }
        guard let service = file.serviceId, !service.isEmpty else {
            throw refuse("upstream.service_id is missing; expected the service the upstream lists this box's key under")
        }
        guard let keyFile = file.clientKeyFile, !keyFile.isEmpty else {
            throw refuse("upstream.client_key_file is missing; make one with `lotbox upstream keygen --out /var/lib/lotbox/upstream.key`")
        }
        guard let serverKey = file.serverPublicKey, isPublicKey(serverKey) else {
            throw refuse("upstream.server_public_key '\(file.serverPublicKey ?? "")' is not a public key (43 characters of base64url)")
        }
        if file.caFile != nil, scheme.lowercased() != "https" {
            throw refuse("upstream.ca_file is for an https:// origin; '\(origin)' is plain http")
        }
        var kinds = Set(UpstreamKind.allCases)
        if let names = file.kinds {
            kinds = []
            for name in names {
                guard let kind = UpstreamKind(rawValue: name) else {
                    throw refuse("upstream.kinds '\(name)' is not one of \(UpstreamKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kinds.insert(kind)
            }
            guard !kinds.isEmpty else { throw refuse("upstream.kinds is empty; leave [upstream] out to send nothing") }
        }
        let timeout = file.timeoutSeconds ?? 10
        guard (1...300).contains(timeout) else { throw refuse("upstream.timeout_seconds \(timeout) is not between 1 and 300") }
        var licenses: [UpstreamLicense] = []
        for (index, entry) in (file.licenses ?? []).enumerated() {
            let here = "upstream.licenses[\(index)]"
            for (key, value) in [("local", entry.local), ("company_id", entry.companyId), ("license_id", entry.licenseId), ("contact_id", entry.contactId)]
            where value.isEmpty {
                throw refuse("\(here) \(key) is empty")
            }
            guard !licenses.contains(where: { $0.local == entry.local }) else {
                throw refuse("\(here) local '\(entry.local)' is listed twice; one upstream identity per license")
            }
            licenses.append(UpstreamLicense(local: entry.local, companyID: entry.companyId, licenseID: entry.licenseId, contactID: entry.contactId))
        }
        guard !licenses.isEmpty else {
            throw refuse("upstream has no [[upstream.licenses]]; expected one per local license, naming the upstream's company_id, license_id and contact_id")
        }
        let trimmed = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        var config = UpstreamConfig(origin: trimmed, serviceID: service, clientKeyFile: keyFile, serverPublicKey: serverKey, caFile: file.caFile,
                                    kinds: kinds, licenses: licenses, timeoutSeconds: timeout)
        switch file.clientIds {
        case nil, "honoured": config.upstreamChoosesIDs = false
        case "ignored": config.upstreamChoosesIDs = true
        case let other?:
            throw refuse("upstream.client_ids '\(other)' is not \"honoured\" (the upstream keeps the box's ids) or \"ignored\" (it chooses its own, as cre)")
        }
        return config
    }
}
