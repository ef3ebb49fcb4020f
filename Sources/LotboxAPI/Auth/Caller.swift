/// Who is calling, whichever way they signed in (a v2024 session today; a staff page session
/// later): the license the call acts for, the contact recorded as the actor, and the session.
public struct Caller: Sendable, Equatable {
    public let licenseID: String
    public let companyID: String
    public let contactID: String
    public let service: String
    public let sidHash: String

    /// How the store's ledger and audit log name this actor.
    public var actor: String { "contact:\(contactID)" }
}
