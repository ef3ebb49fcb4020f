import ArgumentParser
import Foundation
import LotboxAPI
import LotboxStore

/// `lotbox api`: the REST API's keys and TLS certificate. The server's key pair signs nothing
/// and is never shown but its public half, which clients seal their boxes to.
struct APICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "The REST API: the server's key pair, client keys, a TLS certificate.",
                                                    subcommands: [Keygen.self, ClientKey.self, Cert.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the server's v2024 key pair (mode 0600) and print its public key.",
            discussion: "Name the file as `key` in the config's [api] table. Run it as the user the daemon runs as (lotbox).")
        @Option(help: "Where to write the key pair; an existing file is never replaced.") var out: String
        func run() throws {
            let key = try ServerKey.generate()
            try StoreFiles.writeSecret(Array(key.fileText.utf8), to: out)
            print(key.publicText)
        }
    }

    struct ClientKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client-key",
            abstract: "Make a client's key pair (for a program of your own): prints the public key, writes both (mode 0600).",
            discussion: "List the public key under [[api.clients]] for the client's service id.")
        @Option(help: "Where to write the client's key pair; an existing file is never replaced.") var out: String
        func run() throws {
            let key = try ServerKey.generate()
            try StoreFiles.writeSecret(Array(key.fileText.utf8), to: out)
            print(key.publicText)
        }
    }

    /// A self-signed certificate for the shop's network, where no public CA can vouch for a box
    /// on a private address: each client trusts this one certificate (as its CA file, or by the
    /// fingerprint printed here).
    struct Cert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a self-signed TLS certificate for the API (PATH, mode 0644) and its key (PATH.key, mode 0600); print its SHA-256 fingerprint.",
            discussion: """
                EC P-256, signed with SHA-256. Name both in [api] as tls_certificate and tls_key, and give the certificate \
                to each client as the CA it trusts (or pin the fingerprint). Run it as the user the daemon runs as (lotbox).
                """)
        @Option(help: ArgumentHelp("Where to write the certificate; the key goes to PATH.key. Neither file is ever replaced.", valueName: "PATH"))
        var out: String
        @Option(name: .customLong("host"), help: ArgumentHelp("A DNS name or IP address clients reach the API by; repeat for each (default: this machine's hostname, localhost, 127.0.0.1).", valueName: "NAME"))
        var hosts: [String] = []
        @Option(help: "Days the certificate is valid, \(SelfSignedCertificate.dayRange.lowerBound) to \(SelfSignedCertificate.dayRange.upperBound).")
        var days: Int = SelfSignedCertificate.defaultDays

        func validate() throws {
            guard SelfSignedCertificate.dayRange.contains(days) else {
                throw ValidationError("--days \(days) is out of range; expected \(SelfSignedCertificate.dayRange.lowerBound) to \(SelfSignedCertificate.dayRange.upperBound)")
            }
            for name in hosts {
                do { _ = try CertificateHost(name) } catch { throw ValidationError(error.description) }
            }
        }

        func run() throws {
            let named = hosts.isEmpty ? CertificateHost.defaults : hosts.compactMap { try? CertificateHost($0) }
            do {
                let certificate = try SelfSignedCertificate.make(hosts: named, days: days)
                try certificate.write(to: out)
                print(certificate.fingerprintText)
            } catch {
                throw CommandFailure(.cannotCreate, error.description)
            }
        }
    }
}
