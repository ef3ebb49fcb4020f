import LotboxCore
import LotboxStore

/// One entry of a Lab_Result's `metric_list`, read into the CLI's certificate fields: the
/// cannabinoids and totals lotbox records, its terpenes and its pass/fail panels, named by
/// metric id (`lab_metric_id` or `lab_metric: {id}`) or by name. Anything else is a 400 naming
/// the entry: lotbox does not keep what it cannot show.
enum LabMetricInput {
    static var cannabinoids: [(id: String, name: String, field: WritableKeyPath<NewLabResult, String?>)] {
        [
        ("018NY6XC00LM49CV7QP9KM9QH9", "d9-THC", \.thc),
        ("018NY6XC00LMB0JPRM2SF8F9F2", "d9-THCA", \.thca),
        ("018NY6XC00LMK7KHD3HPW0Y90N", "CBD", \.cbd),
        ("018NY6XC00LMENDHEH2Y32X903", "CBDA", \.cbda),
        (WellKnown.totalTHC, "Total THC", \.totalTHC),
        (WellKnown.totalCBD, "Total CBD", \.totalCBD),
        ]
    }

    static func add(_ entry: BodyValue, at path: String, to new: inout NewLabResult) throws {
        let id = try Fields.optionalID(entry, "lab_metric_id", "lab_metric", "id")
        let name = try Fields.optionalText(entry, ["name"])
        guard id != nil || name != nil else { throw APIError.field("\(path).lab_metric_id", "a lab metric id from GET /lab/metric, or 'name'") }
        func matches(_ metricID: String, _ metricName: String, _ spellings: [String] = []) -> Bool {
            if let id { return id == metricID }
            let key = name?.lowercased() ?? ""
            return key == metricName.lowercased() || spellings.contains(key)
        }
        let status = try Fields.optionalText(entry, ["status"])?.lowercased()
        if let panel = LabCatalog.panels.first(where: { matches($0.id, $0.name, $0.spellings) }) {
            guard status == "pass" || status == "fail" else {
                throw APIError.field("\(path).status", "pass or fail for the \(panel.name) panel", got: entry["status"])
            }
            new.panels.append((name: panel.name, passed: status == "pass"))
            return
        }
        let value = try measure(entry, status: status, at: path)
        if let cannabinoid = cannabinoids.first(where: { matches($0.id, $0.name) }) {
            guard new[keyPath: cannabinoid.field] == nil else { throw APIError.badRequest("'\(path)': \(cannabinoid.name) is given twice") }
            new[keyPath: cannabinoid.field] = value
        } else if let terpene = LabCatalog.terpenes.first(where: { matches($0.id, $0.name, $0.spellings) }) {
            new.terpenes.append((name: terpene.name, value: value))
        } else {
            let known = cannabinoids.map(\.name) + LabCatalog.terpenes.map(\.name) + LabCatalog.panels.map(\.name)
            throw APIError.badRequest("'\(path)': metric \(id ?? name ?? "") is not one lotbox records; expected one of \(known.joined(separator: ", "))")
        }
    }

    /// `qom` + `uom` as the text a COA prints ("24.1%", "241 mg/g"), or "ND".
    static func measure(_ entry: BodyValue, status: String?, at path: String) throws -> String {
        if status == "nd" { return "ND" }
        if let status, status != "ok", status != "pass" {
            throw APIError.field("\(path).status", "nd for not detected, or leave it out with a qom", got: entry["status"])
        }
        guard let qom = try Fields.optionalQuantity(entry, "qom") ?? Fields.optionalQuantity(entry, "value") else {
            throw APIError.field("\(path).qom", "a number such as 24.1, or status nd")
        }
        let uomText = try Fields.optionalText(entry, ["uom"]) ?? "pct"
        guard let unit = LabMeasure.Unit(code: uomText) else {
            throw APIError.field("\(path).uom", "pct, mgg (mg/g) or mgp (mg per unit)", got: entry["uom"])
        }
        let text = qom + unit.symbol
        do { _ = try LabMeasure(parsing: text) } catch { throw APIError.badRequest("'\(path).qom': \(error.description)") }
        return text
    }
}
