import CSodium
import Foundation

/// libsodium, the one place it is called: crypto_box (X25519 + XSalsa20-Poly1305) for v2024
/// boxes, its key pairs, random bytes for session ids, and SHA-256 for what the store keeps
/// of a sid. Every buffer is Swift-owned; nothing of libsodium's outlives a call.
public enum Sodium {
    public static let keyBytes = 32
    public static let nonceBytes = 24
    public static let macBytes = 16

    /// sodium_init is safe to call more than once and from several threads.
    static let ready: Bool = sodium_init() >= 0

    /// A new key pair: (public, secret).
    public static func keyPair() throws -> (publicKey: [UInt8], secretKey: [UInt8]) {
        guard ready else { throw SodiumError.unavailable }
        var publicKey = [UInt8](repeating: 0, count: keyBytes)
        var secretKey = [UInt8](repeating: 0, count: keyBytes)
        guard crypto_box_keypair(&publicKey, &secretKey) == 0 else { throw SodiumError.unavailable }
        return (publicKey, secretKey)
    }

    /// The public key that belongs to a secret key.
    public static func publicKey(of secretKey: [UInt8]) throws -> [UInt8] {
        guard ready, secretKey.count == keyBytes else { throw SodiumError.badKey }
        var publicKey = [UInt8](repeating: 0, count: keyBytes)
        guard crypto_scalarmult_base(&publicKey, secretKey) == 0 else { throw SodiumError.badKey }
        return publicKey
    }

    /// Opens `nonce ‖ crypto_box_easy(...)`, or nil when it does not open with these keys.
    public static func openBox(_ box: [UInt8], senderPublicKey: [UInt8], recipientSecretKey: [UInt8]) -> [UInt8]? {
        guard ready, senderPublicKey.count == keyBytes, recipientSecretKey.count == keyBytes,
              box.count > nonceBytes + macBytes else { return nil }
        let nonce = Array(box[0..<nonceBytes])
        let cipher = Array(box[nonceBytes...])
        var message = [UInt8](repeating: 0, count: cipher.count - macBytes)
        let status = crypto_box_open_easy(&message, cipher, UInt64(cipher.count), nonce, senderPublicKey, recipientSecretKey)
        return status == 0 ? message : nil
    }

    /// `nonce ‖ crypto_box_easy(message)`: what a client sends (used by `lotbox api` tools and tests).
    public static func seal(_ message: [UInt8], recipientPublicKey: [UInt8], senderSecretKey: [UInt8]) throws -> [UInt8] {
        guard ready, recipientPublicKey.count == keyBytes, senderSecretKey.count == keyBytes else { throw SodiumError.badKey }
        let nonce = randomBytes(nonceBytes)
        var cipher = [UInt8](repeating: 0, count: message.count + macBytes)
        guard crypto_box_easy(&cipher, message, UInt64(message.count), nonce, recipientPublicKey, senderSecretKey) == 0 else {
            throw SodiumError.badKey
        }
        return nonce + cipher
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        _ = ready
        randombytes_buf(&bytes, count)
        return bytes
    }

    /// SHA-256 as lower-case hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        _ = ready
        crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return hex(digest)
    }
}

extension Sodium {
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex (String(format:) costs more than the hash it prints).
    static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum SodiumError: Error, CustomStringConvertible {
    case unavailable, badKey
    public var description: String {
        switch self {
        case .unavailable: return "libsodium could not be initialised"
        case .badKey: return "a key is not 32 bytes of a crypto_box key"
        }
    }
}
