import Foundation
import GRDB

/// A REST API session as the store keeps it: who opened it (service, client key), for whom it
/// acts (contact, company, license) and until when (unix seconds).
public struct APISession: Sendable, Equatable {
    public var sidHash: String
    public var service: String
    public var clientKey: String
    public var contactID: String
    public var companyID: String
    public var licenseID: String
    public var expiresAt: Int64

    public init(sidHash: String, service: String, clientKey: String, contactID: String, companyID: String, licenseID: String, expiresAt: Int64) {
        self.sidHash = sidHash
        self.service = service
        self.clientKey = clientKey
        self.contactID = contactID
        self.companyID = companyID
        self.licenseID = licenseID
        self.expiresAt = expiresAt
    }
}

extension LotStore {
    /// Opens a session in one transaction: the box's nonce must be new (a replayed box is
    /// refused, across restarts), the identity must hold (contact and company exist, the
    /// license belongs to the company), and expired sessions and nonces are forgotten on the way.
    public func openSession(_ session: APISession, nonce: String, forgetNonceAfter: Int64, now: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM api_nonce WHERE forget_after < ?").execute(arguments: [now])
            try db.cachedStatement(sql: "DELETE FROM api_session WHERE expires_at < ?").execute(arguments: [now])
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM api_nonce WHERE nonce = ?"), arguments: [nonce]) == true {
                throw OperationRefused("replayed", "this box was already used to open a session")
            }
            try checkIdentity(db, contact: session.contactID, company: session.companyID, license: session.licenseID)
            try db.cachedStatement(sql: "INSERT INTO api_nonce (nonce, forget_after) VALUES (?, ?)").execute(arguments: [nonce, forgetNonceAfter])
            try db.cachedStatement(sql: """
                INSERT INTO api_session (sid_hash, service, client_key, contact_id, company_id, license_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)
                """).execute(arguments: [session.sidHash, session.service, session.clientKey, session.contactID,
                                         session.companyID, session.licenseID, session.expiresAt])
        }
    }

    /// The live session with this sid hash, or nil (unknown, shut or expired).
    public func session(sidHash: String, now: Int64) throws -> APISession? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_session WHERE sid_hash = ? AND expires_at >= ?"),
                             arguments: [sidHash, now]).map { row in
                APISession(sidHash: row["sid_hash"], service: row["service"], clientKey: row["client_key"], contactID: row["contact_id"],
                           companyID: row["company_id"], licenseID: row["license_id"], expiresAt: row["expires_at"])
            }
        }
    }

    /// Ends a session at once: its sid is refused from then on.
    public func shutSession(sidHash: String) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM api_session WHERE sid_hash = ?").execute(arguments: [sidHash])
        }
    }

    /// Refuses an identity that does not hold, with the reason a 401's note gives.
    func checkIdentity(_ db: Database, contact: String, company: String, license: String) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM contact WHERE id = ? AND stat <> 423"), arguments: [contact]) == true else {
            throw OperationRefused("unknown-contact", "contact '\(contact)' is not known here (or was deleted)")
        }
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM company WHERE id = ? AND stat <> 423"), arguments: [company]) == true else {
            throw OperationRefused("unknown-company", "company '\(company)' is not known here (or was deleted)")
        }
        guard let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT company_id FROM license WHERE id = ? AND stat <> 423"), arguments: [license]) else {
            throw OperationRefused("unknown-license", "license '\(license)' is not known here (or was deleted)")
        }
        guard owner == company else {
            throw OperationRefused("license-not-in-company", "license '\(license)' does not belong to company '\(company)'")
        }
    }
}
