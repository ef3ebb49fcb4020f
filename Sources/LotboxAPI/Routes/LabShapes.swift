import Foundation
import LotboxStore

/// How lab objects look on the wire (OpenTHC Lab_Metric, Lab_Sample, Lab_Result): references
/// as `{id}`, a metric's qom as a 4-place string, a content hash on samples and results.
enum LabShapes {
    static func metric(_ metric: APILabMetric) -> [String: Any] {
        ["id": metric.id, "name": metric.name, "type": metric.type, "uom": metric.uom ?? NSNull()]
    }

    static func sample(_ sample: APILabSample) -> [String: Any] {
        var fields: [String: Any] = [
            "id": sample.id, "license": ["id": sample.licenseID], "name": sample.name ?? NSNull(), "stat": sample.stat,
            "origin": sample.lotID.map { ["inventory": ["id": $0]] as Any } ?? NSNull(),
            "created_at": sample.createdAt, "updated_at": sample.updatedAt,
        ]
        fields["hash"] = APIShapes.hash(fields)
        return fields
    }

    static func result(_ result: APILabResult) -> [String: Any] {
        var fields: [String: Any] = [
            "id": result.id,
            "license": ["id": result.labLicenseID],
            "lab_sample": result.sampleID.map { ["id": $0] as Any } ?? NSNull(),
            "name": result.name ?? NSNull(),
            "certificate": result.certificate ?? NSNull(),
            "approved_at": result.approvedAt ?? NSNull(),
            "sampled_on": result.sampledOn ?? NSNull(),
            "stat": result.stat,
            "created_at": result.createdAt,
            "updated_at": result.updatedAt,
            "metric_list": result.metrics.map { metric -> [String: Any] in
                ["lab_metric": ["id": metric.metricID], "name": metric.name ?? NSNull(),
                 "qom": metric.qom.map { APIShapes.quantity($0) as Any } ?? NSNull(),
                 "uom": metric.uom ?? NSNull(), "status": metric.status ?? NSNull()]
            },
            "inventory_list": result.lotIDs.map { ["id": $0] },
        ]
        fields["hash"] = APIShapes.hash(fields)
        return fields
    }
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
    nonisolated(unsafe) static let newLabResult: [String: Any] = [
        "type": "object", "required": ["license", "sampled_on", "inventory_list", "metric_list"],
        "properties": [
            "license": idOrObject, "lab": idOrObject,
            "sampled_on": ["type": "string", "format": "date"],
            "inventory_list": list(idOrObject),
            "metric_list": list(["type": "object",
                                 "properties": ["lab_metric_id": idText, "lab_metric": idOrObject, "name": ["type": "string"],
                                                "qom": quantityIn, "uom": ["type": "string", "enum": ["pct", "%", "percent", "mgg", "mg/g", "mgp", "mg"]],
                                                "status": ["type": "string", "enum": ["pass", "fail", "nd"]]]]),
            "certificate": ["type": "string", "format": "uri"], "name": ["type": "string"],
        ],
        "description": "license (or lab): the lab's license id; metrics: d9-THC, d9-THCA, CBD, CBDA, Total THC, Total CBD, the terpenes and the pass/fail panels of GET /lab/metric",
    ]
}
