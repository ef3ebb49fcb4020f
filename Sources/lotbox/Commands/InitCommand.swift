import ArgumentParser
import Foundation
import LotboxCore
import LotboxScanning

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a lot store (safe to run again).",
        discussion: "--time-zone records the shop's time zone (an IANA name); on an existing store it changes it.")
    @OptionGroup var options: StoreOptions
    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The shop's time zone, e.g. America/Los_Angeles: the dates labels, receipts and the age check use.", valueName: "NAME"))
    var timeZone: String?

    func run() throws {
        // Checked before anything is made: a bad name leaves no store behind.
        let zone = try timeZone.map { name in
            do { return try ShopTimeZone(name) } catch { throw ValidationError("--time-zone: \(error)") }
        }
        let path = try options.storePath()
        let existed = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0) > 0
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            throw CommandFailure(.cannotCreate, "folder \(folder) for the store does not exist; create it or pick another path")
        }
        let store = try options.openStore(create: true, quietZone: true)
        // The secret for stations that opt in to recognising returning customers (0600, beside the store).
        try CustomerKey.make(forStore: store.path)
        if let zone { try store.setTimeZone(zone, actor: options.actor) }
        let shown = options.timeZone(store)
        let status = try store.status()
        if options.json {
            Output.json(["path": store.path, "created": !existed, "schema": status.schema,
                         "time_zone": (try store.timeZoneName()).map { $0 as Any } ?? NSNull(), "time_zone_used": shown.name])
        } else {
            print(existed ? "store already at \(store.path) (schema \(status.schema.joined(separator: ", ")))" : "created store at \(store.path)")
            if let name = try store.timeZoneName() { print("time zone: \(name)") }
        }
    }
}
