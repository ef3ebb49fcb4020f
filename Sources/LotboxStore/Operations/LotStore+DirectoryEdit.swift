import GRDB

/// Editing the directory every license reads: a company's and a contact's details. Each edit is
/// checked as an add is, takes the hash the caller read (`ifMatch`), and leaves an audit line
/// with the old and new values.
extension LotStore {
    /// Changes a company's name or code (an empty code clears it).
    public func setCompany(_ key: String, name: String? = nil, code: String? = nil, ifMatch: String? = nil,
                           actor: String) throws -> Company {
        guard name != nil || code != nil else { throw StoreError.invalid("nothing to change; give name or code") }
        if let name { try requireName(name, "company name") }
        if let code, !code.isEmpty { try requireName(code, "company code") }
        return try write { db in
            let id = try resolveCompany(db, key)
            let old = try Company.find(db, key: id)
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "company", id: id)
            var new = old
            new.name = name ?? old.name
            new.code = code.map { $0.isEmpty ? nil : $0 } ?? old.code
            guard new != old else { return old }
            try db.execute(sql: "UPDATE company SET name = ?, code = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [new.name, new.code, id])
            try audit(db, actor: actor, action: "set", objectType: "company", objectID: id,
                      detail: Self.changed([("name", old.name, new.name), ("code", old.code, new.code)]))
            return try Company.find(db, key: id)
        }
    }

    /// Changes a contact's name, type, email or phone (an empty email or phone clears it).
    public func setContact(_ id: String, name: String? = nil, type: String? = nil, email: String? = nil, phone: String? = nil,
                           ifMatch: String? = nil, actor: String) throws -> Contact {
        guard name != nil || type != nil || email != nil || phone != nil else {
            throw StoreError.invalid("nothing to change; give name, type, email or phone")
        }
        if let name { try requireName(name, "contact name") }
        for (field, value) in [("email", email), ("phone", phone)] {
            if let value, !value.isEmpty { try requireName(value, "contact \(field)") }
        }
        let canonicalType = try type.map { given in
            guard let match = LotStore.contactTypes.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw StoreError.invalid("contact type '\(given)' is unknown; expected one of \(LotStore.contactTypes.joined(separator: ", "))")
            }
            return match
        }
        return try write { db in
            guard let old = try Contact.fetchOne(db, key: id) else { throw StoreError.notFound(kind: "contact", key: id) }
            try requireUnchanged(old.hash, ifMatch: ifMatch, kind: "contact", id: id)
            var new = old
            new.name = name ?? old.name
            new.type = canonicalType ?? old.type
            new.email = email.map { $0.isEmpty ? nil : $0 } ?? old.email
            new.phone = phone.map { $0.isEmpty ? nil : $0 } ?? old.phone
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE contact SET name = ?, type = ?, email = ?, phone = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [new.name, new.type, new.email, new.phone, id])
            try audit(db, actor: actor, action: "set", objectType: "contact", objectID: id,
                      detail: Self.changed([("name", old.name, new.name), ("type", old.type, new.type),
                                            ("email", old.email, new.email), ("phone", old.phone, new.phone)]))
            return try Contact.find(db, key: id)
        }
    }

    /// "old -> new" for each field that changed, for the audit line.
    static func changed(_ fields: [(String, String?, String?)]) -> [String: String] {
        var detail: [String: String] = [:]
        for (field, before, after) in fields where before != after {
            detail[field] = "\(before ?? "none") -> \(after ?? "none")"
        }
        return detail
    }
}
