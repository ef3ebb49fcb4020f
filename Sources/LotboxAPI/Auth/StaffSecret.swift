import CSodium
import Foundation

/// Staff PINs and passwords: checked for shape, and hashed and verified with libsodium's
/// crypto_pwhash_str (Argon2id at its interactive limits: ~64 MiB and ~0.1 s of a core each).
/// The store keeps only the hash. Hashing runs on a thread of its own, never the shared pool,
/// and at most two run at once: a burst of sign-ins must not take the box's memory.
public enum StaffSecret {
    private static let permits = DispatchSemaphore(value: 2)

    /// A PIN is 4 to 12 digits; a password 8 to 128 characters with no control characters.
    public static func check(_ secret: String) throws(StaffSecretError) {
        let digitsOnly = !secret.isEmpty && secret.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if digitsOnly {
            guard (4...12).contains(secret.count) else { throw .shape("a PIN of \(secret.count) digits is not 4 to 12 digits") }
            return
        }
        guard (8...128).contains(secret.count) else {
            throw .shape("a password of \(secret.count) characters is not 8 to 128 characters (or a PIN of 4 to 12 digits)")
        }
        guard !secret.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .shape("a password has a control character; expected printable characters")
        }
    }

    /// The Argon2id string of `secret` (blocking: call it off the shared pool).
    public static func hash(_ secret: String) throws(StaffSecretError) -> String {
        try check(secret)
        guard Sodium.ready else { throw .unavailable }
        permits.wait()
        defer { permits.signal() }
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        // A Swift String passes as a NUL-terminated C string; the length excludes the NUL.
        let status = crypto_pwhash_str(&out, secret, UInt64(secret.utf8.count), UInt64(crypto_pwhash_opslimit_interactive()),
                                       crypto_pwhash_memlimit_interactive())
        guard status == 0 else { throw .unavailable }
        return String(cString: out)
    }

    /// Whether `secret` is the one `hash` was made from (blocking: call it off the shared pool).
    public static func verify(_ secret: String, against hash: String) -> Bool {
        guard Sodium.ready, hash.utf8.count < Int(crypto_pwhash_strbytes()) else { return false }
        permits.wait()
        defer { permits.signal() }
        return crypto_pwhash_str_verify(hash, secret, UInt64(secret.utf8.count)) == 0
    }

    /// A hash of a random secret nobody knows, made once. A sign-in for a name that does not
    /// exist is checked against it, so it takes as long as a wrong PIN: the time of the answer
    /// does not tell a stranger which names exist, any more than its words do.
    private static let decoy: String = {
        var random = [UInt8](repeating: 0, count: 16)
        if Sodium.ready { randombytes_buf(&random, random.count) }
        return (try? hash("decoy-" + random.map { String($0) }.joined())) ?? ""
    }()

    /// Spends a wrong PIN's time on a secret that cannot be right (blocking: off the shared pool).
    public static func verifyDecoy(_ secret: String) {
        _ = verify(secret, against: decoy)
    }

    /// `verifyDecoy` on a thread of its own, for the server's handlers.
    public static func verifyDecoyOffPool(_ secret: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                verifyDecoy(secret)
                continuation.resume()
            }
        }
    }

    /// `verify` on a thread of its own, for the server's handlers.
    public static func verifyOffPool(_ secret: String, against hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: verify(secret, against: hash)) }
        }
    }
}

public enum StaffSecretError: Error, CustomStringConvertible {
    case shape(String), unavailable
    public var description: String {
        switch self {
        case .shape(let reason): return reason
        case .unavailable: return "libsodium could not hash the secret"
        }
    }
}
