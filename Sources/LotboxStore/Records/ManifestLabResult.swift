import Foundation
import LotboxCore

/// A lab result as a B2B manifest carries it with a package (OpenTHC `lab_result` on an item):
/// either only the id of a result already in the store, or the whole result.
public struct ManifestLabResult: Sendable, Equatable {
    public struct Metric: Sendable, Equatable {
        public var metricID: String
        public var metricName: String?
        /// Ten-thousandths, as stored.
        public var qom: Int64?
        public var uom: String?
        public var status: String?
    }

    public var id: String
    /// The lab's license (id, name, code), when the manifest names it.
    public var labID: String?
    public var labName: String?
    public var labCode: String?
    public var certificate: String?
    public var sampledOn: String?
    /// Empty when the manifest gives only the id.
    public var metrics: [Metric]

    /// Reads `lab_result` of a manifest item: `"ID"` or `{"id": ..., "metric_list": [...]}`.
    /// `place` names the item in error messages.
    public static func parse(_ value: Any?, place: String) throws -> ManifestLabResult? {
        guard let value, !(value is NSNull) else { return nil }
        if let id = value as? String {
            guard !id.trimmingWhitespace().isEmpty else { throw StoreError.invalid("\(place) lab_result is empty; expected a lab result id or object") }
            return ManifestLabResult(id: id.trimmingWhitespace(), metrics: [])
        }
        guard let object = value as? [String: Any] else {
            throw StoreError.invalid("\(place) lab_result is neither an id nor an object; expected {\"id\": ..., \"metric_list\": [...]}")
        }
        guard let id = (object["id"] as? String)?.trimmingWhitespace(), !id.isEmpty else {
            throw StoreError.invalid("\(place) lab_result has no id")
        }
        let license = (object["license"] ?? object["lab"]) as? [String: Any]
        var result = ManifestLabResult(id: id, labID: license?["id"] as? String, labName: license?["name"] as? String,
                                       labCode: license?["code"] as? String,
                                       certificate: (object["certificate"] ?? object["coa"] ?? object["coa_url"]) as? String,
                                       sampledOn: (object["sampled_on"] ?? object["sample_date"]) as? String, metrics: [])
        if let link = result.certificate { try LotStore.checkCOALink(link) }
        if let date = result.sampledOn, CalendarDate(iso: date) == nil {
            throw StoreError.invalid("\(place) lab_result sampled_on '\(date)' is not a date; expected YYYY-MM-DD")
        }
        let list = (object["metric_list"] ?? object["metrics"]) as? [Any] ?? []
        for (index, entry) in list.enumerated() {
            let at = "\(place) lab_result metric_list[\(index)]"
            guard let metric = entry as? [String: Any] else { throw StoreError.invalid("\(at) is not an object") }
            let reference = metric["lab_metric"] as? [String: Any]
            guard let metricID = (reference?["id"] as? String) ?? (metric["lab_metric_id"] as? String) else {
                throw StoreError.invalid("\(at) has no lab_metric id")
            }
            var qom: Int64?
            if let raw = metric["qom"], !(raw is NSNull) {
                let text = (raw as? String) ?? "\(raw)"
                do { qom = try Fixed4(parsing: text).units } catch {
                    throw StoreError.invalid("\(at) qom '\(text)' is not a decimal from 0 to 999999999999.9999")
                }
            }
            let status = (metric["status"] as? String)?.lowercased()
            if let status, !["pass", "fail", "nd", "nt", "na", "nr"].contains(status) {
                throw StoreError.invalid("\(at) status '\(status)' is unknown; expected pass, fail, nd, nt, na or nr")
            }
            result.metrics.append(Metric(metricID: metricID, metricName: reference?["name"] as? String, qom: qom,
                                         uom: metric["uom"] as? String, status: status))
        }
        return result
    }
}
