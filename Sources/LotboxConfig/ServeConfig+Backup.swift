import Foundation
import LotboxScanning
import LotboxStore

/// `[backup]`: where `lotbox backup` (run with no file, as the nightly timer does) keeps its
/// verified copies, and how many.
///
/// ```toml
/// [backup]
/// folder = "/var/backups/lotbox"   # other media than the store's is best: a dying SD card takes both
/// keep = 14                        # the newest good copies kept, 1 to 365
/// ```
public struct BackupConfig: Sendable, Equatable {
    public static let defaultFolder = "/var/backups/lotbox"
    public static let defaultKeep = 14
    public static let keepRange = 1...365
    public static let standard = BackupConfig(folder: defaultFolder, keep: defaultKeep)

    public var folder: String
    public var keep: Int

    public init(folder: String, keep: Int) {
        self.folder = folder
        self.keep = keep
    }
}

extension ServeConfig {
    static func backup(_ file: File.Backup, file path: String) throws(ConfigError) -> BackupConfig {
        let folder = file.folder ?? BackupConfig.defaultFolder
        guard folder.hasPrefix("/"), folder.count > 1 else {
            throw ConfigError(file: path, reason: "backup.folder '\(folder)' is not an absolute folder path (e.g. \(BackupConfig.defaultFolder))")
        }
        let keep = file.keep ?? BackupConfig.defaultKeep
        guard BackupConfig.keepRange.contains(keep) else {
            throw ConfigError(file: path, reason: "backup.keep \(keep) is not between \(BackupConfig.keepRange.lowerBound) and \(BackupConfig.keepRange.upperBound)")
        }
        return BackupConfig(folder: folder, keep: keep)
    }

    /// The secrets a restored box needs that the store does not hold, each with the name its copy
    /// takes beside a backup: the API's server key and TLS key (and certificate), the licence-HMAC
    /// secret beside the store, and the upstream's client key.
    public var backupKeyFiles: [BackupKeyFile] {
        var files = Self.storeKeyFiles(store: store)
        if let api {
            files.append(BackupKeyFile(name: "api-server.key", path: api.keyFile))
            if let certificate = api.tlsCertificate, let key = api.tlsKey {
                files.append(BackupKeyFile(name: "api-tls.crt", path: certificate))
                files.append(BackupKeyFile(name: "api-tls.key", path: key))
            }
            if let token = api.metricsTokenFile { files.append(BackupKeyFile(name: "metrics.token", path: token)) }
        }
        files += upstreamKeyFiles
        return files
    }

    /// The upstream client key (`[upstream]`) and the CA it pins: a box restored from a backup
    /// syncs again as itself.
    var upstreamKeyFiles: [BackupKeyFile] {
        guard let upstream else { return [] }
        return [BackupKeyFile(name: "upstream.key", path: upstream.clientKeyFile)]
            + (upstream.caFile.map { [BackupKeyFile(name: "upstream-ca.pem", path: $0)] } ?? [])
    }

    /// The key files that live beside a store whatever the configuration: the licence-HMAC secret
    /// (`<store>.customer-key`), when the store has one.
    public static func storeKeyFiles(store: String) -> [BackupKeyFile] {
        let customerKey = CustomerKey.path(forStore: store)
        return FileManager.default.fileExists(atPath: customerKey) ? [BackupKeyFile(name: "customer.key", path: customerKey)] : []
    }
}
