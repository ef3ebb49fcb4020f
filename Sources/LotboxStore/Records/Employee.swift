/// What a member of staff may do at the screens. Voiding a sale or a lot and cancelling print
/// jobs need a manager (or an admin); the others sell, receive and print.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    case budtender, receiver, manager, admin

    public var isManager: Bool { self == .manager || self == .admin }

    /// The role named in any case, or a one-line refusal listing the four.
    public static func named(_ text: String) throws -> StaffRole {
        guard let role = StaffRole(rawValue: text.lowercased()) else {
            throw StoreError.invalid("role '\(text)' is unknown; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }
}

/// An employee as lists and screens show them: the contact, the license they work for, the role.
/// The secret's hash is never part of it.
public struct Employee: Sendable, Equatable {
    public var contactID: String
    public var name: String
    public var licenseID: String
    public var role: StaffRole
    public var active: Bool

    public init(contactID: String, name: String, licenseID: String, role: StaffRole, active: Bool) {
        self.contactID = contactID
        self.name = name
        self.licenseID = licenseID
        self.role = role
        self.active = active
    }
}

/// A staff page session as the store keeps it: hashes of the cookie and the CSRF token, who
/// signed in (and for which license, in which role), from which device, and its clock.
public struct PageSession: Sendable, Equatable {
    public var sidHash: String
    public var csrfHash: String
    public var contactID: String
    public var companyID: String
    public var licenseID: String
    public var role: StaffRole
    public var device: String
    public var lastSeen: Int64
    public var expiresAt: Int64

    public init(sidHash: String, csrfHash: String, contactID: String, companyID: String, licenseID: String, role: StaffRole,
                device: String, lastSeen: Int64, expiresAt: Int64) {
        self.sidHash = sidHash
        self.csrfHash = csrfHash
        self.contactID = contactID
        self.companyID = companyID
        self.licenseID = licenseID
        self.role = role
        self.device = device
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
    }
}
