import GRDB

/// The id map towards an upstream that chooses its own ids (cre; a lotbox with `[api] client_ids
/// = "ignore"`): which upstream object each of the box's objects is. A create the box sent but
/// whose answer it has not recorded (a crash, a timeout after the request went out) is marked
/// first, with an empty upstream id, so the next try looks the object up before creating it
/// again: a create is never sent twice blind.
extension LotStore {
    /// The upstream's id for a local object; nil when it has none yet (never sent, or sent and
    /// not answered: see `upstreamCreateSent`).
    public func upstreamID(kind: String, localID: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT upstream_id FROM outbox_id_map WHERE kind = ? AND local_id = ? AND upstream_id != ''",
                                arguments: [kind, localID])
        }
    }

    /// Many objects' upstream ids at once (those mapped; the rest keep the box's id).
    public func upstreamIDs(kind: String, localIDs: [String]) throws -> [String: String] {
        guard !localIDs.isEmpty else { return [:] }
        return try read { db in
            var found: [String: String] = [:]
            let statement = try db.cachedStatement(sql: "SELECT upstream_id FROM outbox_id_map WHERE kind = ? AND local_id = ? AND upstream_id != ''")
            for id in Set(localIDs) {
                if let upstream = try String.fetchOne(statement, arguments: [kind, id]) { found[id] = upstream }
            }
            return found
        }
    }

    /// The box's object an upstream id stands for (nil: none here).
    public func localID(kind: String, upstreamID: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT local_id FROM outbox_id_map WHERE kind = ? AND upstream_id = ? AND upstream_id != ''",
                                arguments: [kind, upstreamID])
        }
    }

    /// Every upstream id of `kind` already paired with an object here: what a lookup passes over.
    public func mappedUpstreamIDs(kind: String) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT upstream_id FROM outbox_id_map WHERE kind = ? AND upstream_id != ''", arguments: [kind]))
        }
    }

    /// Whether a create of this object was sent before without its answer being recorded.
    public func upstreamCreateSent(kind: String, localID: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox_id_map WHERE kind = ? AND local_id = ? AND upstream_id = ''",
                              arguments: [kind, localID]) ?? false
        }
    }

    /// Marks a create as about to be sent (synced before the request goes out).
    public func markUpstreamCreate(kind: String, localID: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO outbox_id_map (kind, local_id, upstream_id) VALUES (?, ?, '') ON CONFLICT DO NOTHING",
                           arguments: [kind, localID])
        }
    }

    /// Pairs a local object with the upstream's: true when it is paired now, false when that
    /// upstream object is another local object's already (a lookup then tries the next one).
    @discardableResult
    public func rememberUpstreamID(kind: String, localID: String, upstreamID: String) throws -> Bool {
        try write { db in
            if let other = try String.fetchOne(db, sql: "SELECT local_id FROM outbox_id_map WHERE kind = ? AND upstream_id = ?",
                                               arguments: [kind, upstreamID]) {
                return other == localID
            }
            try db.execute(sql: """
                INSERT INTO outbox_id_map (kind, local_id, upstream_id) VALUES (?, ?, ?)
                ON CONFLICT(kind, local_id) DO UPDATE SET upstream_id = excluded.upstream_id WHERE upstream_id = ''
                """, arguments: [kind, localID, upstreamID])
            return try String.fetchOne(db, sql: "SELECT upstream_id FROM outbox_id_map WHERE kind = ? AND local_id = ?",
                                       arguments: [kind, localID]) == upstreamID
        }
    }

    /// The box's license an upstream license named on a pulled manifest (a transfer's sender, a
    /// lab) is: the one paired with it, else the box's license of the same license code (paired
    /// now: the same partner, typed in on both sides; without a code, the box's license of the
    /// same name without one), else the box's license under that very id. nil when the box has
    /// none: the import adds it under the upstream's id, which is paired with itself here, so
    /// calls naming it later need no lookup.
    public func localPartner(upstreamID: String, code: String?, name: String?) throws -> String? {
        try write { db in
            if let paired = try String.fetchOne(db, sql: """
                SELECT local_id FROM outbox_id_map WHERE kind = 'license' AND upstream_id = ? AND upstream_id != ''
                """, arguments: [upstreamID]) {
                return paired
            }
            let code = code?.trimmingWhitespace() ?? ""
            var found: String?
            if !code.isEmpty {
                found = try String.fetchOne(db, sql: """
                    SELECT id FROM license WHERE trim(code) = ? COLLATE NOCASE AND id NOT LIKE '018NY6XC00%' ORDER BY created_at, id LIMIT 1
                    """, arguments: [code])
            } else if let name = name?.trimmingWhitespace(), !name.isEmpty {
                found = try String.fetchOne(db, sql: """
                    SELECT id FROM license WHERE trim(coalesce(code, '')) = '' AND trim(name) = ? AND id NOT LIKE '018NY6XC00%'
                     ORDER BY created_at, id LIMIT 1
                    """, arguments: [name])
            }
            if found == nil, try Bool.fetchOne(db, sql: "SELECT 1 FROM license WHERE id = ?", arguments: [upstreamID]) == true {
                found = upstreamID
            }
            try db.execute(sql: "INSERT INTO outbox_id_map (kind, local_id, upstream_id) VALUES ('license', ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [found ?? upstreamID, upstreamID])
            return found
        }
    }

    /// The id map's kind for the pairs of an upstream product another license there sent with
    /// the box's products received as it: "received_product:UPSTREAM ID", each row one of the
    /// box's products (`local_id`; one per receiving license) and that upstream id again.
    static func receivedProductKind(_ upstreamProduct: String) -> String { "received_product:\(upstreamProduct)" }

    /// A lot of another upstream license's product was received here as `localProduct`: the
    /// next manifest naming that product maps it to the same product of the receiving license,
    /// whatever either is called by then. The first pairing for a license stays.
    public func rememberReceivedProduct(upstreamProduct: String, localProduct: String) throws {
        try write { db in
            let license = try String.fetchOne(db, sql: "SELECT license_id FROM product WHERE id = ?", arguments: [localProduct])
            let kind = Self.receivedProductKind(upstreamProduct)
            let known = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM outbox_id_map m JOIN product p ON p.id = m.local_id WHERE m.kind = ? AND p.license_id IS ?
                """, arguments: [kind, license]) ?? false
            guard !known else { return }
            try db.execute(sql: "INSERT INTO outbox_id_map (kind, local_id, upstream_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [kind, localProduct, upstreamProduct])
        }
    }
}
