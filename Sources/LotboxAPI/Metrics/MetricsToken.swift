import Foundation
import LotboxStore

/// The scrape token `/metrics` asks for (`[api] metrics_token_file`): one line of text in a file
/// the daemon's user and group may read and nobody else (0640 or narrower). Kept as its SHA-256,
/// so a comparison takes the same time whatever the bytes sent.
public struct MetricsToken: Sendable {
    let digest: [UInt8]

    /// Tokens shorter than this are refused: a scraper's secret, not a password to type.
    public static let minimumLength = 16

    public static func read(path: String) throws -> MetricsToken {
        var info = stat()
        guard stat(path, &info) == 0, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KeyFileError("cannot read the metrics token file \(path); expected a file holding the scrape token (e.g. `openssl rand -hex 32 > \(path)`)")
        }
        let mode = Int(info.st_mode & 0o777)
        guard mode & 0o137 == 0 else {
            throw KeyFileError("the metrics token file \(path) has mode \(String(mode, radix: 8)); expected 640 or narrower (chmod 640 \(path))")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= minimumLength, !token.contains(where: \.isWhitespace) else {
            throw KeyFileError("the metrics token file \(path) holds \(token.count) characters; expected one token of at least \(minimumLength) without spaces")
        }
        return MetricsToken(digest: Self.sha256(Array(token.utf8)))
    }

    /// Whether `Authorization: Bearer <token>` names this token (compared in constant time).
    public func accepts(authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let sent = Self.sha256(Array(authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces).utf8))
        return sent.count == digest.count && zip(sent, digest).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256Digest.hex(bytes).utf8) }
}
