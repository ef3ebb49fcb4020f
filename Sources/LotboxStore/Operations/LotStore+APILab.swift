import GRDB
import LotboxCore

/// An analyte or panel a result can report (OpenTHC Lab_Metric).
public struct APILabMetric: Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: String
    public var uom: String?
}

/// A sample taken from a lot for a lab (OpenTHC Lab_Sample).
public struct APILabSample: Sendable, Equatable {
    public var id: String
    public var licenseID: String
    public var lotID: String?
    public var name: String?
    public var stat: Int
    public var createdAt: String
    public var updatedAt: String
}

/// A certificate of analysis as the API shows it: the lab's license, its metrics and the lots of
/// the asking license it covers (never another license's lot ids).
public struct APILabResult: Sendable, Equatable {
    public struct Metric: Sendable, Equatable {
        public var metricID: String
        public var name: String?
        /// Ten-thousandths; nil for a pass/fail or a not-detected.
        public var qom: Int64?
        public var uom: String?
        public var status: String?
    }

    public var id: String
    public var labLicenseID: String
    public var sampleID: String?
    public var name: String?
    public var certificate: String?
    public var approvedAt: String?
    public var sampledOn: String?
    public var stat: Int
    public var createdAt: String
    public var updatedAt: String
    public var metrics: [Metric]
    public var lotIDs: [String]
}

extension LotStore {
    public func labMetrics() throws -> [APILabMetric] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT id, name, type, uom FROM lab_metric ORDER BY type, name, id")).map {
                APILabMetric(id: $0["id"], name: $0["name"], type: $0["type"], uom: $0["uom"])
            }
        }
    }

    /// Samples a license took, or taken from its lots, newest first; `id` picks one.
    public func labSamples(license: String, id: String? = nil, limit: Int = 10_000, offset: Int = 0) throws -> [APILabSample] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM lab_sample WHERE (license_id = ? OR inventory_id IN (SELECT id FROM inventory WHERE license_id = ?))
                   AND (? IS NULL OR id = ?) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                """), arguments: [license, license, id, id, limit, offset]).map {
                APILabSample(id: $0["id"], licenseID: $0["license_id"], lotID: $0["inventory_id"], name: $0["name"], stat: $0["stat"],
                             createdAt: $0["created_at"], updatedAt: $0["updated_at"])
            }
        }
    }

    /// Results a license may read, newest first: those covering its lots and those it issued
    /// as a lab; `id` picks one.
    public func labResults(license: String, id: String? = nil, limit: Int = 10_000, offset: Int = 0) throws -> [APILabResult] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r.*, json_extract(r.meta, '$.sampled_on') AS sampled_on FROM lab_result r
                 WHERE (r.license_id = ? OR r.id IN (SELECT lri.lab_result_id FROM lab_result_inventory lri
                                                      JOIN inventory i ON i.id = lri.inventory_id WHERE i.license_id = ?))
                   AND (? IS NULL OR r.id = ?)
                 ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?
                """), arguments: [license, license, id, id, limit, offset]).map { row in
                let resultID: String = row["id"]
                let metrics = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT m.lab_metric_id, lab_metric.name, m.qom, m.uom, m.status FROM lab_result_metric m
                      LEFT JOIN lab_metric ON lab_metric.id = m.lab_metric_id WHERE m.lab_result_id = ? ORDER BY m.id
                    """), arguments: [resultID]).map {
                    APILabResult.Metric(metricID: $0["lab_metric_id"], name: $0["name"], qom: $0["qom"], uom: $0["uom"], status: $0["status"])
                }
                let lots = try String.fetchAll(db.cachedStatement(sql: """
                    SELECT lri.inventory_id FROM lab_result_inventory lri JOIN inventory i ON i.id = lri.inventory_id
                     WHERE lri.lab_result_id = ? AND i.license_id = ? ORDER BY lri.inventory_id
                    """), arguments: [resultID, license])
                return APILabResult(id: resultID, labLicenseID: row["license_id"], sampleID: row["lab_sample_id"], name: row["name"],
                                    certificate: row["certificate"], approvedAt: row["approved_at"], sampledOn: row["sampled_on"],
                                    stat: row["stat"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                                    metrics: metrics, lotIDs: lots)
            }
        }
    }

    /// Records a COA through the CLI's ``addLabResult(_:actor:)``, for lots of `license` only
    /// and a lab license that exists (the CLI may add a lab by name; a client names it by id).
    public func addLabResult(_ new: NewLabResult, license: String, actor: String) throws -> APILabResult {
        try addLabResultOrReplay(new, license: license, actor: actor).result
    }

    /// As ``addLabResult(_:license:actor:)``; under a chosen id already recorded by the same lab
    /// for the same lots of this license (a box replaying what it sent), the result as it is,
    /// `replayed`, and nothing written. Under a chosen id recorded for other licenses' lots only,
    /// or for some of these lots, the same certificate (lab, date, name, link, every metric) is
    /// one result: this license's further lots are added to it (a box sends a result once per
    /// license, as a session writes its own lots only, and again when it covers another lot).
    /// Anything else under the id (another lab, fewer lots, other content) is a conflict.
    public func addLabResultOrReplay(_ new: NewLabResult, license: String, actor: String) throws -> (result: APILabResult, replayed: Bool) {
        try write { db in
            if let chosen = new.id, let lab = try String.fetchOne(db.cachedStatement(sql: "SELECT license_id FROM lab_result WHERE id = ?"), arguments: [chosen]) {
                let existing = try labResults(license: license, id: chosen).first
                let had = Set(existing?.lotIDs ?? [])
                guard lab == new.labKey, had.isSubset(of: Set(new.lotKeys)) else {
                    throw StoreError.conflict("lab result \(chosen) already exists and differs (another lab or other lots); choose another id or leave it out")
                }
                if let existing, !had.isEmpty, had == Set(new.lotKeys) { return (existing, true) }
                return (try coverLots(db, of: chosen, with: new, license: license, actor: actor), false)
            }
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM license WHERE id = ?"), arguments: [new.labKey]) != true {
                throw OperationRefused("unknown-lab", "lab license \(new.labKey) is not in the directory")
            }
            for lot in new.lotKeys where try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM inventory WHERE id = ? AND license_id = ?"),
                                                           arguments: [lot, license]) != true {
                throw OperationRefused("unknown-lot", "lot \(lot) is not one of this license's lots")
            }
            let recorded = try addLabResult(new, actor: actor)
            guard let result = try labResults(license: license, id: recorded.id).first else {
                throw StoreError.notFound(kind: "lab result", key: recorded.id)
            }
            return (result, false)
        }
    }

    /// Adds `license`'s lots to result `id`, recorded for other licenses' lots, when `new` is the
    /// same certificate: it is recorded for a moment under a new id (inside a savepoint rolled
    /// back), so both are compared as stored, after the same parsing and totals.
    private func coverLots(_ db: Database, of id: String, with new: NewLabResult, license: String, actor: String) throws -> APILabResult {
        for lot in new.lotKeys where try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM inventory WHERE id = ? AND license_id = ?"),
                                                       arguments: [lot, license]) != true {
            throw OperationRefused("unknown-lot", "lot \(lot) is not one of this license's lots")
        }
        var trial = new
        trial.id = nil
        var trialContent: [String] = []
        try db.inSavepoint {
            trialContent = try labResultContent(db, try addLabResult(trial, actor: actor).id)
            return .rollback
        }
        guard trialContent == (try labResultContent(db, id)) else {
            throw StoreError.conflict("lab result \(id) already exists with other content (date, name, link or metrics); choose another id or leave it out")
        }
        var added: [String] = []
        for lot in Set(new.lotKeys).sorted() {
            try db.execute(sql: "INSERT OR IGNORE INTO lab_result_inventory (lab_result_id, inventory_id) VALUES (?, ?)", arguments: [id, lot])
            if db.changesCount > 0 { added.append(lot) }
        }
        try audit(db, actor: actor, action: "update", objectType: "lab_result", objectID: id,
                  detail: ["lots_added": added.joined(separator: ","), "license": license])
        guard let result = try labResults(license: license, id: id).first else { throw StoreError.notFound(kind: "lab result", key: id) }
        return result
    }

    /// What a certificate says, as stored: its lab, date, name, link and metrics, one line each.
    private func labResultContent(_ db: Database, _ id: String) throws -> [String] {
        let head = try String.fetchAll(db.cachedStatement(sql: """
            SELECT license_id || '|' || coalesce(json_extract(meta, '$.sampled_on'), '') || '|' || coalesce(name, '') || '|' || coalesce(certificate, '')
              FROM lab_result WHERE id = ?
            """), arguments: [id])
        let metrics = try String.fetchAll(db.cachedStatement(sql: """
            SELECT lab_metric_id || '|' || coalesce(qom, '') || '|' || coalesce(uom, '') || '|' || coalesce(status, '')
              FROM lab_result_metric WHERE lab_result_id = ? ORDER BY 1
            """), arguments: [id])
        return head + metrics
    }
}
