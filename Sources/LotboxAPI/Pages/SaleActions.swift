import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// A sale's void from its back-office page (`POST /sales/{id}/void`), in the two steps of the
/// API's `DELETE /b2c/{id}` and through the same store operation (`deleteSale`): the first asks
/// for it (stat 423), the second voids the sale and puts its stock back on its lots through the
/// ledger. It needs a manager (`ManagerApproval`): the one signed in, or a manager's name and
/// PIN typed on the same screen. The signed-in employee stays the actor; the approval is the note.
/// Answered 202 then 200 (not the API's 423 and 410), so the page's fetch is not a console error.
enum SaleActions {
    static func void(_ call: APICall) async throws -> Response {
        let caller = try await SessionGate.caller(call.request, services: call.services)
        let id = try call.parameter("id")
        let body = try await call.body()
        let approval = try await ManagerApproval.require("voiding a sale", caller: caller, body: body, device: call.context.remoteAddress,
                                                         services: call.services)
        let license = caller.licenseID
        guard let sale = try await call.readStore({ try $0.apiSale(id: id, license: license) }) else {
            throw APIError.notFound("no sale \(id) for this license")
        }
        // An open sale is the kiosk's to cancel; this page voids what was paid.
        guard sale.sale.stat == Stat.live || sale.sale.stat == Stat.voidConfirmed else {
            throw APIError.conflict("sale \(id) is \(SalesPage.state(sale.sale)); only a paid sale can be voided")
        }
        let note = approval.note
        let outcome = try await call.onStore { try $0.deleteSale(id: sale.sale.id, license: license, actor: caller.actor, note: note) }
        call.services.events.ring()
        switch outcome {
        case .voidRequested:
            return Envelope.reply(["id": sale.sale.id, "stat": 423], meta: ["note": "void requested; confirm it to void the sale"], status: .accepted)
        case .voided:
            return Envelope.reply(["id": sale.sale.id, "stat": 410], meta: ["note": "voided; its stock is back on its lots"])
        case .canceled, .discarded, .alreadyGone:
            throw APIError.conflict("sale \(id) changed meanwhile and was not voided; reload the page")
        }
    }
}
