import GRDB
import LotboxCore

extension LotStore {
    /// The newest non-void lab result covering the lot: one naming it, or the one it inherited
    /// from the lot it was split, converted or received from.
    public func latestLabResult(forLot lotID: String) throws -> LabSummary? {
        try read { db in
            guard let id = try latestLabResultID(db, lotID: lotID) else { return nil }
            return try labSummary(db, id: id, lotID: lotID)
        }
    }

    /// The id of the newest non-void result covering a lot, for a lot made from it to inherit.
    func latestLabResultID(_ db: Database, lotID: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT lab_result.id FROM lab_result
            WHERE lab_result.stat NOT IN (410, 423) AND (
              lab_result.id IN (SELECT lab_result_id FROM lab_result_inventory WHERE inventory_id = ?)
              OR lab_result.id = (SELECT lab_result_id FROM inventory WHERE id = ?))
            ORDER BY coalesce(lab_result.approved_at, lab_result.created_at) DESC, lab_result.id DESC LIMIT 1
            """), arguments: [lotID, lotID])
    }

    func labSummary(_ db: Database, id: String, lotID: String) throws -> LabSummary? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT lab_result.id, coalesce(lab_result.approved_at, lab_result.created_at) AS date, lab_result.stat,
                   lab_result.certificate, json_extract(lab_result.meta, '$.sampled_on') AS sampled_on,
                   CASE WHEN license.id LIKE '018NY6XC00%' THEN NULL ELSE license.name END AS lab_name,
                   NOT EXISTS (SELECT 1 FROM lab_result_inventory WHERE lab_result_id = lab_result.id AND inventory_id = ?) AS inherited
            FROM lab_result LEFT JOIN license ON license.id = lab_result.license_id
            WHERE lab_result.id = ?
            """), arguments: [lotID, id]) else { return nil }
        var measures: [String: LabMeasure] = [:]
        var panels: [LabPanelResult] = []
        for metric in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT m.lab_metric_id, m.qom, m.uom, m.status, lab_metric.name FROM lab_result_metric m
              LEFT JOIN lab_metric ON lab_metric.id = m.lab_metric_id WHERE m.lab_result_id = ? ORDER BY m.id
            """), arguments: [id]) {
            let metricID: String = metric["lab_metric_id"]
            let status: String? = metric["status"]
            if let panel = LabCatalog.panels.first(where: { $0.id == metricID }), status == "pass" || status == "fail" {
                panels.append(LabPanelResult(name: panel.name, passed: status == "pass"))
                continue
            }
            let unit = (metric["uom"] as String?).flatMap(LabMeasure.Unit.init(code:))
            if status == "nd" {
                measures[metricID] = .notDetected(unit)
            } else if let qom = metric["qom"] as Int64? {
                measures[metricID] = LabMeasure(value: Fixed4(units: qom), unit: unit)
            }
        }
        func total(_ totalID: String, neutral: String, acid: String) -> LabMeasure? {
            if let reported = measures[totalID] { return reported }
            // A result from elsewhere may carry only the parts: the total follows from them.
            return try? LabMeasure.total(neutral: measures[neutral], acid: measures[acid])
        }
        return LabSummary(id: row["id"], date: row["date"], sampledOn: row["sampled_on"], labName: row["lab_name"],
                          stat: row["stat"],
                          thc: total(WellKnown.totalTHC, neutral: LabMetricID.thc, acid: LabMetricID.thca),
                          cbd: total(WellKnown.totalCBD, neutral: LabMetricID.cbd, acid: LabMetricID.cbda),
                          coaURL: row["certificate"], panels: panels, inherited: row["inherited"])
    }
}

/// OpenTHC's ids of the cannabinoids a total is made from.
enum LabMetricID {
    static let thc = "018NY6XC00LM49CV7QP9KM9QH9"
    static let thca = "018NY6XC00LMB0JPRM2SF8F9F2"
    static let cbd = "018NY6XC00LMK7KHD3HPW0Y90N"
    static let cbda = "018NY6XC00LMENDHEH2Y32X903"
}
