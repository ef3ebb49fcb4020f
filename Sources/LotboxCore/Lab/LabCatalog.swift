/// Lab metrics lotbox records beyond OpenTHC's seeded cannabinoids: common terpenes and the
/// pass/fail safety panels a COA reports. OpenTHC publishes no ids for these here, so lotbox
/// gives them fixed ids of its own (prefix `LOTBOXLM`): every store has the same ones, so an
/// export that names them imports into any other lotbox store.
public enum LabCatalog {
    public struct Metric: Sendable {
        public let id: String
        public let name: String
        /// OpenTHC's metric type name (Terpene, Pesticide, Metal...).
        public let type: String
        public let uom: String
        /// Lower-case spellings a person may type.
        public let spellings: [String]
    }

    public static let terpenes: [Metric] = [
        terpene("MYRCENE", "beta-Myrcene", ["myrcene", "b-myrcene", "β-myrcene"]),
        terpene("LIMONENE", "Limonene", ["d-limonene"]),
        terpene("CARYOPHYLL", "beta-Caryophyllene", ["caryophyllene", "b-caryophyllene", "β-caryophyllene"]),
        terpene("APINENE", "alpha-Pinene", ["pinene", "a-pinene", "α-pinene"]),
        terpene("BPINENE", "beta-Pinene", ["b-pinene", "β-pinene"]),
        terpene("LINALOOL", "Linalool", []),
        terpene("HUMULENE", "alpha-Humulene", ["humulene", "a-humulene", "α-humulene"]),
        terpene("TERPINOLEN", "Terpinolene", []),
        terpene("OCIMENE", "Ocimene", ["beta-ocimene", "b-ocimene"]),
        terpene("BISABOLOL", "alpha-Bisabolol", ["bisabolol", "a-bisabolol"]),
        terpene("TOTAL", "Total Terpenes", ["terpenes", "total"]),
    ]

    public static let panels: [Metric] = [
        panel("PESTICIDE", "Pesticides", "Pesticide", ["pesticide"]),
        panel("METALS", "Heavy Metals", "Metal", ["metals", "metal", "heavy-metals"]),
        panel("SOLVENTS", "Residual Solvents", "Solvent", ["solvents", "solvent", "residual-solvents"]),
        panel("MICROBES", "Microbials", "Microbe", ["microbes", "microbial", "microbiological"]),
        panel("MYCOTOXIN", "Mycotoxins", "Mycotoxin", ["mycotoxin"]),
        panel("FOREIGN", "Foreign Matter", "General", ["foreign-matter", "foreign"]),
        panel("MOISTURE", "Moisture", "General", ["moisture", "water-activity"]),
    ]

    public static func terpene(named text: String) -> Metric? { find(text, in: terpenes) }
    public static func panel(named text: String) -> Metric? { find(text, in: panels) }

    private static func find(_ text: String, in list: [Metric]) -> Metric? {
        let key = text.trimmingWhitespace().lowercased().replacingSpaces()
        return list.first { $0.name.lowercased().replacingSpaces() == key || $0.spellings.contains(key) }
    }

    private static func terpene(_ suffix: String, _ name: String, _ spellings: [String]) -> Metric {
        Metric(id: padded("LOTBOXLMTERP" + suffix), name: name, type: "Terpene", uom: "pct", spellings: spellings)
    }

    private static func panel(_ suffix: String, _ name: String, _ type: String, _ spellings: [String]) -> Metric {
        Metric(id: padded("LOTBOXLMPANL" + suffix), name: name, type: type, uom: "bool", spellings: spellings)
    }

    /// 26 characters, the length of every other id in the store.
    private static func padded(_ id: String) -> String { id + String(repeating: "0", count: max(0, 26 - id.count)) }
}

private extension String {
    func replacingSpaces() -> String { split(separator: " ").joined(separator: "-") }
}
