import Foundation
import Hummingbird
import LotboxStore

/// A manager's approval of one act at a screen (a lot's void, a sale's void, VOID-LAST): the
/// manager signed in, or, when a budtender or receiver is signed in, a manager's name and PIN
/// typed on the same screen. The PIN is checked as a sign-in checks it (`StaffRoutes.checkSecret`),
/// so wrong ones count toward that manager's lockout on this device. A wrong one is a 403, not a
/// 401: the screen's own session is fine; it is the approval that failed.
struct ManagerApproval: Sendable {
    /// The manager who typed their PIN; nil when the caller is a manager (or a program).
    let approver: Employee?

    /// The approval `what` (e.g. "voiding a sale") needs, from the caller or the body's
    /// `manager` and `pin`.
    static func require(_ what: String, caller: Caller, body: BodyValue, device: String, services: APIServices) async throws -> ManagerApproval {
        guard let role = caller.role, !role.isManager else { return ManagerApproval(approver: nil) }
        guard let manager = try Fields.optionalText(body, "manager"), let pin = try Fields.optionalText(body, "pin") else {
            throw APIError.forbidden("\(what) needs a manager; you are signed in as \(role.rawValue): a manager enters their name and PIN")
        }
        let employee: Employee
        do {
            employee = try await StaffRoutes.checkSecret(key: manager, secret: pin, device: device, services: services)
        } catch let error as APIError where error.status == .unauthorized {
            throw APIError.forbidden("the manager or the PIN is wrong; \(what) needs a manager's name and PIN")
        }
        guard employee.licenseID == caller.licenseID, employee.role.isManager else {
            throw APIError.forbidden("\(employee.name) is a \(employee.role.rawValue), not a manager; \(what) needs a manager")
        }
        return ManagerApproval(approver: employee)
    }

    /// How the approval reads in a note: nil when the caller approved it by being a manager.
    var note: String? {
        approver.map { "approved by \($0.name) (contact:\($0.contactID)) with a manager's PIN" }
    }
}
