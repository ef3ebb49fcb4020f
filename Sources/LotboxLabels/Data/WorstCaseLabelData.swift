/// The data a shop's labels will meet sooner or later, for `template check` and the preflight a
/// printer runs at start: a template that passes the sample alone can still refuse every lot of
/// a license with a long name. Each case is a variant of the sample with a name that says what
/// it tries.
public enum WorstCaseLabelData {
    /// The longest name the store takes (LotStore.maximumNameLength; the label engine does not
    /// import the store, so its callers pass it and a test holds the two equal).
    public static let storeNameLength = 200

    /// A name of `length` characters, in words as a shop would type it.
    static func longName(_ length: Int) -> String {
        String(String(repeating: "Northern Lights Extra Long Name Cannabis Collective of Oregon ", count: length / 60 + 1)
            .prefix(length)).trimmingCharacters(in: .whitespaces).padding(toLength: length, withPad: "x", startingAt: 0)
    }
    /// A 13-digit quantity: what a bulk lot of a big grow can read.
    static let longQuantity = "1234567890123.5 g"

    /// (what the case tries, its data), the sample first.
    /// - Parameter nameLength: the longest name to try: the store's limit.
    public static func cases(for shape: DataShape, nameLength: Int = storeNameLength) -> [(name: String, data: LabelValue)] {
        switch shape {
        case .none: return [("no data", .object([:]))]
        case .lot: return lotCases(longName(nameLength))
        case .sale: return saleCases(longName(nameLength))
        }
    }

    static func lotCases(_ longName: String) -> [(name: String, data: LabelValue)] {
        let sample = SampleLabelData.lot
        guard case .object(var long) = sample else { return [("sample", sample)] }
        long["name"] = .text(longName)
        long["qty"] = .text(longQuantity)
        long["qty_initial"] = .text(longQuantity)
        long["net_weight"] = .text(longQuantity)
        long["product"] = sample.value(at: "product").map { $0.merging(["name": .text(longName), "package": .text(longName)]) }
        long["variety"] = sample.value(at: "variety").map { $0.merging(["name": .text(longName), "type": .text("Indica-dominant hybrid")]) }
        long["section"] = sample.value(at: "section").map { $0.merging(["name": .text(longName)]) }
        long["license"] = sample.value(at: "license").map { $0.merging(["name": .text(longName), "code": .text("LIC-0123456789-ABCDEF")]) }
        long["lab"] = sample.value(at: "lab").map {
            $0.merging(["name": .text(longName), "thc": .text("100.0000%"), "cbd": .text("100.0000%"),
                        "total_thc": .text("100.0000%"), "total_cbd": .text("100.0000%"),
                        "coa_url": .text("https://reports.northern-lights-analytical-laboratories.example/coa/2026/11/NLAL-0123456789-ABCDEF")])
        }
        // The same 13-digit quantity in every unit a template can ask for.
        long["qty_in"] = .object(["g": .text(longQuantity), "mg": .text("1234567890123500 mg"), "kg": .text("1234567890.1235 kg"),
                                  "lb": .text("2721744161.7843 lb"), "oz": .text("43547906588.5494 oz")])
        long["metrc"] = .text("1A4FF0100000022000000123")
        long["biotrack"] = .text("1234567890123456")
        long["origin_id"] = .text("1A4FF0100000022000000999")
        // Every optional field absent: no name, no lab (so `untested`), no tags, no price, no code.
        var bare: [String: LabelValue] = [:]
        if case .object(let fields) = sample {
            bare = fields.filter { !["name", "lab", "metrc", "biotrack", "origin_id"].contains($0.key) }
        }
        bare["untested"] = .flag(true)
        bare["product"] = sample.value(at: "product").map { $0.merging(["unit": .null, "price": .null]) }
        bare["license"] = sample.value(at: "license").map { $0.merging(["code": .null]) }
        bare["variety"] = sample.value(at: "variety").map { $0.merging(["name": .null, "type": .null]) }
        bare["section"] = sample.value(at: "section").map { $0.merging(["name": .null]) }
        return [("sample", sample), ("\(longName.count)-character names, 13-digit quantity, every field", .object(long)), ("every optional field absent", .object(bare))]
    }

    static func saleCases(_ longName: String) -> [(name: String, data: LabelValue)] {
        let sample = SampleLabelData.sale
        let line: LabelValue = .object([
            "qty": .text("1234567890123 ea"), "product": .text(longName), "lot": .text("01M80GN4FPK1GTC9FJS9JNVGKP"),
            "short_lot": .text("S9JNVGKP"), "unit_price": .text("$12,345.67"), "amount": .text("$123,456.78"),
        ])
        let long = sample.merging([
            "license": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT6"), "name": .text(longName), "code": .text("LIC-0123456789-ABCDEF")]),
            "employee": .text(longName), "station": .text(longName),
            "lines": .list([line, line]),
            "subtotal": .text("$246,913.56"), "total": .text("$296,296.27"),
            "tender": .object(["kind": .text(String(longName.prefix(40))), "given": .text("$296,296.27"), "change": .text("$0.00"),
                               "line": .text(String(longName.prefix(40)) + " $296,296.27")]),
        ])
        let bare = sample.merging(["employee": .null, "station": .null, "taxes": .list([]), "tender": .null,
                                   "license": .object(["id": .text("01M80GN4FDY4BC9KQGFADPYGT6"), "name": .text("Shop"), "code": .null])])
        return [("sample", sample), ("\(longName.count)-character names and amounts", long), ("every optional field absent", bare)]
    }
}
