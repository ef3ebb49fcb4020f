import ArgumentParser
import Foundation
import LotboxCore

/// `lotbox settings`: the store's own settings, which every command reads.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change the store's settings (the shop's time zone).",
        subcommands: [Show.self, TimeZoneSetting.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the store's settings.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let name = try store.timeZoneName()
            if options.json { return Output.json(["time_zone": name.map { $0 as Any } ?? NSNull()]) }
            print("time zone: \(name ?? "(not set: dates are UTC)")")
        }
    }

    struct TimeZoneSetting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "time-zone", abstract: "Set the shop's time zone (an IANA name, e.g. America/Los_Angeles).",
            discussion: "It wins over a config file's time_zone. A running `lotbox serve` uses it after a restart.")
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("An IANA time zone name from the system's tzdata.", valueName: "NAME")) var name: String

        func run() throws {
            let zone: ShopTimeZone
            do { zone = try ShopTimeZone(name) } catch { throw ValidationError("\(error)") }
            let store = try options.openStore(quietZone: true)
            try store.setTimeZone(zone, actor: options.actor)
            if options.json { return Output.json(["time_zone": zone.name]) }
            print("time zone: \(zone.name) (restart lotbox serve to use it)")
        }
    }
}
