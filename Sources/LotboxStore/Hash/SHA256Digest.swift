import COpenSSL

/// SHA-256 through libcrypto, for ``RowHash`` and the scan log (a hash of every scan, and only the
/// hash of a licence): the one file of the store that reaches a C library.
public enum SHA256Digest {
    /// The digest of `bytes` as 64 lower-case hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { digest in
            var length: UInt32 = 0
            let ok = bytes.withUnsafeBytes { input in
                EVP_Digest(input.baseAddress, input.count, digest.baseAddress, &length, algorithm.md, nil)
            }
            precondition(ok == 1 && length == 32, "libcrypto SHA-256 failed")
            return String(unsafeUninitializedCapacity: 64) { text in
                let hex: StaticString = "0123456789abcdef"
                let digits = hex.utf8Start
                for index in 0..<32 {
                    let byte = digest[index]
                    text[2 * index] = digits[Int(byte >> 4)]
                    text[2 * index + 1] = digits[Int(byte & 15)]
                }
                return 64
            }
        }
    }

    /// SHA-256 fetched from libcrypto's provider once: `EVP_sha256()` is fetched again on every
    /// digest, and that lookup cost as much as hashing a row.
    private static let algorithm = FetchedDigest(name: "SHA256")
}

/// An algorithm libcrypto fetched, kept for the process's life (libcrypto's fetched methods may
/// be used from any thread).
private final class FetchedDigest: @unchecked Sendable {
    let md: OpaquePointer?

    init(name: String) {
        // Falls back to the implicit fetch where the explicit one fails.
        md = EVP_MD_fetch(nil, name, nil) ?? EVP_sha256()
    }
}
