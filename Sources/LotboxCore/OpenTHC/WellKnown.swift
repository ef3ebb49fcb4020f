/// OpenTHC's published well-known IDs. Several are not valid ULIDs (they contain L or U), which
/// is why the store treats IDs as opaque text and validates only the IDs it issues itself.
public enum WellKnown {
    public static let prefix = "018NY6XC00"

    public static let systemCompany = "018NY6XC00C0MPANY000000000"
    public static let unknownCompany = "018NY6XC00C0MPANY000000001"
    public static let systemContact = "018NY6XC00C0NTACT000000000"
    public static let unknownContact = "018NY6XC00C0NTACT000000001"
    public static let systemLicense = "018NY6XC00L1CENSE000000000"
    public static let unknownLicense = "018NY6XC00L1CENSE000000001"
    public static let systemProduct = "018NY6XC00PR0DUCT000000000"
    public static let unknownProduct = "018NY6XC00PR0DUCT000000001"
    public static let systemVariety = "018NY6XC00VAR1ETY000000000"
    public static let unknownVariety = "018NY6XC00VAR1ETY000000001"
    /// Where the CRE puts a lot that has no section (a split, an import without one).
    public static let defaultSection = "018NY6XC00SECT10N000000000"

    /// License types (018NY6XC00L1CENSETYPE + suffix), by the short names the CLI accepts.
    public static let licenseTypes: [(key: String, id: String, name: String)] = [
        ("system", "018NY6XC00L1CENSETYPE00000", "-system-"),
        ("orphan", "018NY6XC00L1CENSETYPE00001", "-orphan-"),
        ("grower", "018NY6XC00L1CENSETYPE00GR0", "Grower"),
        ("grower-processor", "018NY6XC00L1CENSETYPE00GXP", "Grower+Processor"),
        ("lab", "018NY6XC00L1CENSETYPE00LAB", "Lab"),
        ("retail", "018NY6XC00L1CENSETYPE00RET", "Retail"),
        ("carrier", "018NY6XC00L1CENSETYPE00CAR", "Carrier"),
        ("processor", "018NY6XC00L1CENSETYPE00PR0", "Processor"),
    ]

    /// Lab metrics a label or a sale may need (018NY6XC00 + suffix).
    public static let labMetrics: [(id: String, name: String, type: String, uom: String)] = [
        ("018NY6XC00LM49CV7QP9KM9QH9", "d9-THC", "Cannabinoid", "pct"),
        ("018NY6XC00LMB0JPRM2SF8F9F2", "d9-THCA", "Cannabinoid", "pct"),
        ("018NY6XC00LMK7KHD3HPW0Y90N", "CBD", "Cannabinoid", "pct"),
        ("018NY6XC00LMENDHEH2Y32X903", "CBDA", "Cannabinoid", "pct"),
        ("018NY6XC00LM3W3G1ERAF2QEF5", "CBN", "Cannabinoid", "pct"),
        ("018NY6XC00LMXRFMR5NJ35ZBAX", "CBG", "Cannabinoid", "pct"),
        ("018NY6XC00LM877GAKMFPK7BMC", "d8-THC", "Cannabinoid", "pct"),
        ("018NY6XC00PXG4PH0TXS014VVW", "Total THC", "Cannabinoid", "pct"),
        ("018NY6XC00DEEZ41QBXR2E3T97", "Total CBD", "Cannabinoid", "pct"),
        ("018NY6XC00V7ACCY94MHYWNWRN", "Total THC+CBD", "Cannabinoid", "pct"),
        ("018NY6XC00SAE8Q4JSMF40YSZ3", "Total Cannabinoid", "Cannabinoid", "pct"),
        ("018NY6XC00LM0PXPG4592M8J14", "Moisture", "General", "pct"),
        ("018NY6XC00LMHF4266DN94JPPX", "Water Activity", "General", "aw"),
    ]

    public static let totalTHC = "018NY6XC00PXG4PH0TXS014VVW"
    public static let totalCBD = "018NY6XC00DEEZ41QBXR2E3T97"

    /// B2C price adjustment types (010PENTHC00BIPA0 + suffix): how a sale's taxes and discounts
    /// are named in OpenTHC, by the short names the config file uses.
    public static let priceAdjustments: [(key: String, id: String, name: String)] = [
        ("discount", "010PENTHC00BIPA0N10N4S9MR3", "Discount"),
        ("subtotal", "010PENTHC00BIPA0P3WHB3S013", "SubTotal"),
        ("excise", "010PENTHC00BIPA0ET0FNBCKMH", "Excise Tax"),
        ("state", "010PENTHC00BIPA0SST03Q484J", "State Sales Tax"),
        ("county", "010PENTHC00BIPA0C0T620S2M2", "County Tax"),
        ("city", "010PENTHC00BIPA0CIT5H9S6T3", "City Tax"),
        ("municipal", "010PENTHC00BIPA0MUT0FEEGCF", "Municipal Tax"),
        ("sales", "010PENTHC00BIPA0SST0QV2GRS", "Sales Tax Total"),
    ]
}
