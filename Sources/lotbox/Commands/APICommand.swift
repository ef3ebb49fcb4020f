import ArgumentParser
import Foundation
import LotboxAPI
import LotboxStore

/// `lotbox api`: the REST API's keys. The server's key pair signs nothing and is never shown
/// but its public half, which clients seal their boxes to.
struct APICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "The REST API: the server's key pair, client keys.",
                                                    subcommands: [Keygen.self, ClientKey.self])

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
}
