/// Which time zone a process uses, from the store's setting and the config file's `time_zone`,
/// with the warnings a person must see.
///
/// The store's setting wins: every command reads the store, and only `serve` and the station
/// commands read the config, so a label rendered by `lotbox label render --db` must show the same
/// date as the one `serve` printed. The config's zone is used while the store has none (and
/// `serve` then records it in the store); a config that disagrees with the store is warned about.
/// With neither, dates are UTC and every command says so, loudly, until a zone is set.
public struct ShopTimeZoneChoice: Sendable, Equatable {
    public let zone: ShopTimeZone
    /// One line each, for stderr or the journal; empty when the shop's zone is set and agreed on.
    public let warnings: [String]
    /// The config's zone, when the store has none and it should be recorded there.
    public let toRecord: ShopTimeZone?

    public static let howToSet = "set it with `lotbox settings time-zone NAME` (an IANA name like America/Los_Angeles)"

    /// - Parameters:
    ///   - store: the store's `time_zone`, as recorded.
    ///   - config: the config file's `time_zone`, already checked when the file was read.
    public static func resolve(store: String?, config: ShopTimeZone?, zoneinfo: String = ShopTimeZone.zoneinfo) -> ShopTimeZoneChoice {
        var warnings: [String] = []
        var stored: ShopTimeZone?
        if let store {
            do {
                stored = try ShopTimeZone(store, zoneinfo: zoneinfo)
            } catch {
                let fallback = config.map { "the config's \($0.name)" } ?? "UTC"
                warnings.append("warning: the store's \(error); dates use \(fallback) until \(howToSet)")
            }
        }
        switch (stored, config) {
        case (let stored?, let config?) where stored != config:
            warnings.append("warning: config time_zone \(config.name) differs from the store's \(stored.name); using the store's (every command reads it); change it with `lotbox settings time-zone \(config.name)` or fix the config")
            return ShopTimeZoneChoice(zone: stored, warnings: warnings, toRecord: nil)
        case (let stored?, _):
            return ShopTimeZoneChoice(zone: stored, warnings: warnings, toRecord: nil)
        case (nil, let config?):
            return ShopTimeZoneChoice(zone: config, warnings: warnings, toRecord: config)
        case (nil, nil):
            if store == nil {
                warnings.append("warning: no time zone is set: dates on labels, receipts and the age check are UTC (\(ShopTimeZone.utc.name)), not the shop's; \(howToSet)")
            }
            return ShopTimeZoneChoice(zone: .utc, warnings: warnings, toRecord: nil)
        }
    }
}
