import Foundation

/// The server's v2024 key pair, kept in a file of its own (mode 0600) that `lotbox api keygen`
/// writes: `public <base64url>` and `secret <base64url>`, one per line.
public struct ServerKey: Sendable {
    public let publicKey: [UInt8]
    public let secretKey: [UInt8]

    public var publicText: String { Base64URL.encode(publicKey) }

    public static func generate() throws -> ServerKey {
        let pair = try Sodium.keyPair()
        return ServerKey(publicKey: pair.publicKey, secretKey: pair.secretKey)
    }

    public var fileText: String { "public \(Base64URL.encode(publicKey))\nsecret \(Base64URL.encode(secretKey))\n" }

    /// Reads a key file, refusing one that others may read or whose halves do not match.
    public static func read(path: String) throws -> ServerKey {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KeyFileError("cannot read the API key file \(path); make one with `lotbox api keygen --out \(path)`")
        }
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw KeyFileError("the API key file \(path) has mode \(String(mode, radix: 8)); expected 600 (chmod 600 \(path))")
        }
        var fields: [String: [UInt8]] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let bytes = Base64URL.decode(parts[1].trimmingCharacters(in: .whitespaces)), bytes.count == Sodium.keyBytes else {
                throw KeyFileError("the API key file \(path) has a line that is not 'public|secret <43 base64url characters>'")
            }
            fields[String(parts[0])] = bytes
        }
        guard let publicKey = fields["public"], let secretKey = fields["secret"] else {
            throw KeyFileError("the API key file \(path) needs a 'public' and a 'secret' line")
        }
        guard (try? Sodium.publicKey(of: secretKey)) == publicKey else {
            throw KeyFileError("the API key file \(path): its public key does not belong to its secret key")
        }
        return ServerKey(publicKey: publicKey, secretKey: secretKey)
    }
}

public struct KeyFileError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
