import GRDB
import LotboxCore

/// Deleting a partner from the directory in OpenTHC's two steps (stat 410, then 423, then
/// nothing changes), refused while anything live still leans on it: a box must not lose the
/// license its stock, its open transfers or a signed-in session belong to. Rows are kept (lots,
/// sales and the audit log name them); only their state moves, and a confirmed delete keeps the
/// company, license or contact from opening new sessions.
extension LotStore {
    /// A company is refused while it has a license or a contact not deleted, or a session is
    /// open under it: its licenses and people go first.
    public func deleteCompany(id: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteFromDirectory("company", id: id, ifMatch: ifMatch, actor: actor, hash: { RowHash.company(try Company.find($0, key: id)) }) { db in
            var uses: [String] = []
            let licenses = try count(db, "SELECT count(*) FROM license WHERE company_id = ? AND stat NOT IN (410, 423)", id)
            if licenses > 0 { uses.append("\(licenses) license(s) not deleted") }
            let contacts = try count(db, "SELECT count(*) FROM contact WHERE company_id = ? AND stat NOT IN (410, 423)", id)
            if contacts > 0 { uses.append("\(contacts) contact(s) not deleted") }
            let sessions = try count(db, "SELECT count(*) FROM api_session WHERE company_id = ? AND expires_at >= CAST(strftime('%s','now') AS INTEGER)", id)
            if sessions > 0 { uses.append("\(sessions) open API session(s)") }
            return uses
        }
    }

    /// A license is refused while it holds stock (a live lot with some quantity), has a transfer
    /// not finished (outgoing not committed, incoming not accepted), an open sale, or a session.
    public func deleteLicense(id: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteFromDirectory("license", id: id, ifMatch: ifMatch, actor: actor, hash: { RowHash.license(try License.find($0, key: id)) }) { db in
            var uses: [String] = []
            let lots = try count(db, "SELECT count(*) FROM inventory WHERE license_id = ? AND stat = 200 AND qty > 0", id)
            if lots > 0 { uses.append("\(lots) live lot(s) holding stock") }
            let outgoing = try count(db, "SELECT count(*) FROM b2b_outgoing WHERE (source_license_id = ?1 OR target_license_id = ?1) AND stat IN (100, 200)", id)
            let incoming = try count(db, "SELECT count(*) FROM b2b_incoming WHERE (source_license_id = ?1 OR target_license_id = ?1) AND stat IN (100, 200)", id)
            if outgoing + incoming > 0 { uses.append("\(outgoing + incoming) open transfer(s)") }
            let sales = try count(db, "SELECT count(*) FROM b2c_sale WHERE license_id = ? AND stat = 100", id)
            if sales > 0 { uses.append("\(sales) open sale(s)") }
            let sessions = try count(db, "SELECT count(*) FROM api_session WHERE license_id = ? AND expires_at >= CAST(strftime('%s','now') AS INTEGER)", id)
            if sessions > 0 { uses.append("\(sessions) open API session(s)") }
            return uses
        }
    }

    /// A contact is refused while a session acts as it or an open sale is its.
    public func deleteContact(id: String, ifMatch: String? = nil, actor: String) throws -> DeleteStep {
        try deleteFromDirectory("contact", id: id, ifMatch: ifMatch, actor: actor, hash: { RowHash.contact(try Contact.find($0, key: id)) }) { db in
            var uses: [String] = []
            let sessions = try count(db, "SELECT count(*) FROM api_session WHERE contact_id = ? AND expires_at >= CAST(strftime('%s','now') AS INTEGER)", id)
            if sessions > 0 { uses.append("\(sessions) open API session(s) acting as it") }
            let sales = try count(db, "SELECT count(*) FROM b2c_sale WHERE contact_id = ? AND stat = 100", id)
            if sales > 0 { uses.append("\(sales) open sale(s)") }
            return uses
        }
    }

    /// A partner whose delete was confirmed takes nothing new: no transfer, no sale, no license
    /// or contact under it (its old rows keep naming it).
    func refuseDeletedPartner(_ db: Database, _ table: String, _ id: String) throws {
        if try Int.fetchOne(db.cachedStatement(sql: "SELECT stat FROM \(table) WHERE id = ?"), arguments: [id]) == Stat.voidConfirmed {
            throw StoreError.conflict("\(table) \(id) was deleted from the directory; it takes nothing new")
        }
    }

    private func count(_ db: Database, _ sql: String, _ id: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) ?? 0
    }

    /// One step of a directory delete. The well-known rows every store has are not anyone's to
    /// delete. A confirmed row answers `.locked` without a check: nothing changes any more.
    private func deleteFromDirectory(_ table: String, id: String, ifMatch: String?, actor: String, hash: (Database) throws -> String,
                                     uses: (Database) throws -> [String]) throws -> DeleteStep {
        try write { db in
            guard let stat = try Int.fetchOne(db.cachedStatement(sql: "SELECT stat FROM \(table) WHERE id = ?"), arguments: [id]) else {
                throw StoreError.notFound(kind: table, key: id)
            }
            guard !id.hasPrefix(WellKnown.prefix) else {
                throw OperationRefused("shared", "\(table) \(id) is one of the store's own well-known rows; it cannot be deleted")
            }
            if stat == Stat.voidConfirmed { return .locked }
            try requireUnchanged(try hash(db), ifMatch: ifMatch, kind: table, id: id)
            let using = try uses(db)
            guard using.isEmpty else {
                throw OperationRefused("in-use", "\(table) \(id) is still in use: \(using.joined(separator: ", ")); finish or delete those first")
            }
            let step: DeleteStep = stat == Stat.voidRequested ? .confirmed : .requested
            try db.execute(sql: "UPDATE \(table) SET stat = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [step == .confirmed ? Stat.voidConfirmed : Stat.voidRequested, id])
            if step == .confirmed {
                try db.execute(sql: "UPDATE \(table) SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", arguments: [id])
            }
            try audit(db, actor: actor, action: "delete-\(step.rawValue)", objectType: table, objectID: id)
            return step
        }
    }
}
