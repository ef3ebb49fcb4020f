import Foundation
import Hummingbird
import LotboxStore

/// The kiosk's buttons that are more than a command barcode: PAY with the tender taken,
/// VOID-LAST, which needs a manager (the one signed in, or a manager's PIN typed on the same
/// screen), and a receipt reprint.
/// Both are writes behind the page session's CSRF token, answered in the API's envelope.
enum KioskActions {
    /// `{manager, pin}` when the signed-in employee is not a manager. The PIN is checked as a
    /// sign-in checks it (wrong ones lock that manager on this device only), and the line is
    /// taken off through the station's own path, as the VOID-LAST barcode does.
    static func voidLast(_ call: APICall) async throws -> Response {
        let caller = try await SessionGate.caller(call.request, services: call.services)
        let name = try call.parameter("station")
        let desk = try kiosk(name, caller, call.services)
        let body = try await call.body()
        let approval = try await ManagerApproval.require("VOID-LAST", caller: caller, body: body, device: call.context.remoteAddress,
                                                         services: call.services)
        let approver = approval.approver.map { "contact:\($0.contactID)" } ?? caller.actor
        let device = "page:\(caller.contactID) approved-by:\(approver)"
        let decision = try await call.onStore { _ in try desk.scan(station: name, code: "LOTBOX:VOID-LAST", device: device) }
        call.services.events.ring()
        return Envelope.json(ScanJSON(decision))
    }

    /// `{tender, cash_given}` from the PAY dialog: the open sale is paid as the PAY barcode pays
    /// it (the scan log, the station's taxes and receipt), with the tender recorded on the sale.
    /// A bad tender is a 400 and nothing is scanned; cash short of the total is the station's
    /// refusal (the sale stays open), answered like any scan's.
    static func pay(_ call: APICall) async throws -> Response {
        let caller = try await SessionGate.caller(call.request, services: call.services)
        let name = try call.parameter("station")
        guard let desk = try kiosk(name, caller, call.services) as? any KioskDesk else {
            throw APIError.notFound("no kiosk '\(name)' for this license")
        }
        let tender = try B2CRoutes.tender(try await call.body())
        let decision = try await call.onStore { _ in
            // As at /scan: the employee paying at the screen is who works the kiosk (the sale's actor).
            if caller.role != nil { try desk.employeeAt(station: name, contactID: caller.contactID) }
            return try desk.pay(station: name, tender: tender, device: "api:\(caller.contactID)")
        }
        call.services.events.ring()
        return Envelope.json(ScanJSON(decision))
    }

    static func reprint(_ call: APICall) async throws -> Response {
        let caller = try await SessionGate.caller(call.request, services: call.services)
        let name = try call.parameter("station")
        guard let desk = try kiosk(name, caller, call.services) as? any KioskDesk else {
            throw APIError.notFound("no kiosk '\(name)' for this license")
        }
        let job = try await call.onStore { _ in try desk.reprintReceipt(station: name, actor: caller.actor) }
        return Envelope.reply(["print_job": job.id, "printer": job.printer, "sale": job.objectId ?? ""], status: .created)
    }

    static func kiosk(_ name: String, _ caller: Caller, _ services: APIServices) throws -> any StationDesk {
        guard let desk = services.stations,
              desk.stations.contains(where: { $0.name == name && $0.kind == "kiosk" && $0.licenseID == caller.licenseID }) else {
            throw APIError.notFound("no kiosk '\(name)' for this license")
        }
        return desk
    }
}
