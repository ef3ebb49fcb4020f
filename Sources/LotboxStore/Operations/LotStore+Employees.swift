import GRDB

/// How wrong PINs lock an employee on one device: after `failuresBeforeLock` wrong ones, each
/// further one locks for `firstDelay` seconds, doubling each time up to `maximumDelay`.
public struct LockoutPolicy: Sendable, Equatable {
    public var failuresBeforeLock: Int
    public var firstDelay: Int64
    public var maximumDelay: Int64

    public init(failuresBeforeLock: Int = 5, firstDelay: Int64 = 30, maximumDelay: Int64 = 900) {
        self.failuresBeforeLock = failuresBeforeLock
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// Seconds locked after the `failures`-th wrong secret in a row (0: not locked yet).
    public func delay(afterFailures failures: Int) -> Int64 {
        guard failures >= failuresBeforeLock else { return 0 }
        let doublings = min(failures - failuresBeforeLock, 30)
        return min(firstDelay << Int64(doublings), maximumDelay)
    }
}

/// Staff: employees (contacts with a role and a hashed secret), the per-device count of wrong
/// secrets, and the page sessions of the screens. The store never sees a PIN: callers hash it
/// (libsodium's Argon2id) before it gets here and verify it against `employeeSecret`.
extension LotStore {
    /// Makes someone an employee of `licenseKey`: the contact `contactKey` of the license's
    /// company, or else a new contact named `name` of type Employee.
    public func addEmployee(name: String?, contactKey: String? = nil, licenseKey: String, role: StaffRole, secretHash: String,
                            actor: String) throws -> Employee {
        if let name { try requireName(name, "employee name") }
        return try write { db in
            let license = try resolveLicense(db, licenseKey)
            guard let company = try String.fetchOne(db, sql: "SELECT company_id FROM license WHERE id = ?", arguments: [license]) else {
                throw StoreError.notFound(kind: "license", key: licenseKey)
            }
            let contact: String
            if let contactKey {
                contact = try resolve(db, "contact", table: "contact", key: contactKey, columns: ["name", "email"])
                let theirs = try String.fetchOne(db, sql: "SELECT company_id FROM contact WHERE id = ?", arguments: [contact])
                guard theirs == company else {
                    throw StoreError.invalid("contact \(contactKey) is not of \(try licenseLabel(db, license))'s company; an employee works for their own company's license")
                }
            } else if let name {
                contact = try issueID(db)
                try db.execute(sql: "INSERT INTO contact (id, company_id, type, name) VALUES (?, ?, 'Employee', ?)", arguments: [contact, company, name])
                try audit(db, actor: actor, action: "create", objectType: "contact", objectID: contact)
            } else {
                throw StoreError.invalid("an employee needs a name or an existing contact")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM employee WHERE contact_id = ?", arguments: [contact]) == true {
                throw StoreError.conflict("contact \(contactKey ?? contact) is already an employee; change them with `lotbox employee set`")
            }
            // Staff sign in by name: two employees of one name on a box would lock both out of it.
            let named = try String.fetchOne(db, sql: "SELECT name FROM contact WHERE id = ?", arguments: [contact]) ?? ""
            if try Bool.fetchOne(db, sql: """
                SELECT 1 FROM employee JOIN contact ON contact.id = employee.contact_id
                WHERE contact.name = ? COLLATE NOCASE AND employee.contact_id != ?
                """, arguments: [named, contact]) == true {
                throw StoreError.conflict("an employee named '\(named)' already exists on this box; staff sign in by name, so give this one another (e.g. '\(named) B.')")
            }
            try db.execute(sql: "INSERT INTO employee (contact_id, license_id, role, secret_hash) VALUES (?, ?, ?, ?)",
                           arguments: [contact, license, role.rawValue, secretHash])
            try audit(db, actor: actor, action: "employee-add", objectType: "contact", objectID: contact, detail: ["role": role.rawValue, "license": license])
            return try requireEmployee(db, contact)
        }
    }

    /// Changes an employee's role, secret or whether they may sign in. A new secret, another
    /// role or a deactivation ends their open page sessions at once.
    public func setEmployee(_ key: String, role: StaffRole? = nil, secretHash: String? = nil, active: Bool? = nil,
                            actor: String) throws -> Employee {
        guard role != nil || secretHash != nil || active != nil else {
            throw StoreError.invalid("nothing to change; expected a role, a new PIN or password, or --active/--inactive")
        }
        return try write { db in
            let contact = try resolveEmployee(db, key)
            var detail: [String: String] = [:]
            if let role {
                try db.execute(sql: "UPDATE employee SET role = ? WHERE contact_id = ?", arguments: [role.rawValue, contact])
                detail["role"] = role.rawValue
            }
            if let secretHash {
                try db.execute(sql: "UPDATE employee SET secret_hash = ? WHERE contact_id = ?", arguments: [secretHash, contact])
                detail["secret"] = "changed"
            }
            if let active {
                try db.execute(sql: "UPDATE employee SET stat = ? WHERE contact_id = ?", arguments: [active ? 200 : 410, contact])
                detail["active"] = active ? "yes" : "no"
            }
            try db.execute(sql: "UPDATE employee SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE contact_id = ?", arguments: [contact])
            try db.execute(sql: "DELETE FROM page_session WHERE contact_id = ?", arguments: [contact])
            try audit(db, actor: actor, action: "employee-set", objectType: "contact", objectID: contact, detail: detail)
            return try requireEmployee(db, contact)
        }
    }

    /// Employees, by name; of one license when given.
    public func employees(license licenseKey: String? = nil) throws -> [Employee] {
        try read { db in
            let license = try licenseKey.map { try resolveLicense(db, $0) }
            return try Row.fetchAll(db, sql: """
                SELECT e.contact_id, c.name, e.license_id, e.role, e.stat FROM employee e JOIN contact c ON c.id = e.contact_id
                WHERE ? IS NULL OR e.license_id = ? ORDER BY c.name, e.contact_id
                """, arguments: [license, license]).compactMap(Self.employee)
        }
    }

    /// The employee `key` names (contact id or name) and their secret's hash, for a sign-in.
    public func employeeSecret(_ key: String) throws -> (employee: Employee, secretHash: String) {
        try read { db in
            let contact = try resolveEmployee(db, key)
            guard let hash = try String.fetchOne(db, sql: "SELECT secret_hash FROM employee WHERE contact_id = ?", arguments: [contact]) else {
                throw StoreError.notFound(kind: "employee", key: key)
            }
            return (try requireEmployee(db, contact), hash)
        }
    }

    /// The name a badge (`LOTBOX:EMPLOYEE:<id or name>`) stands for at a station of `licenseKey`:
    /// an active employee of that license, else a staff contact of its company (a shop that keeps
    /// no employee records; never a customer), by id or name in any case; nil for anybody else. A badge changes who
    /// acts, so it must name somebody who may.
    public func badgeHolder(_ key: String, licenseKey: String) throws -> String? {
        try read { db in
            let license = try resolveLicense(db, licenseKey)
            if let name = try String.fetchOne(db, sql: """
                SELECT contact.name FROM employee JOIN contact ON contact.id = employee.contact_id
                WHERE employee.license_id = ? AND employee.stat = 200 AND (contact.id = ? OR contact.name = ? COLLATE NOCASE)
                LIMIT 1
                """, arguments: [license, key, key]) {
                return name
            }
            return try String.fetchOne(db, sql: """
                SELECT contact.name FROM contact JOIN license ON license.company_id = contact.company_id
                WHERE license.id = ? AND contact.stat = 200 AND contact.type IN ('Employee','Manager','Owner','User')
                  AND (contact.id = ? OR contact.name = ? COLLATE NOCASE)
                  AND NOT EXISTS (SELECT 1 FROM employee WHERE employee.contact_id = contact.id AND employee.stat != 200)
                LIMIT 1
                """, arguments: [license, key, key])
        }
    }

    /// Until when (unix seconds) the employee is locked on this device; 0 or past: not locked.
    public func lockedUntil(contactID: String, device: String) throws -> Int64 {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT locked_until FROM employee_lockout WHERE contact_id = ? AND device = ?",
                               arguments: [contactID, device]) ?? 0
        }
    }

    /// Counts a wrong secret on this device and returns until when it now locks the employee there.
    public func recordWrongSecret(contactID: String, device: String, now: Int64, policy: LockoutPolicy) throws -> Int64 {
        try write { db in
            let failures = (try Int.fetchOne(db, sql: "SELECT failures FROM employee_lockout WHERE contact_id = ? AND device = ?",
                                             arguments: [contactID, device]) ?? 0) + 1
            let delay = policy.delay(afterFailures: failures)
            let until = delay > 0 ? now + delay : 0
            try db.execute(sql: """
                INSERT INTO employee_lockout (contact_id, device, failures, locked_until) VALUES (?, ?, ?, ?)
                ON CONFLICT (contact_id, device) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                """, arguments: [contactID, device, failures, until])
            if delay > 0 {
                try audit(db, actor: "system", action: "employee-locked", objectType: "contact", objectID: contactID,
                          detail: ["device": device, "failures": String(failures), "seconds": String(delay)])
            }
            return until
        }
    }

    /// A manager's unlock: the employee's count of wrong secrets is cleared on `device`, or on
    /// every device. Returns how many devices it cleared.
    @discardableResult
    public func unlockEmployee(_ key: String, device: String? = nil, actor: String) throws -> Int {
        try write { db in
            let contact = try resolveEmployee(db, key)
            try db.execute(sql: "DELETE FROM employee_lockout WHERE contact_id = ? AND (? IS NULL OR device = ?)", arguments: [contact, device, device])
            let cleared = db.changesCount
            try audit(db, actor: actor, action: "employee-unlock", objectType: "contact", objectID: contact, detail: ["device": device ?? "every device"])
            return cleared
        }
    }

    /// A right secret: the count on this device starts again, and the session is kept.
    public func openPageSession(_ session: PageSession, now: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM page_session WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "DELETE FROM employee_lockout WHERE contact_id = ? AND device = ?", arguments: [session.contactID, session.device])
            try db.execute(sql: """
                INSERT INTO page_session (sid_hash, csrf_hash, contact_id, license_id, device, last_seen, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.sidHash, session.csrfHash, session.contactID, session.licenseID, session.device,
                                 session.lastSeen, session.expiresAt])
            try audit(db, actor: "contact:\(session.contactID)", action: "sign-in", objectType: "contact", objectID: session.contactID,
                      detail: ["device": session.device])
        }
    }

    /// The live page session with this sid hash (its employee still active, with their role as
    /// it is now), or nil: unknown, signed out, expired, or idle longer than `idle` seconds.
    public func pageSession(sidHash: String, now: Int64, idle: Int64) throws -> PageSession? {
        try readOne { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.sid_hash, s.csrf_hash, s.contact_id, s.license_id, s.device, s.last_seen, s.expires_at, e.role, l.company_id FROM page_session s
                JOIN employee e ON e.contact_id = s.contact_id AND e.stat = 200
                JOIN license l ON l.id = s.license_id
                WHERE s.sid_hash = ? AND s.expires_at >= ? AND s.last_seen + ? >= ?
                """), arguments: [sidHash, now, idle, now]).flatMap { row in
                guard let role = StaffRole(rawValue: row["role"]) else { return nil }
                return PageSession(sidHash: row["sid_hash"], csrfHash: row["csrf_hash"], contactID: row["contact_id"], companyID: row["company_id"],
                                   licenseID: row["license_id"], role: role, device: row["device"], lastSeen: row["last_seen"],
                                   expiresAt: row["expires_at"])
            }
        }
    }

    /// Marks the session used now, so its idle time-out starts again.
    public func touchPageSession(sidHash: String, now: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE page_session SET last_seen = ? WHERE sid_hash = ?").execute(arguments: [now, sidHash])
        }
    }

    /// Signs out: the cookie is refused from then on.
    public func shutPageSession(sidHash: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM page_session WHERE sid_hash = ?", arguments: [sidHash])
        }
    }

    func resolveEmployee(_ db: Database, _ key: String) throws -> String {
        let matches = try String.fetchAll(db, sql: """
            SELECT e.contact_id FROM employee e JOIN contact c ON c.id = e.contact_id
            WHERE e.contact_id = ? OR c.name = ? COLLATE NOCASE ORDER BY e.contact_id = ? DESC
            """, arguments: [key, key, key])
        guard let first = matches.first else {
            throw StoreError.notFound(kind: "employee", key: key)
        }
        guard matches.count == 1 || first == key else {
            throw StoreError.invalid("employee '\(key)' names \(matches.count) employees; give the contact id (`lotbox employee list`)")
        }
        return first
    }

    func requireEmployee(_ db: Database, _ contact: String) throws -> Employee {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT e.contact_id, c.name, e.license_id, e.role, e.stat FROM employee e JOIN contact c ON c.id = e.contact_id
            WHERE e.contact_id = ?
            """, arguments: [contact]), let employee = Self.employee(row) else {
            throw StoreError.notFound(kind: "employee", key: contact)
        }
        return employee
    }

    static func employee(_ row: Row) -> Employee? {
        guard let role = StaffRole(rawValue: row["role"]) else { return nil }
        return Employee(contactID: row["contact_id"], name: row["name"], licenseID: row["license_id"], role: role, active: row["stat"] == 200)
    }
}
