import GRDB
import LotboxCore

extension LotStore {
    /// Turns the outbox on towards `origin` (nil: off). `serve` calls it at start from its
    /// config, so the CLI's and other writers' changes go to the outbox exactly while an
    /// upstream is configured. Audited when it changes.
    public func setUpstream(origin: String?, actor: String) throws {
        try write { db in
            let old = try String.fetchOne(db, sql: "SELECT origin FROM outbox_setting WHERE id = 1")
            guard old != origin else { return }
            if let origin {
                let queued = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0
                let first = old == nil && queued == 0
                try db.execute(sql: "INSERT INTO outbox_setting (id, origin) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET origin = excluded.origin",
                               arguments: [origin])
                if first { try Self.backfillOutbox(db) }
                // The triggers that feed the outbox exist only while an upstream is set (v10).
                for statement in SchemaV10OutboxOnDemand.create + SchemaV12OutboxLotRename.create + SchemaV13OutboxLabCover.create { try db.execute(sql: statement) }
            } else {
                try db.execute(sql: "DELETE FROM outbox_setting")
                for statement in SchemaV10OutboxOnDemand.drop + SchemaV12OutboxLotRename.drop + SchemaV13OutboxLabCover.drop { try db.execute(sql: statement) }
            }
            try audit(db, actor: actor, action: "set-upstream", objectType: "store", objectID: nil,
                      detail: ["origin": origin ?? "(none)", "was": old ?? "(none)"])
        }
    }

    /// The worker found the upstream answering or not: written when that changes, for
    /// `upstream status` (another process) to show.
    public func recordUpstreamReach(_ reachable: Bool, error: String?) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox_setting SET reachable = ?, reach_error = ?, reach_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = 1
                """, arguments: [reachable, error])
        }
    }

    /// The first time an upstream is set, what the store already holds goes in the outbox too, as
    /// it happened: sections, varieties and products, then in time order every lot's creation,
    /// ledger rows and void, every sale committed (and voided), outgoing transfer committed and
    /// lab result (the well-known rows every store has are left out). A sale or a transfer goes
    /// up as itself, as it would have live, at the moment its ledger rows took the stock (a void
    /// at the moment its rows gave it back): the state's system is told of a sale, not of an
    /// anonymous correction, and the sale's and transfer's ledger rows are then not sent as
    /// adjusts (`outboxCarries`). Only the first time: after events were sent, replaying old
    /// ledger rows against an upstream that has moved on would hold them.
    static func backfillOutbox(_ db: Database) throws {
        let wellKnown = WellKnown.prefix + "%"
        for table in ["section", "variety", "product"] {
            try db.execute(sql: """
                INSERT INTO outbox (kind, object_id, action, license_id, created_at)
                SELECT '\(table)', id, 'create', license_id, created_at FROM \(table) WHERE id NOT LIKE ? ORDER BY created_at, id
                """, arguments: [wellKnown])
        }
        // Where a sale or transfer goes: right after the first of its ledger rows of `reason`
        // (by the row's id, as rows written in the same millisecond keep their order), else at
        // its last change. Columns: at, step, tie.
        func placed(_ refType: String, _ reason: String, _ row: String, _ fallbackTie: String) -> String {
            let first = """
                (SELECT a.id FROM inventory_adjust a WHERE a.ref_type = '\(refType)' AND a.ref_id = \(row).id AND a.reason_code = '\(reason)'
                  ORDER BY a.id LIMIT 1)
                """
            return """
                coalesce((SELECT created_at FROM inventory_adjust WHERE id = \(first)), \(row).updated_at),
                CASE WHEN \(first) IS NULL THEN 3 ELSE 1 END,
                coalesce(printf('%020d', \(first)) || ' ~', \(fallbackTie))
                """
        }
        let sold = "s.stat IN (200, 410, 423) AND json_extract(s.meta, '$.canceled') IS NULL"
        try db.execute(sql: """
            INSERT INTO outbox (kind, object_id, action, ref, license_id, created_at)
            SELECT kind, object_id, action, ref, license_id, at FROM (
              SELECT 'lot' AS kind, id AS object_id, 'create' AS action, NULL AS ref, license_id, created_at AS at, 0 AS step, id AS tie FROM inventory
              UNION ALL
              SELECT 'lot', a.inventory_id, 'adjust', a.id, i.license_id, a.created_at, 1, printf('%020d', a.id)
                FROM inventory_adjust a JOIN inventory i ON i.id = a.inventory_id
              UNION ALL
              SELECT 'lot', id, 'stat', stat, license_id, updated_at, 2, id FROM inventory WHERE stat IN (410, 423)
              UNION ALL
              SELECT 'sale', s.id, 'stat', 200, s.license_id, \(placed("b2c_sale", "sale", "s", "s.id || ' 1'")) FROM b2c_sale s WHERE \(sold)
              UNION ALL
              SELECT 'sale', s.id, 'stat', s.stat, s.license_id, \(placed("b2c_sale", "sale-void", "s", "s.id || ' 2'"))
                FROM b2c_sale s WHERE \(sold) AND s.stat IN (410, 423)
              UNION ALL
              SELECT 'transfer', t.id, 'outgoing', 307, t.source_license_id, \(placed("b2b_outgoing", "transfer", "t", "t.id"))
                FROM b2b_outgoing t WHERE t.stat = 307
              UNION ALL
              -- A result on lots (or on packages still at the dock: it goes once they are accepted).
              SELECT 'lab_result', r.id, 'create', NULL, r.license_id, r.created_at, 4, r.id FROM lab_result r
               WHERE EXISTS (SELECT 1 FROM lab_result_inventory lri WHERE lri.lab_result_id = r.id)
                  OR EXISTS (SELECT 1 FROM b2b_incoming_item bi WHERE bi.lab_result_id = r.id AND bi.inventory_id IS NULL))
            ORDER BY at, step, tie
            """)
    }

    /// The low-water mark (v14): every outbox row below it is sent or skipped, so the waiting
    /// ones are read from it on, without an index that every new row would have to enter.
    static let firstOpen = "(SELECT coalesce((SELECT first_open FROM outbox_setting WHERE id = 1), 0))"

    /// Raises the low-water mark to the first waiting row (past the last row when none waits).
    /// It reads from the mark up to the first waiting row only: the rows settled since it last
    /// moved. Run where rows are settled, in their transaction.
    static func raiseFirstOpen(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE outbox_setting SET first_open = coalesce(
              (SELECT min(o.id) FROM outbox o WHERE o.id >= outbox_setting.first_open AND o.state IN ('pending','held')),
              (SELECT coalesce(max(o.id), 0) + 1 FROM outbox o))
             WHERE id = 1
            """)
    }

    /// Raises the low-water mark: the worker, as it starts (a store migrated to v14 starts at 0).
    public func raiseOutboxFirstOpen() throws {
        try write { db in try Self.raiseFirstOpen(db) }
    }

    /// Waiting events (pending and held) oldest first, after `cursor`: the worker's next pass.
    public func outboxWaiting(after cursor: Int64 = 0, limit: Int = 500) throws -> [OutboxEvent] {
        try read { db in
            try OutboxEvent.fetchAll(db, sql: """
                SELECT * FROM outbox WHERE id > max(?, \(Self.firstOpen) - 1) AND state IN ('pending','held') ORDER BY id LIMIT ?
                """, arguments: [cursor, limit])
        }
    }

    /// Held events, oldest first, each with the reason the upstream gave.
    public func outboxHeld() throws -> [OutboxEvent] {
        try read { db in
            try OutboxEvent.fetchAll(db, sql: "SELECT * FROM outbox WHERE id >= \(Self.firstOpen) AND state = 'held' ORDER BY id")
        }
    }

    public func outboxEvent(_ id: Int64) throws -> OutboxEvent {
        try read { db in
            guard let event = try OutboxEvent.fetchOne(db, key: id) else { throw StoreError.notFound(kind: "outbox event", key: "\(id)") }
            return event
        }
    }

    /// The upstream took the event (or already had it): it never goes again.
    public func markOutboxSent(_ id: Int64) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'done', reason = NULL, hold_scope = NULL, attempts = attempts + 1,
                       sent_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND state IN ('pending','held')
                """, arguments: [id])
            try Self.raiseFirstOpen(db)
        }
    }

    /// The upstream refused the event: it and what depends on it wait until a person retries
    /// or skips it. `scope` "kind" holds every event of its kind (a 403 for the kind).
    public func markOutboxHeld(_ id: Int64, reason: String, scope: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'held', reason = ?, hold_scope = ?, attempts = attempts + 1 WHERE id = ? AND state IN ('pending','held')",
                           arguments: [reason, scope, id])
        }
    }

    /// `upstream retry ID`: a held event goes again on the worker's next pass. Audited.
    public func retryOutbox(_ id: Int64, actor: String) throws {
        try write { db in
            let event = try Self.heldEvent(db, id)
            try db.execute(sql: "UPDATE outbox SET state = 'pending', reason = NULL, hold_scope = NULL WHERE id = ?", arguments: [id])
            try audit(db, actor: actor, action: "outbox-retry", objectType: event.kind, objectID: event.objectId,
                      detail: ["outbox": "\(id)", "action": event.action, "reason": event.reason ?? ""])
        }
    }

    /// `upstream skip ID`: a held event is given up on (the upstream will not have it) and what
    /// it held flows on. Audited, with the reason it was held.
    public func skipOutbox(_ id: Int64, actor: String) throws {
        try write { db in
            let event = try Self.heldEvent(db, id)
            try db.execute(sql: "UPDATE outbox SET state = 'skipped', hold_scope = NULL WHERE id = ?", arguments: [id])
            try Self.raiseFirstOpen(db)
            try audit(db, actor: actor, action: "outbox-skip", objectType: event.kind, objectID: event.objectId,
                      detail: ["outbox": "\(id)", "action": event.action, "reason": event.reason ?? ""])
        }
    }

    static func heldEvent(_ db: Database, _ id: Int64) throws -> OutboxEvent {
        guard let event = try OutboxEvent.fetchOne(db, key: id) else {
            throw StoreError.invalid("outbox event \(id) not found; `lotbox upstream list --held` lists the held ones")
        }
        guard event.state == "held" else {
            throw StoreError.conflict("outbox event \(id) is \(event.state), not held; only a held event is retried or skipped")
        }
        return event
    }

    public func outboxSummary() throws -> OutboxSummary {
        try read { db in
            let setting = try Row.fetchOne(db, sql: "SELECT origin, reachable, reach_error, reach_changed_at FROM outbox_setting WHERE id = 1")
            let origin: String? = setting?["origin"]
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM outbox WHERE id >= \(Self.firstOpen) AND state IN ('pending','held')) AS waiting,
                       (SELECT count(*) FROM outbox WHERE id >= \(Self.firstOpen) AND state = 'held') AS held,
                       (SELECT count(*) FROM outbox WHERE state = 'done') AS sent,
                       (SELECT created_at FROM outbox WHERE id >= \(Self.firstOpen) AND state IN ('pending','held') ORDER BY id LIMIT 1) AS oldest,
                       (SELECT max(sent_at) FROM outbox WHERE state = 'done') AS last
                """)
            return OutboxSummary(enabled: origin != nil, origin: origin, waiting: row?["waiting"] ?? 0, held: row?["held"] ?? 0,
                                 sent: row?["sent"] ?? 0, oldestWaitingAt: row?["oldest"], lastSentAt: row?["last"],
                                 reachable: setting?["reachable"], reachError: setting?["reach_error"], reachChangedAt: setting?["reach_changed_at"])
        }
    }


    /// The box's product an upstream product id on a pulled transfer stands for, for the
    /// receiving `license`: the id map's (an upstream that chose its own ids), else the box's
    /// own product under that very id (it went up under it), else the product a lot of it was
    /// received as before (another upstream license's product, see `rememberReceivedProduct`).
    /// nil: the box has no such product, and the manifest's name is all there is to go by.
    public func localProduct(upstreamID: String, license: String) throws -> String? {
        try read { db in
            if let mapped = try String.fetchOne(db, sql: """
                SELECT m.local_id FROM outbox_id_map m JOIN product p ON p.id = m.local_id
                 WHERE m.kind = 'product' AND m.upstream_id = ? AND m.upstream_id != '' AND (p.license_id = ? OR p.license_id IS NULL)
                """, arguments: [upstreamID, license]) {
                return mapped
            }
            if let own = try String.fetchOne(db, sql: "SELECT id FROM product WHERE id = ? AND (license_id = ? OR license_id IS NULL)",
                                             arguments: [upstreamID, license]) {
                return own
            }
            // Another upstream license's product, paired with this license's when a lot of it was received.
            return try String.fetchOne(db, sql: """
                SELECT m.local_id FROM outbox_id_map m JOIN product p ON p.id = m.local_id
                 WHERE m.kind = ? AND (p.license_id = ? OR p.license_id IS NULL) ORDER BY m.created_at LIMIT 1
                """, arguments: [Self.receivedProductKind(upstreamID), license])
        }
    }

}

extension LotStore {
    /// Events the worker took (or found already on the upstream), in one transaction: a crash
    /// before it only sends them again, and every send is a replay the upstream answers unchanged.
    public func markOutboxSent(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'done', reason = NULL, hold_scope = NULL, attempts = attempts + 1,
                       sent_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND state IN ('pending','held')
                """)
            for id in ids { try statement.execute(arguments: [id]) }
            try Self.raiseFirstOpen(db)
        }
    }

    /// An event this upstream does not take (its kind is not in `upstream.kinds`): never sent.
    public func markOutboxNotTaken(_ id: Int64, reason: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'skipped', reason = ? WHERE id = ? AND state = 'pending'", arguments: [reason, id])
            try Self.raiseFirstOpen(db)
        }
    }

    /// One row of `table` as text (numbers in decimal), nil when there is none: what the worker
    /// reads of an object when it pushes it. Only the outbox's own kinds are read.
    public func outboxRecord(_ table: String, id: String) throws -> [String: String]? {
        guard ["section", "variety", "product", "inventory"].contains(table) else {
            throw StoreError.invalid("the outbox reads sections, varieties, products and lots; '\(table)' is none of them")
        }
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]).map(Self.text)
        }
    }

    /// A ledger row and the lot's quantity right after it (its opening quantity and every row up
    /// to this one): what the upstream must hold before and after the adjust is sent.
    public func outboxAdjust(_ adjustID: Int64) throws -> (row: [String: String], qtyAfter: Int64)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM inventory_adjust WHERE id = ?", arguments: [adjustID]) else { return nil }
            let lot: String = row["inventory_id"]
            let after = try Int64.fetchOne(db, sql: """
                SELECT (SELECT qty_initial FROM inventory WHERE id = ?)
                     + (SELECT coalesce(sum(delta), 0) FROM inventory_adjust WHERE inventory_id = ? AND id <= ?)
                """, arguments: [lot, lot, adjustID]) ?? 0
            return (Self.text(row), after)
        }
    }

    /// The lots a lot was split or converted from.
    public func outboxSources(of lotID: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT inventory_id FROM inventory_family WHERE inventory_id_output = ? ORDER BY id", arguments: [lotID])
        }
    }

    /// How a lot was derived: one row per source lot (`inventory_id`, `type` SPLT or CONV, `qty`
    /// taken from it), oldest first; empty for a lot made, received or imported.
    public func outboxFamily(of lotID: String) throws -> [[String: String]] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT inventory_id, type, qty FROM inventory_family WHERE inventory_id_output = ? ORDER BY id",
                             arguments: [lotID]).map(Self.text)
        }
    }

    /// Many lots' rows and families in one read (the worker's pass reads its lot creations at
    /// once rather than one by one): lot id → (its row, its family rows).
    public func outboxLots(_ ids: [String]) throws -> [String: (row: [String: String], family: [[String: String]])] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var found: [String: (row: [String: String], family: [[String: String]])] = [:]
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM inventory WHERE id IN (\(marks))", arguments: StatementArguments(chunk)) {
                    let fields = Self.text(row)
                    if let id = fields["id"] { found[id] = (fields, []) }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT inventory_id_output, inventory_id, type, qty FROM inventory_family WHERE inventory_id_output IN (\(marks)) ORDER BY id
                    """, arguments: StatementArguments(chunk)) {
                    let fields = Self.text(row)
                    if let output = fields["inventory_id_output"] { found[output]?.family.append(fields) }
                }
            }
            return found
        }
    }

    static func text(_ row: Row) -> [String: String] {
        var fields: [String: String] = [:]
        for column in row.columnNames {
            switch row[column] as DatabaseValue? {
            case .none: continue
            case .some(let value):
                switch value.storage {
                case .null: continue
                case .int64(let number): fields[column] = String(number)
                case .double(let number): fields[column] = String(number)
                case .string(let text): fields[column] = text
                case .blob: continue
                }
            }
        }
        return fields
    }
}
