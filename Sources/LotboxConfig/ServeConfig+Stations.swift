import Foundation
import LotboxCore
import LotboxPrintService
import LotboxScanning
import LotboxStations
import LotboxStore

extension ServeConfig {
    /// One `[[stations]]` table, checked: kind, ages, the purchase limit, taxes, the receipt printer.
    static func station(_ station: File.Station, index: Int, file: String, printers: [PrinterConfig]) throws(ConfigError) -> StationConfig {
        let where_ = "stations[\(index)] '\(station.name)'"
        guard let kind = StationConfig.Kind(rawValue: station.kind) else {
            throw ConfigError(file: file, reason: "\(where_) kind '\(station.kind)' is not dock or kiosk")
        }
        // A kiosk sells to the public: whether it checks age is decided in the file, never by a default.
        if kind == .kiosk && station.ageCheck == nil {
            throw ConfigError(file: file, reason: "\(where_) age_check is not set; a kiosk must say age_check = true or age_check = false")
        }
        let minimumAge = station.minimumAge ?? 21
        guard (1...120).contains(minimumAge) else {
            throw ConfigError(file: file, reason: "\(where_) minimum_age \(minimumAge) is not between 1 and 120")
        }
        var limit: PurchaseLimit?
        func grams(_ text: String, _ key: String) throws(ConfigError) -> Int64 {
            guard let quantity = try? Quantity(parsing: text), quantity.dimension == .mass, quantity.amount.units > 0 else {
                throw ConfigError(file: file, reason: "\(where_) \(key) '\(text)' is not a weight, e.g. \"28.5 g\" or \"1 oz\"")
            }
            return quantity.amount.units
        }
        if station.medicalPurchaseLimit != nil && station.purchaseLimit == nil {
            throw ConfigError(file: file, reason: "\(where_) medical_purchase_limit needs purchase_limit (the adult-use limit) as well")
        }
        if let text = station.purchaseLimit {
            let adultUse = try grams(text, "purchase_limit")
            var medical: Int64?
            if let text = station.medicalPurchaseLimit { medical = try grams(text, "medical_purchase_limit") }
            var equivalency: [String: Int64] = [:]
            for (type, factor) in station.equivalency ?? [:] {
                guard let productType = ProductType.find(type) else {
                    throw ConfigError(file: file, reason: "\(where_) equivalency names product type '\(type)', which is unknown (see `lotbox product types`)")
                }
                guard let value = try? Fixed4(parsing: factor), value.units >= 0 else {
                    throw ConfigError(file: file, reason: "\(where_) equivalency '\(type)' factor '\(factor)' is not a number, e.g. \"3.5\"")
                }
                equivalency[productType.id] = value.units
            }
            limit = PurchaseLimit(grams: adultUse, medicalGrams: medical, equivalency: equivalency)
        }
        let taxes = try Self.taxes(station.taxes ?? [], where: where_, file: file)
        var saleType = SaleType.adultUse
        if let text = station.saleType {
            guard let chosen = SaleType(rawValue: text.lowercased()) else {
                throw ConfigError(file: file, reason: "\(where_) sale_type '\(text)' is not adult-use or medical")
            }
            saleType = chosen
        }
        let replayWithin = station.replayWithin ?? 0
        guard (0...3600).contains(replayWithin) else {
            throw ConfigError(file: file, reason: "\(where_) replay_within \(replayWithin) is not a number of seconds between 0 and 3600")
        }
        var receipt: LabelRoute?
        if let printer = station.receiptPrinter {
            guard printers.contains(where: { $0.name == printer }) else {
                throw ConfigError(file: file, reason: "\(where_) receipt_printer '\(printer)' is not one of the [[printers]]")
            }
            receipt = LabelRoute(printer: printer, template: station.receiptTemplate ?? "receipt")
        }
        return StationConfig(name: station.name, kind: kind, license: station.license, section: station.section, employee: station.employee,
                             ageCheck: station.ageCheck ?? false, minimumAge: minimumAge, purchaseLimit: limit, taxes: taxes,
                             saleType: saleType, pricesIncludeTax: station.priceIncludesTax ?? false, receipt: receipt,
                             replayWithin: replayWithin)
    }
}
