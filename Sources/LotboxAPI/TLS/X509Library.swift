import COpenSSL
import Foundation

/// libcrypto's X.509, the one place it is called: checking that a certificate and a private key
/// belong together, and making a self-signed certificate. Every handle is made and freed within
/// one call; what leaves is Swift bytes (PEM text, a digest).
enum X509Library {
    /// What `pair(certificate:key:)` found.
    enum PairCheck: Equatable {
        case matching
        case notACertificate
        /// Not PEM, not a private key, or protected by a passphrase (nobody types one at a daemon's start).
        case notAKey
        case mismatched
    }

    /// Whether the first certificate of a PEM file and a PEM private key are halves of one pair.
    static func pair(certificate: [UInt8], key: [UInt8]) -> PairCheck {
        defer { ERR_clear_error() }
        guard let x509 = readCertificate(certificate) else { return .notACertificate }
        defer { X509_free(x509) }
        guard let pkey = readKey(key) else { return .notAKey }
        defer { EVP_PKEY_free(pkey) }
        return X509_check_private_key(x509, pkey) == 1 ? .matching : .mismatched
    }

    /// SHA-256 of the first certificate's DER bytes and the end of its validity, or nil when the
    /// text holds no certificate.
    static func summary(certificate: [UInt8]) -> (fingerprint: [UInt8], notAfter: Date)? {
        defer { ERR_clear_error() }
        guard let x509 = readCertificate(certificate) else { return nil }
        defer { X509_free(x509) }
        var time = tm()
        guard let fingerprint = digest(x509), let end = X509_get0_notAfter(x509), ASN1_TIME_to_tm(end, &time) == 1 else { return nil }
        return (fingerprint, Date(timeIntervalSince1970: TimeInterval(timegm(&time))))
    }

    /// A new EC P-256 key and a certificate for it signed by itself (SHA-256), valid from now for
    /// `days`, naming `hosts` in subjectAltName. It is the end of its own chain, never a CA: a client
    /// trusts it by having this very certificate as its CA file, or by pinning its fingerprint.
    static func selfSigned(hosts: [CertificateHost], days: Int) throws(CertificateError) -> SelfSignedCertificate {
        defer { ERR_clear_error() }
        guard let first = hosts.first else { throw CertificateError("a certificate needs at least one host") }
        guard let pkey = newP256Key() else { throw failure("make an EC P-256 key") }
        defer { EVP_PKEY_free(pkey) }
        guard let x509 = X509_new() else { throw failure("make a certificate") }
        defer { X509_free(x509) }

        guard X509_set_version(x509, 2) == 1, setRandomSerial(x509),
              X509_gmtime_adj(X509_getm_notBefore(x509), 0) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(days), 0, nil) != nil,
              X509_set_pubkey(x509, pkey) == 1 else { throw failure("fill in the certificate") }
        guard let name = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, Array(first.text.utf8), Int32(first.text.utf8.count), -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1 else { throw failure("name the certificate") }

        // subjectKeyIdentifier first: authorityKeyIdentifier copies it from the issuer, itself.
        let subjectAltName = hosts.map(\.subjectAltNameEntry).joined(separator: ",")
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
            (NID_subject_alt_name, subjectAltName),
        ]
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        for (nid, value) in extensions {
            guard let made = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw failure("add the extension \(value)") }
            defer { X509_EXTENSION_free(made) }
            guard X509_add_ext(x509, made, -1) == 1 else { throw failure("add the extension \(value)") }
        }
        guard X509_sign(x509, pkey, EVP_sha256()) > 0 else { throw failure("sign the certificate") }

        guard let certificatePEM = pem({ PEM_write_bio_X509($0, x509) }),
              let keyPEM = pem({ PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) }),
              let fingerprint = digest(x509) else { throw failure("write the certificate as PEM") }
        return SelfSignedCertificate(certificatePEM: certificatePEM, keyPEM: keyPEM, fingerprint: fingerprint)
    }

    // MARK: handles, each freed by the caller within its call

    private static func readCertificate(_ pem: [UInt8]) -> OpaquePointer? {
        withMemoryBIO(pem) { PEM_read_bio_X509($0, nil, nil, nil) }
    }

    /// The callback answers any passphrase prompt with nothing, so an encrypted key fails here
    /// instead of libcrypto asking on the terminal.
    private static func readKey(_ pem: [UInt8]) -> OpaquePointer? {
        withMemoryBIO(pem) { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in 0 }, nil) }
    }

    private static func withMemoryBIO(_ bytes: [UInt8], _ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress, let bio = BIO_new_mem_buf(base, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private static func newP256Key() -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
              EVP_PKEY_keygen(context, &key) == 1 else { return nil }
        return key
    }

    /// 127 random bits: positive, and within the 20 octets RFC 5280 allows.
    private static func setRandomSerial(_ x509: OpaquePointer) -> Bool {
        guard let number = BN_new() else { return false }
        defer { BN_free(number) }
        guard BN_rand(number, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              let serial = BN_to_ASN1_INTEGER(number, nil) else { return false }
        defer { ASN1_INTEGER_free(serial) }
        return X509_set_serialNumber(x509, serial) == 1
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) -> [UInt8]? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        return read == bytes.count ? bytes : nil
    }

    private static func digest(_ x509: OpaquePointer) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, EVP_sha256(), &bytes, &length) == 1 else { return nil }
        return Array(bytes.prefix(Int(length)))
    }

    /// What libcrypto said about its last failure, in one line.
    private static func failure(_ what: String) -> CertificateError {
        let code = ERR_get_error()
        guard code != 0 else { return CertificateError("libcrypto could not \(what)") }
        var text = [UInt8](repeating: 0, count: 256)
        let size = text.count
        text.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: size) { ERR_error_string_n(code, $0, size) }
        }
        let reason = String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        return CertificateError("libcrypto could not \(what): \(reason)")
    }
}
