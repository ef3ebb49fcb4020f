import Foundation
import LotboxCore
import LotboxStore

/// How lab objects look on the wire (OpenTHC Lab_Metric, Lab_Sample, Lab_Result): references
/// as `{id}`, a metric's qom as a 4-place string, a content hash on samples and results.
enum LabShapes {
    static func metric(_ metric: APILabMetric) -> LabMetricJSON {
        LabMetricJSON(id: metric.id, name: metric.name, type: metric.type, uom: OrNull(metric.uom))
    }

    static func sample(_ sample: APILabSample) -> Hashed<LabSampleJSON> {
        Hashed(LabSampleJSON(id: sample.id, license: Ref(sample.licenseID), name: OrNull(sample.name), stat: sample.stat,
                             origin: OrNull(sample.lotID.map { LabSampleJSON.Origin(inventory: Ref($0)) }),
                             created_at: sample.createdAt, updated_at: sample.updatedAt))
    }

    static func result(_ result: APILabResult) -> Hashed<LabResultJSON> {
        Hashed(LabResultJSON(
            id: result.id, license: Ref(result.labLicenseID), lab_sample: OrNull(result.sampleID.map(Ref.init)), name: OrNull(result.name),
            certificate: OrNull(result.certificate), approved_at: OrNull(result.approvedAt), sampled_on: OrNull(result.sampledOn),
            stat: result.stat, created_at: result.createdAt, updated_at: result.updatedAt,
            metric_list: result.metrics.map { metric in
                LabResultJSON.Metric(lab_metric: Ref(metric.metricID), name: OrNull(metric.name), qom: OrNull(metric.qom.map(APIShapes.quantity)),
                                     uom: OrNull(metric.uom), status: OrNull(metric.status))
            },
            inventory_list: result.lotIDs.map(Ref.init)))
    }
}

struct LabMetricJSON: Encodable {
    let id: String
    let name: String
    let type: String
    let uom: OrNull<String>
}

struct LabSampleJSON: Encodable {
    struct Origin: Encodable { let inventory: Ref }
    let id: String
    let license: Ref
    let name: OrNull<String>
    let stat: Int
    let origin: OrNull<Origin>
    let created_at: String
    let updated_at: String
}

struct LabResultJSON: Encodable {
    struct Metric: Encodable {
        let lab_metric: Ref
        let name: OrNull<String>
        let qom: OrNull<String>
        let uom: OrNull<String>
        let status: OrNull<String>
    }

    let id: String
    let license: Ref
    let lab_sample: OrNull<Ref>
    let name: OrNull<String>
    let certificate: OrNull<String>
    let approved_at: OrNull<String>
    let sampled_on: OrNull<String>
    let stat: Int
    let created_at: String
    let updated_at: String
    let metric_list: [Metric]
    let inventory_list: [Ref]
}

extension OpenAPIDocument {
    nonisolated(unsafe) static let labMetric: [String: Any] = [
        "type": "object", "required": ["id", "name", "type", "uom"],
        "properties": ["id": idText, "name": ["type": "string"], "type": ["type": "string"], "uom": nullableText],
    ]
    nonisolated(unsafe) static let labSample: [String: Any] = [
        "type": "object", "required": ["id", "license", "name", "stat", "origin", "created_at", "updated_at", "hash"],
        "properties": ["id": idText, "license": refOut, "name": nullableText, "stat": ["type": "integer"],
                       "origin": ["oneOf": [["type": "object", "properties": ["inventory": refOut]], ["type": "null"]]],
                       "created_at": ["type": "string"], "updated_at": ["type": "string"], "hash": ["type": "string"]],
    ]
    nonisolated(unsafe) static let labResult: [String: Any] = [
        "type": "object",
        "required": ["id", "license", "lab_sample", "name", "certificate", "approved_at", "sampled_on", "stat", "created_at", "updated_at",
                     "metric_list", "inventory_list", "hash"],
        "properties": ["id": idText, "license": refOut, "lab_sample": nullableRef, "name": nullableText, "certificate": nullableText,
                       "approved_at": nullableText, "sampled_on": nullableText, "stat": ["type": "integer"],
                       "created_at": ["type": "string"], "updated_at": ["type": "string"],
                       "metric_list": list(["type": "object", "properties": ["lab_metric": refOut, "name": nullableText,
                                                                             "qom": ["oneOf": [quantityOut, ["type": "null"]]],
                                                                             "uom": nullableText, "status": nullableText]]),
                       "inventory_list": list(refOut), "hash": ["type": "string", "pattern": "^[0-9a-f]{64}$"]],
        "description": "inventory_list names only the lots of the session's license",
    ]
    /// One entry of `metric_list`: a cannabinoid or a terpene with its qom (or status nd), or a
    /// panel with pass or fail. (`lab_metric: {id}` or `name` instead of `lab_metric_id` are read too.)
    static var metricEntries: [[String: Any]] {
        let cannabinoids = LabMetricInput.cannabinoids.map(\.id), terpenes = LabCatalog.terpenes.map(\.id)
        let qom: [String: Any] = ["oneOf": [["type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.0001],
                                            ["type": "string", "pattern": "^[0-9]{1,2}(\\.[0-9]{1,4})?$"]]]
        func entry(_ ids: [String], _ required: [String], _ properties: [String: Any]) -> [String: Any] {
            ["type": "object", "additionalProperties": false, "required": ["lab_metric_id"] + required,
             "properties": properties.merging(["lab_metric_id": ["type": "string", "enum": ids]]) { a, _ in a }]
        }
        return [
            entry(cannabinoids, ["qom"], ["qom": qom, "uom": ["type": "string", "enum": ["pct", "mgg", "mgp"]]]),
            entry(terpenes, ["qom"], ["qom": qom, "uom": ["type": "string", "enum": ["pct", "mgg"]]]),
            entry(cannabinoids + terpenes, ["status"], ["status": ["type": "string", "enum": ["nd"]]]),
            entry(LabCatalog.panels.map(\.id), ["status"], ["status": ["type": "string", "enum": ["pass", "fail"]]]),
        ]
    }

    nonisolated(unsafe) static let newLabResult: [String: Any] = [
        "type": "object", "required": ["license", "sampled_on", "inventory_list", "metric_list"],
        "properties": [
            "license": idOrObject, "lab": idOrObject,
            "sampled_on": ["type": "string", "format": "date"],
            "inventory_list": ["type": "array", "items": idOrObject, "minItems": 1],
            "metric_list": ["type": "array", "minItems": 1, "items": ["anyOf": metricEntries]],
            "certificate": ["type": "string", "pattern": "^https?://[^\\s]+$", "maxLength": 1000], "name": ["type": "string", "minLength": 1],
            "id": chosenID,
        ],
        "description": "license (or lab): the lab's license id; metrics: d9-THC, d9-THCA, CBD, CBDA, Total THC, Total CBD, the terpenes and the pass/fail panels of GET /lab/metric",
    ]
}
