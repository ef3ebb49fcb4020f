import Foundation
import Hummingbird
import LotboxStore
import NIOCore

/// lotbox's own: a lot's label previewed, printed on a named printer, the printers' states and
/// the print queue of the caller's license (hold, release, cancel).
enum LabelRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/inventory/{id}/label.png") { call in try await preview(call, format: "png") },
            APIRoute(.get, "/inventory/{id}/label.pdf") { call in try await preview(call, format: "pdf") },
            APIRoute(.post, "/inventory/{id}/print", .session, print),
            APIRoute(.get, "/printer", .session, printers),
            APIRoute(.get, "/queue", .session, queue),
            APIRoute(.post, "/queue/{id}/hold") { call in try await changeJob(call) { store, id, actor in try store.holdPrintJob(id, reason: "held through the API", actor: actor) } },
            APIRoute(.post, "/queue/{id}/release") { call in
                try call.caller().requireManager("releasing a print job")
                return try await changeJob(call) { store, id, actor in try store.releasePrintJob(id, actor: actor) }
            },
            APIRoute(.post, "/queue/{id}/cancel") { call in
                try call.caller().requireManager("cancelling a print job")
                return try await changeJob(call) { store, id, actor in try store.cancelPrintJob(id, actor: actor) }
            },
            APIRoute(.post, "/queue/{id}/reprint", .session, reprint),
        ]
    }

    static func desk(_ call: APICall) throws -> any LabelDesk {
        guard let desk = call.services.labels else { throw APIError(.serviceUnavailable, "this lotbox has no label printing configured") }
        return desk
    }

    static func preview(_ call: APICall, format: String) async throws -> Response {
        let view = try await InventoryRoutes.ownLot(call)
        let desk = try desk(call)
        let template = call.query("template")
        if let template, template.isEmpty || template.count > 100 || template.contains("/") {
            throw APIError.badRequest("query 'template' is '\(template.prefix(100))'; expected a template's name, such as lot-4x2")
        }
        let rendered = try await call.onStore { _ in try desk.render(lot: view.lot.id, template: template, format: format) }
        return Response(status: .ok, headers: [.contentType: rendered.contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: rendered.bytes)))
    }

    static func print(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let view = try await InventoryRoutes.ownLot(call)
        let desk = try desk(call)
        let body = try await call.body()
        let name = try Fields.requiredText(body, "printer")
        guard let printer = desk.printers.first(where: { $0.name == name }) else {
            throw APIError.field("printer", "one of \(desk.printers.map(\.name).joined(separator: ", "))", got: body["printer"])
        }
        let copies = try Fields.optionalText(body, "copies").map { text in
            guard let number = Int(text), (1...100).contains(number) else { throw APIError.field("copies", "a whole number from 1 to 100", got: body["copies"]) }
            return number
        } ?? 1
        let job = try await call.onStore { store in
            try store.queueReprint(view.lot.id, route: LabelRoute(printer: printer.name, template: printer.template, copies: copies), actor: caller.actor)
        }
        return Envelope.json(JobJSON(job), status: .accepted)
    }

    static func printers(_ call: APICall) async throws -> Response {
        let desk = try desk(call)
        let states = try await call.onStore { _ in desk.printerStates() }
        return Envelope.json(desk.printers.map { printer in
            PrinterJSON(name: printer.name, template: printer.template, dpi: printer.dpi,
                        state: states[printer.name]?.state ?? "unknown", reasons: states[printer.name]?.reasons ?? [])
        })
    }

    static func queue(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let limit = try Listing.limit(call)
        let jobs = try await call.onStore { try $0.printJobs(license: caller.licenseID, limit: limit) }
        return Envelope.json(jobs.map(JobJSON.init))
    }

    /// A new job printing what job `id` printed (a lot's label or a sale's receipt), on the
    /// same printer with the same template and copies: a label that came out smudged or was
    /// canceled by mistake. The old job is left as it is.
    static func reprint(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let printers = try desk(call).printers.map(\.name)
        guard let job = try await call.readStore({ try $0.printJobs(license: caller.licenseID, limit: 100_000).first { $0.id == id } }) else {
            throw APIError.notFound("no print job \(id) for this license")
        }
        guard printers.contains(job.printer) else {
            throw APIError.conflict("print job \(id) was for printer '\(job.printer)', which is no longer configured; print it again from its lot or sale")
        }
        guard let object = job.objectId, ["lot-label", "sale-receipt"].contains(job.kind) else {
            throw APIError.conflict("print job \(id) is a \(job.kind); only a lot's label or a sale's receipt is reprinted from the queue")
        }
        let route = LabelRoute(printer: job.printer, template: job.template, copies: job.copies)
        let again = try await call.onStore { store -> PrintJob in
            if job.kind == "lot-label" { return try store.queueReprint(object, route: route, actor: caller.actor) }
            return try store.queueReceipt(sale: object, route: route, actor: caller.actor)
        }
        call.services.events.ring()
        return Envelope.json(JobJSON(again), status: .accepted)
    }

    static func changeJob(_ call: APICall, _ change: @escaping @Sendable (LotStore, String, String) throws -> PrintJob) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let job = try await call.onStore { store -> PrintJob in
            try store.transaction {
                guard try store.printJobs(license: caller.licenseID, limit: 100_000).contains(where: { $0.id == id }) else {
                    throw APIError.notFound("no print job \(id) for this license")
                }
                return try change(store, id, caller.actor)
            }
        }
        return Envelope.json(JobJSON(job))
    }
}

struct JobJSON: Encodable {
    let id: String
    let kind: String
    let object_id: String?
    let printer: String
    let template: String
    let copies: Int
    let state: String
    let reason: String?
    let possible_duplicate: Bool
    let created_at: String

    init(_ job: PrintJob) {
        id = job.id
        kind = job.kind
        object_id = job.objectId
        printer = job.printer
        template = job.template
        copies = job.copies
        state = job.state
        reason = job.reason
        possible_duplicate = job.possibleDuplicate
        created_at = job.createdAt
    }
}

struct PrinterJSON: Encodable {
    let name: String
    let template: String
    let dpi: Int
    let state: String
    let reasons: [String]
}

extension LabelRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let template: [[String: Any]] = [["name": "template", "in": "query", "required": false, "schema": ["type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^/]+$"]]]
        let job: [String: Any] = ["type": "object", "required": ["id", "state", "printer"],
                                  "properties": ["id": D.idText, "kind": ["type": "string"], "object_id": D.nullableText, "printer": ["type": "string"],
                                                 "template": ["type": "string"], "copies": ["type": "integer"], "state": ["type": "string"],
                                                 "reason": D.nullableText, "possible_duplicate": ["type": "boolean"], "created_at": ["type": "string"]]]
        let printer: [String: Any] = ["type": "object", "required": ["name", "state", "reasons"],
                                      "properties": ["name": ["type": "string"], "template": ["type": "string"], "dpi": ["type": "integer"],
                                                     "state": ["type": "string"], "reasons": ["type": "array", "items": ["type": "string"]]]]
        let image: (String) -> [String: Any] = { type in ["description": "the label", "content": [type: ["schema": ["type": "string", "format": "binary"]]]] }
        let printBody: [String: Any] = ["type": "object", "required": ["printer"],
                                        "properties": ["printer": ["type": "string", "minLength": 1],
                                                       "copies": ["oneOf": [["type": "integer", "minimum": 1, "maximum": 100],
                                                                            ["type": "string", "pattern": "^([1-9]|[1-9][0-9]|100)$"]]]]]
        let jobChange: [String: [String: Any]] = ["200": D.reply("the job", job), "400": D.error, "401": D.error, "403": D.error, "404": D.error, "409": D.error]
        return [
            Operation(method: "GET", path: "/inventory/{id}/label.png", summary: "Preview a lot's label (PNG at the printer's dots)", open: false, body: nil,
                      replies: ["200": image("image/png"), "400": D.error, "401": D.error, "404": D.error, "409": D.error, "503": D.error], parameters: template),
            Operation(method: "GET", path: "/inventory/{id}/label.pdf", summary: "Preview a lot's label (PDF)", open: false, body: nil,
                      replies: ["200": image("application/pdf"), "400": D.error, "401": D.error, "404": D.error, "409": D.error, "503": D.error], parameters: template),
            Operation(method: "POST", path: "/inventory/{id}/print", summary: "Queue a lot's label on a printer", open: false, body: D.body(printBody),
                      replies: ["202": D.reply("the queued job", job), "503": D.error].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "GET", path: "/printer", summary: "The printers and how each is", open: false, body: nil,
                      replies: ["200": D.reply("printers", D.list(printer)), "401": D.error, "503": D.error]),
            Operation(method: "GET", path: "/queue", summary: "Print jobs of this license's lots and sales", open: false, body: nil,
                      replies: ["200": D.reply("jobs", D.list(job)), "400": D.error, "401": D.error], parameters: D.listParameters),
            Operation(method: "POST", path: "/queue/{id}/hold", summary: "Hold a queued or failed job", open: false, body: nil, replies: jobChange),
            Operation(method: "POST", path: "/queue/{id}/release", summary: "Release a held or failed job (a staff session: a manager's)", open: false, body: nil, replies: jobChange),
            Operation(method: "POST", path: "/queue/{id}/cancel", summary: "Cancel a job not yet sent (a staff session: a manager's)", open: false, body: nil, replies: jobChange),
            Operation(method: "POST", path: "/queue/{id}/reprint", summary: "Queue what a job printed again, on its printer", open: false, body: nil,
                      replies: ["202": D.reply("the new job", job), "400": D.error, "401": D.error, "404": D.error, "409": D.error, "503": D.error]),
        ]
    }
}
