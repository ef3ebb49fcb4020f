import LotboxCore

extension ServeConfig {
    /// A kiosk's `taxes = [...]`, checked: each names an OpenTHC tax type, an exact rate, and
    /// optionally `per` (sale or line), `rounding`, `base`, `product_types` and `medical_exempt`.
    static func taxes(_ list: [File.Station.Tax], where place: String, file: String) throws(ConfigError) -> [Tax] {
        var taxes: [Tax] = []
        for (index, tax) in list.enumerated() {
            let here = "\(place) taxes[\(index)]"
            let kinds = WellKnown.priceAdjustments.filter { $0.key != "discount" && $0.key != "subtotal" }
            guard let known = kinds.first(where: { $0.key == tax.type.lowercased() || $0.id == tax.type.uppercased() }) else {
                throw ConfigError(file: file, reason: "\(here) type '\(tax.type)' is not one of \(kinds.map(\.key).joined(separator: ", "))")
            }
            let rate: TaxRate
            do {
                rate = try TaxRate(parsing: tax.rate)
            } catch {
                throw ConfigError(file: file, reason: "\(here) \(error)")
            }
            let scope = try choice(tax.per, default: Tax.Scope.sale, key: "per", here: here, file: file)
            let rounding = try choice(tax.rounding, default: TaxRounding.halfUp, key: "rounding", here: here, file: file)
            let base = try choice(tax.base, default: Tax.Base.price, key: "base", here: here, file: file)
            var types: Set<String> = []
            for name in tax.productTypes ?? [] {
                guard let type = ProductType.find(name) else {
                    throw ConfigError(file: file, reason: "\(here) product_types names '\(name)', which is not a product type (see `lotbox product types`)")
                }
                types.insert(type.id)
            }
            if tax.productTypes?.isEmpty == true {
                throw ConfigError(file: file, reason: "\(here) product_types is empty; leave it out to tax every product")
            }
            taxes.append(Tax(type: known.id, name: tax.name ?? known.name, rate: rate, scope: scope, rounding: rounding,
                             base: base, productTypes: types, medicalExempt: tax.medicalExempt ?? false))
        }
        return taxes
    }

    /// One of an enumeration's spellings, or its default when the key is left out.
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String?, default value: T, key: String, here: String,
                                                           file: String) throws(ConfigError) -> T where T.RawValue == String {
        guard let text else { return value }
        guard let chosen = T(rawValue: text.lowercased()) else {
            throw ConfigError(file: file, reason: "\(here) \(key) '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return chosen
    }
}
