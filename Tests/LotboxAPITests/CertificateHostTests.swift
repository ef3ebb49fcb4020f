import Glibc
import LotboxAPI
import LotboxTestSupport
import Testing

/// What `lotbox api cert --host` takes: a DNS name or an IP address, nothing that could add a name to the
/// certificate's subjectAltName through libcrypto's extension syntax.
@Suite(.timeLimit(.minutes(5))) struct CertificateHostTests {
    @Test(arguments: [("shop-box.lan", CertificateHost.Kind.dns, "shop-box.lan"), ("Shop-Box.LAN", .dns, "shop-box.lan"),
                      ("localhost", .dns, "localhost"), ("192.168.1.20", .ip, "192.168.1.20"), ("::1", .ip, "::1"),
                      ("fe80::1", .ip, "fe80::1"), (String(repeating: "a", count: 63) + ".lan", .dns, String(repeating: "a", count: 63) + ".lan")])
    func takes(_ text: String, _ kind: CertificateHost.Kind, _ stored: String) throws {
        let host = try CertificateHost(text)
        #expect(host.kind == kind && host.text == stored, "\(text): \(host.kind) \(host.text)")
    }

    @Test(arguments: ["", "box.lan,DNS:bank.example", "IP:10.0.0.1", "-box.lan", "box-.lan", "box..lan", "box.lan.", "*.box.lan",
                      "box lan", "bücher.lan", String(repeating: "a", count: 64) + ".lan", "256.1.1.1.", "10.0.0.1/24"])
    func refuses(_ text: String) {
        do {
            let host = try CertificateHost(text)
            Issue.record("'\(text)' was taken as \(host.kind) \(host.text)")
        } catch {
            #expect(error.description.hasPrefix("--host '\(text)' is not a DNS name or an IP address") && !error.description.contains("\n"), "\(error)")
        }
    }

    /// Without --host: this machine's hostname (when it is not localhost), localhost and 127.0.0.1, each once.
    @Test func theDefaultsAreTheHostnameLocalhostAndLoopback() {
        var buffer = [CChar](repeating: 0, count: 256)
        let size = buffer.count - 1
        #expect(gethostname(&buffer, size) == 0)
        let own = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
        let expected = own == "localhost" ? ["localhost", "127.0.0.1"] : [own, "localhost", "127.0.0.1"]
        #expect(CertificateHost.defaults.map(\.text) == expected)
    }
}
