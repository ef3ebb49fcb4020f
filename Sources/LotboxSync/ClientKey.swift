import Foundation
import LotboxAPI
import LotboxStore

/// The box's own v2024 key pair towards its upstream, in a file of its own (mode 0600) that
/// `lotbox upstream keygen` writes (`public <base64url>` and `secret <base64url>`): the upstream
/// lists the public half under this box's service id; the secret half never leaves the file.
public struct ClientKey: Sendable {
    public let publicKey: [UInt8]
    public let secretKey: [UInt8]

    public var publicText: String { Base64URL.encode(publicKey) }
    var fileText: String { "public \(Base64URL.encode(publicKey))\nsecret \(Base64URL.encode(secretKey))\n" }

    /// Makes a new pair and writes it to `path`, which must not exist (a key already listed on
    /// the upstream is never replaced by accident).
    public static func create(at path: String) throws -> ClientKey {
        if FileManager.default.fileExists(atPath: path) {
            throw UpstreamKeyError("the client key file \(path) exists; lotbox never replaces a key (the upstream lists its public half): remove it first or choose another path")
        }
        let pair = try Sodium.keyPair()
        let key = ClientKey(publicKey: pair.publicKey, secretKey: pair.secretKey)
        do {
            try StoreFiles.writeSecret(Array(key.fileText.utf8), to: path)
        } catch {
            throw UpstreamKeyError("\(error)")
        }
        return key
    }

    /// Reads a key file, refusing one that others may read or whose halves do not match.
    public static func read(path: String) throws -> ClientKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UpstreamKeyError("cannot read the client key file \(path); make one with `lotbox upstream keygen --out \(path)`")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw UpstreamKeyError("the client key file \(path) has mode \(String(mode, radix: 8)); expected 600 (chmod 600 \(path))")
        }
        var fields: [String: [UInt8]] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let bytes = Base64URL.decode(parts[1].trimmingCharacters(in: .whitespaces)), bytes.count == Sodium.keyBytes else {
                throw UpstreamKeyError("the client key file \(path) has a line that is not 'public|secret <43 base64url characters>'")
            }
            fields[String(parts[0])] = bytes
        }
        guard let publicKey = fields["public"], let secretKey = fields["secret"] else {
            throw UpstreamKeyError("the client key file \(path) needs a 'public' and a 'secret' line")
        }
        guard (try? Sodium.publicKey(of: secretKey)) == publicKey else {
            throw UpstreamKeyError("the client key file \(path): its public key does not belong to its secret key")
        }
        return ClientKey(publicKey: publicKey, secretKey: secretKey)
    }
}

public struct UpstreamKeyError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
