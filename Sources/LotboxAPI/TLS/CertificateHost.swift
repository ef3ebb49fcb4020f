#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A name a certificate is good for: a DNS name or an IP address, as `--host` gives it.
public struct CertificateHost: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable { case dns, ip }
    public let kind: Kind
    public let text: String

    public var description: String { text }

    /// Checked strictly: the text goes into libcrypto's extension syntax, where a comma or a
    /// colon in a DNS name would add a name nobody asked for.
    public init(_ text: String) throws(CertificateError) {
        if Self.isIPAddress(text) {
            kind = .ip
            self.text = text
        } else if Self.isDNSName(text) {
            kind = .dns
            self.text = text.lowercased()
        } else {
            throw CertificateError("--host '\(text.prefix(80))' is not a DNS name or an IP address; expected e.g. shop.lan, 192.168.1.20 or ::1")
        }
    }

    /// The machine's hostname, localhost and 127.0.0.1: what `lotbox api cert` names without
    /// `--host` (a hostname that is not a DNS name is left out).
    public static var defaults: [CertificateHost] {
        var buffer = [CChar](repeating: 0, count: 256)
        let size = buffer.count - 1
        let own = gethostname(&buffer, size) == 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let names = (own.isEmpty ? [] : [own]) + ["localhost", "127.0.0.1"]
        return unique(names.compactMap { try? CertificateHost($0) })
    }

    /// Each host once, in the order first given.
    public static func unique(_ hosts: [CertificateHost]) -> [CertificateHost] {
        var seen: Set<String> = []
        return hosts.filter { seen.insert($0.text).inserted }
    }

    var subjectAltNameEntry: String { (kind == .ip ? "IP:" : "DNS:") + text }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// RFC 1123 names: labels of letters, digits and hyphens (1 to 63, no hyphen at either end),
    /// 253 characters in all; a trailing dot is not taken.
    static func isDNSName(_ text: String) -> Bool {
        guard (1...253).contains(text.utf8.count) else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { byte in
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
                }
        }
    }
}

/// Why a certificate could not be made or written: one line.
public struct CertificateError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
