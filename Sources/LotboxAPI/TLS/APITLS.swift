import Foundation
import NIOSSL

/// `[api] tls_certificate` and `tls_key`, read and checked once, as the server's TLS settings:
/// TLS 1.2 at least. `lotbox config check` and `serve` both load it, so a file that would fail
/// at the first client's handshake stops the daemon at its start, with one line saying why.
public struct APITLS: Sendable {
    public let certificateFile: String
    public let keyFile: String
    /// The SHA-256 fingerprint of the certificate served (what a client pins), colon-separated hex.
    public let fingerprint: String
    /// The certificate's notAfter: clients refuse it from then on.
    public let expires: Date
    let configuration: TLSConfiguration

    /// A warning when the certificate has expired or will within 30 days, else nil. Not an error:
    /// `serve` also prints labels and reads scanners, which must not stop for the API's certificate.
    public func expiryWarning(now: Date = Date()) -> String? {
        let days = Int((expires.timeIntervalSince(now) / 86400).rounded())
        let day = expires.formatted(.iso8601.year().month().day())
        if expires <= now {
            return "the API's TLS certificate \(certificateFile) expired on \(day); clients refuse it: make a new one (`lotbox api cert`) and restart serve"
        }
        guard days < 30 else { return nil }
        let left = days == 0 ? "within a day" : days == 1 ? "in 1 day" : "in \(days) days"
        return "the API's TLS certificate \(certificateFile) expires on \(day) (\(left)); make a new one (`lotbox api cert`) before then"
    }

    public static func load(certificate: String, key: String) throws(TLSFileError) -> APITLS {
        guard let certificatePEM = FileManager.default.contents(atPath: certificate).map(Array.init) else {
            throw TLSFileError(.certificate, "cannot read the TLS certificate \(certificate); make one with `lotbox api cert --out \(certificate)`")
        }
        guard let keyPEM = FileManager.default.contents(atPath: key).map(Array.init) else {
            throw TLSFileError(.key, "cannot read the TLS key \(key); `lotbox api cert --out CERT` writes it as CERT.key")
        }
        // As the API key file: a private key others may read is refused, not served.
        if let mode = (try? FileManager.default.attributesOfItem(atPath: key))?[.posixPermissions] as? NSNumber,
           mode.intValue & 0o077 != 0 {
            throw TLSFileError(.key, "the TLS key \(key) has mode \(String(mode.intValue, radix: 8)); expected 600 (chmod 600 \(key))")
        }
        switch X509Library.pair(certificate: certificatePEM, key: keyPEM) {
        case .notACertificate:
            throw TLSFileError(.certificate, "the TLS certificate \(certificate) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        case .notAKey:
            throw TLSFileError(.key, "the TLS key \(key) is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)")
        case .mismatched:
            throw TLSFileError(.key, "the TLS key \(key) does not belong to the certificate \(certificate); give the key made with it")
        case .matching:
            break
        }
        guard let summary = X509Library.summary(certificate: certificatePEM) else {
            throw TLSFileError(.certificate, "the TLS certificate \(certificate) has no SHA-256 fingerprint or end date libcrypto can read")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
            let privateKey = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
            configuration.minimumTLSVersion = .tlsv12
            // The context the server makes as it starts, made here too: what BoringSSL refuses
            // is refused by `config check`, not at the first handshake.
            _ = try NIOSSLContext(configuration: configuration)
            return APITLS(certificateFile: certificate, keyFile: key, fingerprint: SelfSignedCertificate.colonHex(summary.fingerprint),
                          expires: summary.notAfter, configuration: configuration)
        } catch {
            let reason = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
            throw TLSFileError(.certificate, "the TLS certificate \(certificate) and key \(key) cannot be served: \(reason)")
        }
    }
}

/// A TLS file the API cannot serve with: which config key named it, and why, in one line.
public struct TLSFileError: Error, Sendable, CustomStringConvertible {
    public enum File: String, Sendable {
        case certificate = "tls_certificate"
        case key = "tls_key"
    }
    public let file: File
    public let description: String
    init(_ file: File, _ description: String) {
        self.file = file
        self.description = description
    }
}
