import LotboxStore

/// Who is calling, whichever way they signed in (a v2024 session of a program, or a staff page
/// session of the screens): the license the call acts for, the contact recorded as the actor,
/// the session, and for staff their role.
public struct Caller: Sendable, Equatable {
    public let licenseID: String
    public let companyID: String
    public let contactID: String
    public let service: String
    public let sidHash: String
    /// A member of staff's role; nil for a program's v2024 session, which acts with the rights
    /// its client key was given.
    public var role: StaffRole? = nil

    /// How the store's ledger and audit log name this actor.
    public var actor: String { "contact:\(contactID)" }

    /// Voiding a sale or a lot, cancelling print jobs and deleting records need a manager: a
    /// budtender or receiver signed in at a screen is refused (403, saying so).
    public func requireManager(_ what: String) throws {
        if let role, !role.isManager {
            throw APIError.forbidden("\(what) needs a manager; you are signed in as \(role.rawValue)")
        }
    }
}
