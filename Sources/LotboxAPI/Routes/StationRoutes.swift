import Foundation
import Hummingbird
import LotboxStore

/// lotbox's own: the caller's stations and what each has open, and scans from a network or
/// browser-attached scanner.
enum StationRoutes {
    static var all: [APIRoute] {
        [
            APIRoute(.get, "/station", .session, list),
            APIRoute(.post, "/scan", .session, scan),
        ]
    }

    static func list(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let mine = (call.services.stations?.stations ?? []).filter { $0.licenseID == caller.licenseID }
        let rows = try await call.onStore { store in
            try mine.map { station -> StationJSON in
                let state = try store.stationState(station.name)
                return StationJSON(name: station.name, kind: station.kind, transfer: state?.transferID.map(Ref.init),
                                   sale: state?.saleID.map(Ref.init), employee: state?.employee)
            }
        }
        return Envelope.json(rows)
    }

    static func scan(_ call: APICall) async throws -> Response {
        let caller = try call.caller()
        let body = try await call.body()
        let name = try Fields.requiredText(body, "station")
        let code = try Fields.requiredText(body, "code")
        guard code.utf8.count <= 4096 else { throw APIError.badRequest("'code' is \(code.utf8.count) bytes; a scan holds at most 4096") }
        guard let desk = call.services.stations,
              let station = desk.stations.first(where: { $0.name == name && $0.licenseID == caller.licenseID }) else {
            throw APIError.notFound("no station '\(name)' for this license")
        }
        if station.kind == "dock" { try DockPage.allow(caller) }
        // A screen's budtender cannot take a line off by posting the command barcode: VOID-LAST
        // needs a manager (signed in, or their PIN on the kiosk's screen: POST /kiosk/NAME/void-last).
        // At a dock it takes back the last count, the receiver's own.
        if station.kind == "kiosk", code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "LOTBOX:VOID-LAST" {
            try caller.requireManager("VOID-LAST (taking the last line off a sale)")
        }
        let device = "api:\(caller.contactID)"
        // A member of staff scanning at a screen is who works the station: the actor on its sales.
        let staff = caller.role != nil ? caller.contactID : nil
        let decision = try await call.onStore { _ in
            if let staff, let screens = desk as? any KioskDesk { try screens.employeeAt(station: name, contactID: staff) }
            return try desk.scan(station: name, code: code, device: device)
        }
        call.services.events.ring()
        return Envelope.json(ScanJSON(decision))
    }
}

struct StationJSON: Encodable {
    let name: String
    let kind: String
    let transfer: Ref?
    let sale: Ref?
    let employee: String?
}

struct ScanJSON: Encodable {
    let scan: Int64
    let recognized: String
    let outcome: String?
    let action: String?
    let message: String?
    let object_type: String?
    let object_id: String?

    init(_ decision: ScanDecision) {
        scan = decision.scanID
        recognized = decision.summary
        outcome = decision.event?.outcome.rawValue
        action = decision.event?.action
        message = decision.event?.message
        object_type = decision.event?.objectType
        object_id = decision.event?.objectID
    }
}

extension StationRoutes {
    typealias Operation = OpenAPIDocument.Operation
    typealias D = OpenAPIDocument

    static var operations: [Operation] {
        [
            Operation(method: "GET", path: "/station", summary: "This license's stations and what each has open", open: false, body: nil,
                      replies: ["200": D.reply("stations", D.list(D.station)), "401": D.error]),
            Operation(method: "POST", path: "/scan", summary: "A scan at a station, from a network or browser-attached scanner", open: false,
                      body: D.body(D.scanIn), replies: ["200": D.reply("the scan and the station's decision", D.scanOut)].merging(D.writeErrors) { a, _ in a }),
        ]
    }
}
