/// OpenTHC's Product_Type table (018NY6XC00PT + suffix): the `type` of every product.
public struct ProductType: Sendable, Hashable {
    public let id: String
    public let name: String
    /// bulk, each, or nil for the system rows and types without a mode.
    public let mode: PackageType?

    /// All 48 published types, seeded into every store.
    public static let all: [ProductType] = {
        let rows: [(String, String, PackageType?)] = [
            ("00000000000000", "-system-", nil), ("00000000000001", "-orphan-", nil),
            ("0000000000BULK", "Generic Bulk", nil), ("0000000000EACH", "Generic Packaged", nil),
            ("000000TAXSALES", "Sales Taxes", nil), ("000000TAXOTHER", "Other Taxes", nil),
            ("3EZZ4GN6105M64", "Plant/Clone/Seed", .bulk), ("RPPDT8NJY2MWQW", "Plant", .bulk),
            ("01KFPCEFB9G1Z2", "Plant Tissue", .bulk), ("Y9THKSEQ8NFS1J", "Seed", .bulk),
            ("YM8J81K9HFGEMQ", "Grade-A Raw(Wet)", .bulk), ("ZZWCH7XVREHK6T", "Flower/Dry", .bulk),
            ("AF3TFBB51C8HX6", "Grade-A Lot", .bulk), ("8ZPGMPR8H2TAXH", "Grade-B Lot", .bulk),
            ("FTRV9BDWTN71Q8", "Grade-B Net", .bulk), ("9CP8G7BMEKMSXA", "Grade-C Mixed", .bulk),
            ("63ECNBAZH32YC3", "Mixed/Lot", .bulk), ("NPA4TPCYSKD5XN", "Kief", .bulk),
            ("6QKRGR3JYQX0BK", "Hash/Bubble", .bulk), ("ACC942KY9DCERR", "Non-Solvent", .bulk),
            ("CS5AZV189X1YRK", "Wax/Hydrocarbon", .bulk), ("684JJSXN8RCC48", "Oil/BHO", .bulk),
            ("R9M5Z9S4T31C4R", "Oil/CO2", .bulk), ("684JJSXN8RAWBM", "Oil/Ethanol", .bulk),
            ("Y5XPA4KJT6W3K4", "Oil/Cooking", .bulk), ("HP9NMJ1RE6TA62", "Food Grade", .bulk),
            ("NZQPYNH74BPZ1K", "Dairy", .bulk), ("R9EWCYRWGW3CXW", "Extract/General", .bulk),
            ("XB19AQ8N8RW33A", "Processing/CBD", .bulk), ("8AXVZGNZN3A0QT", "Waste", .bulk),
            ("B2YPQA1MRNYQGC", "Waste/Harvest", .bulk), ("137RT5M0B82X4T", "Waste/Intermediate", .bulk),
            ("4N82RFPHNHV3ZQ", "Waste/End", .bulk),
            ("GMB39NHCZ8EDEZ", "Flower/Bagged", .each), ("K2E0W67FMBZP9Q", "Pre-Roll", .each),
            ("HE7GWB4QTG4JKZ", "Sample Jar", .each), ("FY48D1136W0S0J", "Sample/QA", .each),
            ("KYYGMRSKV4XNH7", "Mix/Package", .each), ("GRX4Q9SZBHDA5Z", "Mix Infused", .each),
            ("BNDY5VJ8JQ6NKP", "Edible/Solid", .each), ("7N83PFNCX8ZFEF", "Edible/Liquid", .each),
            ("D9Q4QPFBH0G9H2", "Tincture", .each), ("0WQP2XV5KNP395", "Topical", .each),
            ("25F95HPG583AJB", "Capsule", .each), ("BJ3G5FDAJN60EX", "Suppository", .each),
            ("HPB8YG56S0MCAC", "Transdermal", .each),
            ("GBW49J6YD3WM84", "Grade-B Raw(Wet)", nil), ("SF5NTC899SR0JF", "Extract/Packaged", nil),
        ]
        return rows.map { ProductType(id: "018NY6XC00PT" + $0.0, name: $0.1, mode: $0.2) }
    }()

    /// Finds a type by id or by name, ignoring case ("flower/dry", "Pre-Roll").
    public static func find(_ key: String) -> ProductType? {
        let lowered = key.lowercased()
        return all.first { $0.id.lowercased() == lowered || $0.name.lowercased() == lowered }
    }
}
