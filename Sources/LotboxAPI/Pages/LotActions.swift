import Foundation
import Hummingbird
import LotboxCore
import LotboxStore

/// The lot page's void, in OpenTHC's two steps (the first marks the lot, the second confirms and
/// locks it), through the store's `voidLot` as `DELETE /inventory/{id}` does. Voiding needs a
/// manager: the one signed in, or, when a budtender or receiver is signed in, a manager's name
/// and PIN typed on the same screen (checked as a sign-in checks it: wrong ones lock that
/// manager on this device). The signed-in employee stays the actor; the approval is in the note.
enum LotActions {
    static func void(_ call: APICall) async throws -> Response {
        let caller = try await SessionGate.caller(call.request, services: call.services)
        let id = try call.parameter("id")
        let body = try await call.body()
        let approval = try await ManagerApproval.require("voiding a lot", caller: caller, body: body, device: call.context.remoteAddress,
                                                         services: call.services)
        let note = approval.note ?? "voided at a screen"
        let license = caller.licenseID
        guard let view = try await call.readStore({ try $0.lotView(id: id, license: license) }) else {
            throw APIError.notFound("no lot \(id) for this license")
        }
        if view.lot.stat == Stat.voidConfirmed {
            throw APIError(.init(code: 423, reasonPhrase: "Locked"), "lot \(id) is already void and locked")
        }
        let outcome = try await call.onStore { try $0.voidLot(view.lot.id, note: note, actor: caller.actor) }
        call.services.events.ring()
        switch outcome {
        case .requested:
            return Envelope.reply(["id": id, "stat": 410], meta: ["note": "void requested; confirm it to make it final"], status: .accepted)
        case .confirmed:
            return Envelope.reply(["id": id, "stat": 423], meta: ["note": "void confirmed"])
        }
    }
}
