import LotboxCore

/// Product_Type ids arrive in three spellings: OpenTHC's `018NY6XC00PT<suffix>` (lotbox's),
/// the reference server's own seeds `010PENTHC0PT<suffix>`, and `019KAGVSC0…` ids of an older
/// seed of that server. All name the same 48 types; lotbox keeps the first.
extension ProductType {
    static let openTHCPrefix = "018NY6XC00PT"
    static let crePrefix = "010PENTHC0PT"
    /// Plant Tissue is `2BKFPCEFB9G1Z2` in the reference server and OpenTHC's common library,
    /// `01KFPCEFB9G1Z2` in the published table.
    static let plantTissueElsewhere = "2BKFPCEFB9G1Z2"
    static let plantTissue = "01KFPCEFB9G1Z2"

    /// The older seed's ids (the whole id) and the suffix of the type each is.
    static let legacySuffixes: [String: String] = [
        "019KAGVSC0C474J20SEWDM5XSJ": "Y9THKSEQ8NFS1J", "019KAGVSC0J008XMJ25DCBK17P": "3EZZ4GN6105M64",
        "019KAGVSC0KANK9BMYFS5BDFCB": "RPPDT8NJY2MWQW", "019KAGVSC0AT9P3779ATHDK6MC": "01KFPCEFB9G1Z2",
        "019KAGVSC01MVH9QAZ75KEPY4D": "YM8J81K9HFGEMQ", "019KAGVSC05QXA1BCA13PNAK5J": "GBW49J6YD3WM84",
        "019KAGVSC0CYZQ68Q2184AE10A": "AF3TFBB51C8HX6", "019KAGVSC0W8ESY93TK05TPFKN": "8ZPGMPR8H2TAXH",
        "019KAGVSC0Q16ECBP02ET3RRMT": "63ECNBAZH32YC3", "019KAGVSC06Y7WBPCY2XNHP2FE": "R9M5Z9S4T31C4R",
        "019KAGVSC0K109NHQ92CCKEJW5": "ACC942KY9DCERR", "019KAGVSC0VX8100VFN3YXKBYH": "NPA4TPCYSKD5XN",
        "019KAGVSC0WMF1XY879SECK50W": "GMB39NHCZ8EDEZ", "019KAGVSC03MRD8MDZJXGM5MXF": "7N83PFNCX8ZFEF",
        "019KAGVSC0QXVE5AC12DCNM6RS": "BNDY5VJ8JQ6NKP", "019KAGVSC0ZHAEQCFNYMXDXWKV": "25F95HPG583AJB",
        "019KAGVSC062S4TRBT5FBJW98V": "D9Q4QPFBH0G9H2", "019KAGVSC0EFWWVV8DE89JVNTY": "HPB8YG56S0MCAC",
        "019KAGVSC02549AK0RQWFAMNVB": "BJ3G5FDAJN60EX",
    ]

    /// `id` in lotbox's spelling (`018NY6XC00PT<suffix>`), whichever of the three it came in
    /// (any case); anything else (a name, an unknown id) comes back as it was given.
    public static func canonicalID(_ id: String) -> String {
        let upper = id.trimmingWhitespace().uppercased()
        if let suffix = legacySuffixes[upper] { return openTHCPrefix + suffix }
        for prefix in [crePrefix, openTHCPrefix] where upper.hasPrefix(prefix) {
            let suffix = String(upper.dropFirst(prefix.count))
            return openTHCPrefix + (suffix == plantTissueElsewhere ? plantTissue : suffix)
        }
        return id
    }

    /// A type by id in any of the three spellings, or by name, ignoring case.
    public static func find(anySpelling key: String) -> ProductType? {
        find(canonicalID(key))
    }
}
