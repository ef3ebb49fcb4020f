import Foundation
import Hummingbird
import LotboxStore

/// B2C sales of the session's license (contract §3): open, add lines, commit, and the two-step
/// void, each through the store operations the kiosk uses. Another license's sale is a 404.
///
/// DELETE follows cre's B2C order (contract §1): a committed sale answers 423 first (void
/// requested, stat 423), then 410 (voided, stat 410, stock back through the ledger), and 410
/// after that. An open sale, which cre does not have, is canceled at once: 200 (stat 410, stock
/// untouched; an empty one is removed), and 410 after that.
enum B2CRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/b2c") { call in
                let caller = try call.caller()
                let (query, meta) = try Listing.query(call)
                let rows = try await call.onStore {
                    try $0.apiSales(license: caller.licenseID, stat: query.stat, limit: query.limit, offset: query.offset)
                }
                return Envelope.json(rows.map(B2CShapes.sale), meta: meta)
            },
            APIRoute(.post, "/b2c", .session, open),
            APIRoute(.get, "/b2c/{id}") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let sale = try await call.onStore({ try $0.apiSale(id: id, license: caller.licenseID) }) else {
                    throw APIError.notFound("no sale \(id) for this license")
                }
                return Envelope.json(B2CShapes.sale(sale))
            },
            APIRoute(.post, "/b2c/{id}", .session, addLine),
            APIRoute(.post, "/b2c/{id}/item", .session, addLine),
            APIRoute(.post, "/b2c/{id}/commit", .session, commit),
            APIRoute(.delete, "/b2c/{id}", .session, delete),
        ]
    }

    /// Opens a sale: an optional `id` of the client's, an optional `contact`, and lines given
    /// as one (`inventory_id`, `unit_count`, `unit_price` at the top, as OpenTHC's POST /b2c
    /// takes) and/or as `item_list`. All or nothing.
    static func open(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let id = try call.chosenID(body)
        let contact = try Fields.optionalID(body, "contact", "contact_id")
        var lines: [NewSaleLine] = [], paths: [String] = []
        if body["inventory_id"] != nil || body["inventory"] != nil {
            lines.append(try line(body, path: ""))
            paths.append("")
        }
        let items = try Fields.objects(body, "item_list", expected: "a list of {inventory_id, unit_count, unit_price}") ?? []
        for (index, item) in items.enumerated() {
            lines.append(try line(item, path: "item_list[\(index)]", readsID: call.services.honoursClientIDs))
            paths.append("item_list[\(index)]")
        }
        let all = lines
        let (sale, replayed) = try await refusals(linePaths: paths.count > 1 ? paths : []) {
            try await call.onStore { try $0.openSaleOrReplay(id: id, license: caller.licenseID, contact: contact, lines: all, actor: caller.actor) }
        }
        // A replay of the same open (a second box syncing the calls it made) is answered with
        // the sale as it is now, 200: nothing was made.
        return Envelope.json(B2CShapes.sale(sale), meta: replayed ? .init(note: "already open under this id; nothing written") : .init(),
                             status: replayed ? .ok : .created)
    }

    /// `{inventory_id, unit_count|qty, unit_price}` → one more line: 201 with the whole sale.
    static func addLine(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let new = try line(try await call.body(), path: "", readsID: call.services.honoursClientIDs)
        let sale = try await refusals(linePaths: []) {
            try await call.onStore { try $0.addSaleLine(sale: id, license: caller.licenseID, line: new, actor: caller.actor) }
        }
        return Envelope.json(B2CShapes.sale(sale), status: .created)
    }

    /// `{tender?, cash_given?}`: how the customer paid. Neither is cash, exact (as the PAY
    /// barcode pays); `cash_given` works out the change; another tender's name is taken for the
    /// exact total.
    ///
    /// A sale open at a kiosk is paid through that kiosk, as its PAY does: the station's taxes,
    /// rules (age check, limits) and receipt apply, whichever door the payment came through.
    static func commit(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let id = try call.parameter("id")
        let paying = try tender(try await call.body())
        if let paid = try await payAtKiosk(call, caller: caller, saleID: id, tender: paying) { return paid }
        let sale = try await refusals(linePaths: []) {
            try await call.onStore { try $0.commitSale(id: id, license: caller.licenseID, tender: paying, actor: caller.actor) }
        }
        return Envelope.json(B2CShapes.sale(sale))
    }

    /// Pays sale `saleID` at the kiosk that has it open, if one of the caller's kiosks does: nil
    /// when none does (a sale opened through the API is committed as it is). The kiosk's refusal
    /// (cash short of the total, an age check not passed) is a 409 naming why; the sale stays open.
    static func payAtKiosk(_ call: APICall, caller: Caller, saleID: String, tender: Tender) async throws -> Response? {
        guard let desk = call.services.stations, let kiosks = desk as? any KioskDesk else { return nil }
        let mine = desk.stations.filter { $0.kind == "kiosk" && $0.licenseID == caller.licenseID }.map(\.name)
        guard !mine.isEmpty else { return nil }
        let paid = try await call.onStore { store -> (ScanDecision, APISale?)? in
            guard let station = try mine.first(where: { try store.stationState($0)?.saleID?.caseInsensitiveCompare(saleID) == .orderedSame })
            else { return nil }
            if caller.role != nil { try kiosks.employeeAt(station: station, contactID: caller.contactID) }
            let decision = try kiosks.pay(station: station, tender: tender, device: "api:\(caller.contactID)")
            return (decision, try store.apiSale(id: saleID, license: caller.licenseID))
        }
        guard let (decision, sale) = paid else { return nil }
        call.services.events.ring()
        if decision.event?.outcome == .refused {
            throw APIError(.conflict, decision.event?.message ?? decision.summary)
        }
        guard let sale else { throw APIError.notFound("no sale '\(saleID)'") }
        return Envelope.json(B2CShapes.sale(sale))
    }

    /// The tender in a PAY body (the API's commit, a kiosk page's PAY), each bad value a 400 naming its field.
    static func tender(_ body: BodyValue) throws -> Tender {
        let kind = try Fields.optionalText(body, "tender")
        let given = try Fields.optionalText(body, "cash_given")
        do {
            return try Tender(kind: kind, given: given)
        } catch {
            throw APIError(.badRequest, "'\(error.field)': \(error.description)")
        }
    }

    static func delete(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        try caller.requireManager("voiding a sale")
        let id = try call.parameter("id")
        let (outcome, after) = try await call.onStore { store -> (SaleDeletion, APISale?) in
            let outcome = try store.deleteSale(id: id, license: caller.licenseID, actor: caller.actor)
            return (outcome, try store.apiSale(id: id, license: caller.licenseID))
        }
        let data = OrNull(after.map(B2CShapes.sale))
        let locked = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
        switch outcome {
        case .voidRequested:
            return Envelope.json(data, meta: .init(note: "void requested; DELETE again to confirm and put the stock back"), status: locked)
        case .voided:
            return Envelope.json(data, meta: .init(note: "voided; its stock is back"), status: .gone)
        case .canceled:
            return Envelope.json(data, meta: .init(note: "the open sale is canceled; nothing was sold"))
        case .discarded:
            return Envelope.json(data, meta: .init(note: "the open sale had no lines and is removed"))
        case .alreadyGone:
            return Envelope.json(data, meta: .init(note: "already void or canceled; nothing changed"), status: .gone)
        }
    }

    /// One line's fields; `path` prefixes the field names in a refusal (`item_list[1]`).
    /// `readsID`: the line's own `id` (in `item_list` and on `POST /b2c/{id}`; at the top of
    /// `POST /b2c` the `id` is the sale's).
    static func line(_ body: BodyValue, path: String, readsID: Bool = false) throws -> NewSaleLine {
        do {
            guard let lot = try Fields.optionalID(body, "inventory_id", "inventory") else {
                throw APIError.field("inventory_id", "a lot id of this license, or {\"id\": …}")
            }
            let quantity = try Fields.optionalQuantity(body, "unit_count") ?? Fields.optionalQuantity(body, "qty")
            let chosen = try readsID ? Fields.optionalText(body, ["id"]) : nil
            return NewSaleLine(lotID: lot, quantity: quantity, unitPrice: try Fields.optionalPrice(body, "unit_price"), id: chosen)
        } catch let error as APIError {
            throw error.within(path)
        }
    }

    /// The store's refusals of a sale as the contract's codes, naming the field they are about:
    /// bad input 400, a lot that is not the license's 403 (as for inventory's sources), an
    /// unknown contact 404, a state that does not allow it (sold out, closed, void) 409.
    /// `linePaths` names the lines of a sale opened with several ("", "item_list[0]", …): the
    /// store's "line N: …" becomes that line's field path.
    static func refusals<T: Sendable>(linePaths: [String], _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let refusal as OperationRefused {
            var message = refusal.message
            var path = ""
            if !linePaths.isEmpty, message.hasPrefix("line "), let colon = message.firstIndex(of: ":"),
               let number = Int(message[message.index(message.startIndex, offsetBy: 5)..<colon]), linePaths.indices.contains(number - 1) {
                path = linePaths[number - 1].isEmpty ? "" : linePaths[number - 1] + "."
                message = String(message[message.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            let field: (name: String, status: HTTPResponse.Status)? = switch refusal.reason {
            case "unknown-lot": ("inventory_id", .forbidden)
            case "bad-price", "no-price": ("unit_price", .badRequest)
            case "bad-quantity", "needs-quantity": ("unit_count", .badRequest)
            case "not-found": ("contact", .notFound)
            case "bad-id": ("id", .badRequest)
            case "short-tender": ("cash_given", .badRequest)
            default: nil
            }
            if let field { throw APIError(field.status, "'\(path)\(field.name)': \(message)") }
            throw APIError.conflict(path.isEmpty ? message : "\(path.dropLast()): \(message)")
        }
    }
}

extension B2CRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        let saleReply = D.reply("the sale", D.sale)
        let statParameter = D.statParameter
        return [
            Operation(method: "GET", path: "/b2c", summary: "Sales of the session's license, newest first", open: false, body: nil,
                      replies: ["200": D.reply("sales", D.list(D.sale)), "400": D.error, "401": D.error],
                      parameters: D.listParameters.filter { $0["name"] as? String != "q" } + [statParameter]),
            Operation(method: "POST", path: "/b2c",
                      summary: "Open a sale (stat 100), with its first lines; a client-chosen id is kept, and the same open again under it answers 200 with the sale (a different one 409)",
                      open: false, body: D.body(D.newSale, form: D.newSaleForm),
                      replies: ["201": saleReply, "200": D.reply("a replay: the sale already open under this id", D.sale)].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "GET", path: "/b2c/{id}", summary: "One sale of the session's license", open: false, body: nil,
                      replies: ["200": saleReply].merging(D.readErrors) { a, _ in a }),
            Operation(method: "POST", path: "/b2c/{id}", summary: "Add a line to an open sale", open: false, body: D.body(D.newSaleLine),
                      replies: ["201": saleReply].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/b2c/{id}/item", summary: "Add a line to an open sale", open: false, body: D.body(D.newSaleLine),
                      replies: ["201": saleReply].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "POST", path: "/b2c/{id}/commit",
                      summary: "Commit an open sale: its lots are decremented through the ledger, stat 200. A sale open at a kiosk is paid there, "
                        + "as its PAY does (the kiosk's taxes, rules and receipt; its refusal is a 409 and the sale stays open); "
                        + "a sale opened through the API is charged no taxes. "
                        + "The body says how it was paid: no body is cash, exact; cash_given works out the change (less than the total: 400); "
                        + "another tender's name (card, debit…) is taken for the exact total",
                      open: false, body: D.body(D.tenderIn), replies: ["200": saleReply].merging(D.writeErrors) { a, _ in a }),
            Operation(method: "DELETE", path: "/b2c/{id}",
                      summary: "Void in two steps as cre does for B2C: committed → 423 (void requested), then 410 (voided, stock back), then 410; an open sale → 200 (canceled, stat 410; an empty one removed)",
                      open: false, body: nil,
                      replies: ["200": D.reply("the open sale canceled (null: it had no lines and is removed)", ["oneOf": [D.sale, ["type": "null"]]]),
                                "423": D.reply("void requested", D.sale), "410": D.reply("voided, or already void or canceled", D.sale)]
                        .merging(D.readErrors) { a, _ in a }),
        ]
    }
}
