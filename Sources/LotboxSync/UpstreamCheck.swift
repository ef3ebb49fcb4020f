import Foundation
import LotboxConfig
import LotboxStore
import NIOSSL

/// What `config check` (and `serve` before starting) verifies of `[upstream]` beyond the file:
/// the client key file, the pinned certificate, and each local license in the store.
public enum UpstreamCheck {
    public static func problems(_ upstream: UpstreamConfig, store: LotStore, file: String) -> [String] {
        var problems: [String] = []
        do { _ = try ClientKey.read(path: upstream.clientKeyFile) } catch { problems.append("config \(file) upstream.client_key_file: \(error)") }
        if let caFile = upstream.caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                if certificates.isEmpty { problems.append("config \(file) upstream.ca_file \(caFile) holds no PEM certificate") }
            } catch {
                problems.append("config \(file) upstream.ca_file \(caFile) is not a PEM certificate file: \(error)")
            }
        }
        for (index, license) in upstream.licenses.enumerated() {
            do {
                _ = try store.licenseID(named: license.local)
            } catch {
                problems.append("config \(file) upstream.licenses[\(index)] local '\(license.local)': \(error) (add it with `lotbox license add`)")
            }
        }
        return problems
    }
}
