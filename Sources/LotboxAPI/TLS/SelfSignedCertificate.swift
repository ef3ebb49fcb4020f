#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What `lotbox api cert` makes: a certificate (PEM) for the API, its private key (PEM, PKCS#8)
/// and the SHA-256 fingerprint a client pins.
public struct SelfSignedCertificate: Sendable {
    public let certificatePEM: [UInt8]
    public let keyPEM: [UInt8]
    public let fingerprint: [UInt8]

    /// The days a certificate may be made for: 825 is the longest a browser still takes.
    public static let dayRange = 1...3650
    public static let defaultDays = 825

    public static func make(hosts: [CertificateHost], days: Int) throws(CertificateError) -> SelfSignedCertificate {
        guard dayRange.contains(days) else {
            throw CertificateError("--days \(days) is out of range; expected \(dayRange.lowerBound) to \(dayRange.upperBound)")
        }
        return try X509Library.selfSigned(hosts: CertificateHost.unique(hosts), days: days)
    }

    /// As `openssl x509 -fingerprint -sha256` shows it: upper-case hex pairs joined by colons.
    public var fingerprintText: String { Self.colonHex(fingerprint) }

    static func colonHex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// Writes the certificate to `path` (0644) and the key to `path.key` (0600, created with that
    /// mode, so no other user can read it at any moment). Neither file may exist already; when
    /// the second cannot be written, the first is removed, so a failure leaves nothing.
    public func write(to path: String) throws(CertificateError) {
        let keyPath = path + ".key"
        for existing in [path, keyPath] where FileManager.default.fileExists(atPath: existing) {
            throw CertificateError("\(existing) exists; lotbox api cert never replaces a file (remove it, or give another --out)")
        }
        try Self.create(keyPath, keyPEM, mode: 0o600)
        do {
            try Self.create(path, certificatePEM, mode: 0o644)
        } catch {
            unlink(keyPath)
            throw error
        }
    }

    /// O_EXCL, so a file made meanwhile is not replaced either; fchmod only widens what the umask
    /// took from 0644 (the key's 0600 is never widened).
    private static func create(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(CertificateError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CertificateError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fchmod(fd, mode) == 0, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw CertificateError("cannot write \(path): \(reason)")
        }
    }
}
