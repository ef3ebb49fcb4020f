import ArgumentParser
import Foundation
import LotboxStore
import LotboxSync

/// `lotbox upstream`: the box's key towards its upstream and the outbox that drains to it.
struct UpstreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upstream", abstract: "The upstream OpenTHC API the outbox syncs to: this box's key, the outbox's state.",
        subcommands: [Keygen.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make this box's v2024 client key pair (mode 0600) and print its public key.",
            discussion: "Name the file as client_key_file in [upstream]; list the public key on the upstream under the box's service id. Run it as the user the daemon runs as (lotbox).")
        @Option(help: "Where to write the key pair; an existing file is never replaced.") var out: String
        func run() throws {
            do {
                let key = try ClientKey.create(at: out)
                print(key.publicText)
            } catch {
                throw CommandFailure(.cannotCreate, "\(error)")
            }
        }
    }
}
