import GRDB
import LotboxCore

/// Companies, licenses, sections, varieties, contacts: the objects lots refer to.
extension LotStore {
    /// Adds a company. `id`, when given, is the caller's choice (see ``replayed``): the same
    /// company added again under it is returned as it is.
    public func addCompany(name: String, code: String? = nil, id chosen: String? = nil, actor: String) throws -> Company {
        try requireName(name, "company name")
        if let chosen { try LotStore.requireChosenID(chosen, "company") }
        return try write { db in
            if let chosen, let existing = try replayed(db, Company.self, kind: "company", id: chosen, differences: {
                LotStore.differs("name", $0.name, name) + LotStore.differs("code", $0.code, code)
            }) { return existing }
            let id = try chosen ?? issueID(db)
            try db.execute(sql: "INSERT INTO company (id, name, code) VALUES (?, ?, ?)", arguments: [id, name, code])
            try audit(db, actor: actor, action: "create", objectType: "company", objectID: id)
            return try Company.find(db, key: id)
        }
    }

    /// Adds a license. Without `companyKey`, a company of the same name is made for it.
    public func addLicense(name: String, code: String?, typeKey: String, companyKey: String? = nil,
                           id chosen: String? = nil, actor: String) throws -> License {
        try requireName(name, "license name")
        if let chosen { try LotStore.requireChosenID(chosen, "license") }
        guard let type = WellKnown.licenseTypes.first(where: { $0.key == typeKey.lowercased() || $0.id == typeKey }) else {
            throw StoreError.invalid("license type '\(typeKey)' is unknown; expected one of \(WellKnown.licenseTypes.map(\.key).joined(separator: ", "))")
        }
        return try write { db in
            let givenCompany = try companyKey.map { try resolveCompany(db, $0) }
            if let chosen, let existing = try replayed(db, License.self, kind: "license", id: chosen, differences: {
                LotStore.differs("name", $0.name, name) + LotStore.differs("code", $0.code, code)
                    + LotStore.differs("type", $0.type, type.id) + (givenCompany == nil ? [] : LotStore.differs("company", $0.companyId, givenCompany))
            }) { return existing }
            if let givenCompany { try refuseDeletedPartner(db, "company", givenCompany) }
            if let code, try Bool.fetchOne(db, sql: "SELECT 1 FROM license WHERE code = ?", arguments: [code]) == true {
                throw StoreError.conflict("license code '\(code)' is already in the store")
            }
            let companyID: String
            if let givenCompany {
                companyID = givenCompany
            } else {
                companyID = try issueID(db)
                try db.execute(sql: "INSERT INTO company (id, name) VALUES (?, ?)", arguments: [companyID, name])
            }
            let id = try chosen ?? issueID(db)
            try db.execute(sql: "INSERT INTO license (id, company_id, code, name, type) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, companyID, code, name, type.id])
            try audit(db, actor: actor, action: "create", objectType: "license", objectID: id)
            return try License.find(db, key: id)
        }
    }

    public func addSection(name: String, type: SectionType = .inventory, licenseKey: String? = nil,
                           id chosen: String? = nil, actor: String) throws -> Section {
        try requireName(name, "section name")
        if let chosen { try LotStore.requireChosenID(chosen, "section") }
        return try write { db in
            let licenseID = try licenseKey.map { try resolveLicense(db, $0) }
            if let chosen, let existing = try replayed(db, Section.self, kind: "section", id: chosen, differences: {
                LotStore.differs("license", $0.licenseId, licenseID) + LotStore.differs("name", $0.name, name)
                    + LotStore.differs("type", $0.type, type.rawValue)
            }) { return existing }
            try refuseDuplicateName(db, table: "section", name: name, license: licenseID)
            let id = try chosen ?? issueID(db)
            try db.execute(sql: "INSERT INTO section (id, license_id, name, type) VALUES (?, ?, ?, ?)",
                           arguments: [id, licenseID, name, type.rawValue])
            try audit(db, actor: actor, action: "create", objectType: "section", objectID: id)
            return try Section.find(db, key: id)
        }
    }

    public static let varietyTypes = ["Hemp", "Hybrid", "Indica", "Sativa", "Ruderalis"]

    public func addVariety(name: String, type: String? = nil, licenseKey: String? = nil, id chosen: String? = nil,
                           actor: String) throws -> Variety {
        try requireName(name, "variety name")
        if let chosen { try LotStore.requireChosenID(chosen, "variety") }
        let canonicalType = try type.map { given in
            guard let match = LotStore.varietyTypes.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw StoreError.invalid("variety type '\(given)' is unknown; expected one of \(LotStore.varietyTypes.joined(separator: ", "))")
            }
            return match
        }
        return try write { db in
            let licenseID = try licenseKey.map { try resolveLicense(db, $0) }
            if let chosen, let existing = try replayed(db, Variety.self, kind: "variety", id: chosen, differences: {
                LotStore.differs("license", $0.licenseId, licenseID) + LotStore.differs("name", $0.name, name)
                    + LotStore.differs("type", $0.type, canonicalType)
            }) { return existing }
            try refuseDuplicateName(db, table: "variety", name: name, license: licenseID)
            let id = try chosen ?? issueID(db)
            try db.execute(sql: "INSERT INTO variety (id, license_id, name, type) VALUES (?, ?, ?, ?)",
                           arguments: [id, licenseID, name, canonicalType])
            try audit(db, actor: actor, action: "create", objectType: "variety", objectID: id)
            return try Variety.find(db, key: id)
        }
    }

    public static let contactTypes = ["Caregiver", "Client", "Driver", "Employee", "Manager", "Owner", "Patient", "User", "Vendor"]

    public func addContact(name: String, type: String, companyKey: String, email: String? = nil,
                           phone: String? = nil, id chosen: String? = nil, actor: String) throws -> Contact {
        try requireName(name, "contact name")
        if let chosen { try LotStore.requireChosenID(chosen, "contact") }
        guard let canonicalType = LotStore.contactTypes.first(where: { $0.lowercased() == type.lowercased() }) else {
            throw StoreError.invalid("contact type '\(type)' is unknown; expected one of \(LotStore.contactTypes.joined(separator: ", "))")
        }
        return try write { db in
            let companyID = try resolveCompany(db, companyKey)
            if let chosen, let existing = try replayed(db, Contact.self, kind: "contact", id: chosen, differences: {
                LotStore.differs("company", $0.companyId, companyID) + LotStore.differs("type", $0.type, canonicalType)
                    + LotStore.differs("name", $0.name, name) + LotStore.differs("email", $0.email, email)
                    + LotStore.differs("phone", $0.phone, phone)
            }) { return existing }
            try refuseDeletedPartner(db, "company", companyID)
            let id = try chosen ?? issueID(db)
            try db.execute(sql: "INSERT INTO contact (id, company_id, type, name, email, phone) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, companyID, canonicalType, name, email, phone])
            try audit(db, actor: actor, action: "create", objectType: "contact", objectID: id)
            return try Contact.find(db, key: id)
        }
    }

    // MARK: - Lists (the well-known system rows are left out)

    public func companies() throws -> [Company] { try list(Company.self) }
    public func licenses() throws -> [License] { try list(License.self) }
    public func sections() throws -> [Section] { try list(Section.self) }
    public func varieties() throws -> [Variety] { try list(Variety.self) }
    public func contacts() throws -> [Contact] { try list(Contact.self) }

    func list<Record: StoreRecord & TableRecord>(_ type: Record.Type) throws -> [Record] {
        try read { db in
            try Record.fetchAll(db, sql: "SELECT * FROM \(Record.databaseTableName) WHERE id NOT LIKE '018NY6XC00%' ORDER BY name")
        }
    }

    func requireText(_ text: String, _ what: String) throws {
        if text.trimmingWhitespace().isEmpty { throw StoreError.invalid("\(what) is empty; expected some text") }
    }

    /// A name a label, a receipt and a screen will show: some text, at most 200 characters, no
    /// control characters (a 9 KB product name once made every label of it fail).
    func requireName(_ text: String, _ what: String) throws {
        try requireText(text, what)
        try requirePrintable(text, what, limit: LotStore.maximumNameLength)
    }

    /// A note kept in the ledger or the audit log: some text, at most 2,000 characters, no
    /// control characters but line breaks and tabs.
    func requireNote(_ text: String, _ what: String) throws {
        try requireText(text, what)
        try requirePrintable(text, what, limit: LotStore.maximumNoteLength, allowing: ["\n", "\t"])
    }

    public static let maximumNameLength = 200
    public static let maximumNoteLength = 2_000

    func requirePrintable(_ text: String, _ what: String, limit: Int, allowing: Set<Character> = []) throws {
        if text.count > limit {
            throw StoreError.invalid("\(what) '\(text.prefix(24))…' is \(text.count) characters long; expected at most \(limit)")
        }
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control && !allowing.contains(Character($0)) }) {
            let code = "U+" + String(format: "%04X", bad.value)
            throw StoreError.invalid("\(what) '\(text.prefix(40).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())' contains the control character \(code); expected printable text")
        }
    }

    /// Refuses a section, variety or product name `license` already sees: one of its own rows
    /// or a row without a license. A row without a license (`license` nil) is every license's,
    /// so its name may be nobody's yet. `excluding` is the row being renamed.
    func refuseDuplicateName(_ db: Database, table: String, name: String, license: String?, excluding: String? = nil) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, name, license_id FROM \(table)
             WHERE name = ? COLLATE NOCASE AND (?2 IS NULL OR license_id IS NULL OR license_id = ?2) AND id IS NOT ?3 LIMIT 1
            """), arguments: [name, license, excluding]) else { return }
        let existing: String = row["name"]
        let owner: String? = row["license_id"]
        switch (owner, license) {
        case (let owner?, nil):
            throw StoreError.conflict("\(table) '\(existing)' already exists under \(try licenseLabel(db, owner)); a \(table) without a license is every license's, so its name must be free under all of them; give a license or another name")
        case (nil, _):
            throw StoreError.conflict("\(table) '\(existing)' already exists for every license (\(row["id"] as String) has no license); choose another name")
        case (let owner?, _):
            throw StoreError.conflict("\(table) '\(existing)' already exists under \(try licenseLabel(db, owner)); choose another name")
        }
    }
}
