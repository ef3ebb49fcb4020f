import COpenSSL
import Foundation

/// The secret under which a shop that asked to recognise returning customers keeps an
/// HMAC-SHA256 of a licence's issuer and number, never the number itself.
///
/// The secret lives in a file beside the store (`<store>.customer-key`, mode 0600), not in the
/// store: licence numbers are few enough to try them all, so a token is only safe from whoever
/// lacks the secret, and a copy of the store (a backup, an export, a support bundle) must not
/// carry it. Made by `lotbox init`, or on first use when the store predates the option.
public struct CustomerKey: Sendable {
    let secret: [UInt8]

    public static func path(forStore store: String) -> String { store + ".customer-key" }

    /// Makes the secret if there is none: 32 bytes from the system's secure generator, written
    /// with O_EXCL and mode 0600. Returns true when it was made now.
    @discardableResult
    public static func make(forStore store: String) throws(ScannerError) -> Bool {
        let path = path(forStore: store)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw ScannerError.customerKey(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let written = secret.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == secret.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw ScannerError.customerKey(path: path, reason: "cannot write it: \(reason)")
        }
        return true
    }

    /// Reads the secret beside `store`, making it first if it is missing.
    public static func load(forStore store: String) throws(ScannerError) -> CustomerKey {
        try make(forStore: store)
        let path = path(forStore: store)
        guard let data = FileManager.default.contents(atPath: path), data.count >= 32 else {
            throw ScannerError.customerKey(path: path, reason: "unreadable or shorter than 32 bytes")
        }
        return CustomerKey(secret: Array(data))
    }

    /// HMAC-SHA256 of issuer and number as lowercase hex: the same card gives the same token
    /// under one secret, and nothing without it.
    public func token(issuer: String, number: String) -> String {
        let message = Array("\(issuer)\u{1F}\(number.uppercased())".utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = secret.withUnsafeBytes { key in
            message.withUnsafeBytes { data in
                HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), data.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     data.count, &digest, &length)
            }
        }
        precondition(result != nil && length == 32, "libcrypto HMAC-SHA256 failed")
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.prefix(32).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }
}
