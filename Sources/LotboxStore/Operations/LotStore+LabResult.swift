import GRDB
import LotboxCore

/// What a label says about a lot's potency: the latest lab result that covers it.
public struct LabSummary: Sendable, Equatable {
    public var id: String
    /// When it was approved, else made: RFC 3339.
    public var date: String
    /// The lab: the name of the license the result belongs to.
    public var labName: String?
    public var stat: Int
    /// Total THC and Total CBD, exact, with their units ("pct", "mg/g").
    public var thc: (value: Fixed4, uom: String)?
    public var cbd: (value: Fixed4, uom: String)?

    public static func == (lhs: LabSummary, rhs: LabSummary) -> Bool {
        lhs.id == rhs.id && lhs.date == rhs.date && lhs.labName == rhs.labName && lhs.stat == rhs.stat
            && lhs.thc?.value == rhs.thc?.value && lhs.thc?.uom == rhs.thc?.uom
            && lhs.cbd?.value == rhs.cbd?.value && lhs.cbd?.uom == rhs.cbd?.uom
    }
}

extension LotStore {
    /// The newest non-void lab result linked to the lot (directly or through the lots it covers).
    public func latestLabResult(forLot lotID: String) throws -> LabSummary? {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT lab_result.id, coalesce(lab_result.approved_at, lab_result.created_at) AS date, lab_result.stat,
                       license.name AS lab_name
                FROM lab_result LEFT JOIN license ON license.id = lab_result.license_id
                WHERE lab_result.stat <> 410 AND (
                  lab_result.id IN (SELECT lab_result_id FROM lab_result_inventory WHERE inventory_id = ?)
                  OR lab_result.id = (SELECT lab_result_id FROM inventory WHERE id = ?))
                ORDER BY date DESC, lab_result.id DESC LIMIT 1
                """), arguments: [lotID, lotID]) else { return nil }
            let id: String = row["id"]
            func metric(_ metricID: String) throws -> (Fixed4, String)? {
                guard let metric = try Row.fetchOne(db.cachedStatement(sql: "SELECT qom, uom FROM lab_result_metric WHERE lab_result_id = ? AND lab_metric_id = ?"),
                                                    arguments: [id, metricID]),
                      let qom = metric["qom"] as Int64? else { return nil }
                return (Fixed4(units: qom), metric["uom"] as String? ?? "pct")
            }
            return LabSummary(id: id, date: row["date"], labName: row["lab_name"], stat: row["stat"],
                              thc: try metric(WellKnown.totalTHC), cbd: try metric(WellKnown.totalCBD))
        }
    }
}
