import GRDB
import LotboxCore

extension LotStore {
    /// Stores the lab result a manifest carries (once: a result already in the store is kept as
    /// it is) and returns its id. A result named only by id must already be in the store.
    func insertManifestLabResult(_ db: Database, _ result: ManifestLabResult, actor: String) throws -> String {
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab_result WHERE id = ?"), arguments: [result.id]) == true {
            return result.id
        }
        guard !result.metrics.isEmpty else {
            throw StoreError.notFound(kind: "lab result", key: result.id)
        }
        let license: String
        if let id = result.labID, try Bool.fetchOne(db, sql: "SELECT 1 FROM license WHERE id = ?", arguments: [id]) == true {
            license = id
        } else if let name = result.labName?.trimmingWhitespace(), !name.isEmpty {
            let ids = try issueIDs(db, count: 2)
            license = result.labID ?? ids[1]
            try db.execute(sql: "INSERT INTO company (id, name) VALUES (?, ?)", arguments: [ids[0], name])
            try db.execute(sql: "INSERT INTO license (id, company_id, name, code, type) VALUES (?, ?, ?, ?, ?)",
                           arguments: [license, ids[0], name, result.labCode, "018NY6XC00L1CENSETYPE00LAB"])
            try audit(db, actor: actor, action: "create", objectType: "license", objectID: license, detail: ["from": "manifest lab result"])
        } else {
            license = WellKnown.unknownLicense
        }
        try db.execute(sql: "INSERT INTO lab_result (id, license_id, certificate, meta) VALUES (?, ?, ?, ?)",
                       arguments: [result.id, license, result.certificate,
                                   JSONText.object(["actor": actor, "from": "manifest"].merging(result.sampledOn.map { ["sampled_on": $0] } ?? [:]) { a, _ in a })])
        let ids = try issueIDs(db, count: result.metrics.count)
        for (metric, id) in zip(result.metrics, ids) {
            // A metric this store has no row for keeps its id (and name) from the sender.
            try db.execute(sql: "INSERT OR IGNORE INTO lab_metric (id, name, type) VALUES (?, ?, 'General')",
                           arguments: [metric.metricID, metric.metricName ?? metric.metricID])
            try db.execute(sql: "INSERT INTO lab_result_metric (id, lab_result_id, lab_metric_id, qom, uom, status) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, result.id, metric.metricID, metric.qom, metric.uom, metric.status])
        }
        try audit(db, actor: actor, action: "create", objectType: "lab_result", objectID: result.id, detail: ["from": "manifest"])
        return result.id
    }
}
