import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// Lab metrics, samples and results (contract §3). A session reads the results covering its
/// license's lots and those its license issued as a lab; `POST /lab/result` records a
/// certificate through the CLI's `lab add` operation, for its own lots only.
enum LabRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/lab/metric") { call in
                let rows = try await call.onStore { try $0.labMetrics() }
                let (query, meta) = try Listing.query(call)
                let q = query.q?.lowercased()
                let matching = rows.filter { metric in q.map { q in [metric.id, metric.name, metric.type].contains { $0.lowercased().contains(q) } } ?? true }
                return Envelope.json(matching.dropFirst(query.offset).prefix(query.limit).map(LabShapes.metric), meta: meta)
            },
            APIRoute(.get, "/lab/sample") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                let rows = try await call.onStore { try $0.labSamples(license: caller.licenseID, limit: query.limit, offset: query.offset) }
                return Envelope.json(rows.map(LabShapes.sample), meta: meta)
            },
            APIRoute(.get, "/lab/sample/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let sample = try await call.onStore({ try $0.labSamples(license: caller.licenseID, id: id).first }) else {
                    throw APIError.notFound("no lab sample \(id) for this license")
                }
                return Envelope.json(LabShapes.sample(sample))
            },
            APIRoute(.get, "/lab/result") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                let rows = try await call.onStore { try $0.labResults(license: caller.licenseID, limit: query.limit, offset: query.offset) }
                return Envelope.json(rows.map(LabShapes.result), meta: meta)
            },
            APIRoute(.get, "/lab/result/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let result = try await call.onStore({ try $0.labResults(license: caller.licenseID, id: id).first }) else {
                    throw APIError.notFound("no lab result \(id) for this license")
                }
                return Envelope.json(LabShapes.result(result))
            },
            APIRoute(.post, "/lab/result", .session, create),
        ]
    }

    /// A Lab_Result: `license` (the lab), `sampled_on`, `inventory_list`, `metric_list` of
    /// `{lab_metric_id | name, qom, uom, status}`, optional `certificate` and `name` → 201.
    static func create(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        guard let lab = try Fields.optionalID(body, "license", "lab", "license_id") else {
            throw APIError.field("license", "the lab's license id or {\"id\": …}")
        }
        guard let sampled = try Fields.optionalText(body, ["sampled_on"]) else {
            throw APIError.field("sampled_on", "the sample's date, YYYY-MM-DD")
        }
        guard CalendarDate(iso: sampled.trimmingCharacters(in: .whitespaces)) != nil else {
            throw APIError.field("sampled_on", "the sample's date, YYYY-MM-DD", got: body["sampled_on"])
        }
        guard case .array(let lotValues)? = body["inventory_list"], !lotValues.isEmpty else {
            throw APIError.field("inventory_list", "a list of the lot ids (of this license) the result covers", got: body["inventory_list"])
        }
        var lots: [String] = []
        for (index, value) in lotValues.enumerated() {
            guard let id = value.id, !id.isEmpty else { throw APIError.field("inventory_list[\(index)]", "a lot id or {\"id\": …}", got: value) }
            lots.append(id)
        }
        // Who and what first: an unknown lab is 404 and another license's lot 403 before the
        // metrics are read (the store checks both again inside its write).
        let covered = lots
        let (labKnown, notOwn) = try await call.onStore { store -> (Bool, String?) in
            (try store.licenses().contains { $0.id == lab }, try covered.first { try store.lotView(id: $0, license: caller.licenseID) == nil })
        }
        guard labKnown else { throw APIError.notFound("'license': lab license \(lab) is not in the directory") }
        if let lot = notOwn { throw APIError.forbidden("'inventory_list': lot \(lot) is not one of this license's lots") }
        guard let metricValues = try Fields.objects(body, "metric_list", expected: "a list of {lab_metric_id, qom, uom, status}"),
              !metricValues.isEmpty else {
            throw APIError.field("metric_list", "a list of {lab_metric_id, qom, uom, status} with at least one entry", got: body["metric_list"])
        }
        var new = NewLabResult(labKey: lab, sampledOn: sampled, lotKeys: lots)
        for (index, metric) in metricValues.enumerated() {
            do { try LabMetricInput.add(metric, at: "metric_list[\(index)]", to: &new) } catch let error as APIError {
                throw error.within("metric_list[\(index)]")
            }
        }
        new.coaURL = try Fields.optionalText(body, ["certificate", "coa"])
        new.name = try Fields.optionalText(body, ["name"])
        new.id = try call.chosenID(body)
        let fields = new
        do {
            let (result, replayed) = try await call.onStore { try $0.addLabResultOrReplay(fields, license: caller.licenseID, actor: caller.actor) }
            // The same result again under its id (a box replaying what it sent): 200, nothing written.
            return Envelope.json(LabShapes.result(result), meta: replayed ? .init(note: "already recorded under this id; nothing written") : .init(),
                                 status: replayed ? .ok : .created)
        } catch let refusal as OperationRefused {
            switch refusal.reason {
            case "unknown-lab": throw APIError.notFound("'license': \(refusal.message)")
            case "unknown-lot": throw APIError.forbidden("'inventory_list': \(refusal.message)")
            default: throw APIError.badRequest(refusal.message)
            }
        } catch StoreError.invalid(let message) {
            // The certificate's checks are the CLI's; the note still names the field.
            let field = message.hasPrefix("COA link") ? "certificate" : "metric_list"
            throw APIError.badRequest("'\(field)': \(message)")
        }
    }
}

extension LabRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let paging = D.listParameters.filter { $0["name"] as? String != "q" }
        return [
            Operation(method: "GET", path: "/lab/metric", summary: "The metrics a result can report", open: false, body: nil,
                      replies: ["200": D.reply("metrics", D.list(D.labMetric)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "GET", path: "/lab/sample", summary: "Samples of the session's license or its lots", open: false, body: nil,
                      replies: ["200": D.reply("samples", D.list(D.labSample)), "400": D.error, "401": D.error], parameters: paging),
            Operation(method: "GET", path: "/lab/sample/{id}", summary: "One sample", open: false, body: nil,
                      replies: ["200": D.reply("the sample", D.labSample)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "GET", path: "/lab/result", summary: "Results covering the session license's lots, or issued by it", open: false, body: nil,
                      replies: ["200": D.reply("results", D.list(D.labResult)), "400": D.error, "401": D.error], parameters: paging),
            Operation(method: "GET", path: "/lab/result/{id}", summary: "One result", open: false, body: nil,
                      replies: ["200": D.reply("the result", D.labResult)].merging(D.readErrors) { a, _ in a }),
            Operation(method: "POST", path: "/lab/result", summary: "Record a certificate of analysis for lots of the session's license (a chosen id is kept; the same result again under it answers 200; the same certificate under its id with more lots of this license, or recorded for another license's lots, adds these lots to it, 201)",
                      open: false, body: D.jsonBody(D.newLabResult), replies: ["201": D.reply("the result", D.labResult),
                                                                                 "200": D.reply("a replay: the result already recorded under this id", D.labResult)]
                                                                                .merging(D.writeErrors) { a, _ in a }),
        ]
    }
}
