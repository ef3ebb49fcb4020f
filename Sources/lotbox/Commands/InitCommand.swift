import ArgumentParser
import Foundation
import LotboxScanning

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a lot store (safe to run again).")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let path = try options.storePath()
        let existed = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0) > 0
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            throw CommandFailure(.cannotCreate, "folder \(folder) for the store does not exist; create it or pick another path")
        }
        let store = try options.openStore(create: true)
        // The secret for stations that opt in to recognising returning customers (0600, beside the store).
        try CustomerKey.make(forStore: store.path)
        let status = try store.status()
        if options.json {
            Output.json(["path": store.path, "created": !existed, "schema": status.schema])
        } else {
            print(existed ? "store already at \(store.path) (schema \(status.schema.joined(separator: ", ")))" : "created store at \(store.path)")
        }
    }
}
