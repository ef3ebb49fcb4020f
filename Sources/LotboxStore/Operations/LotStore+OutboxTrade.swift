import GRDB
import LotboxCore

/// What the outbox worker reads of sales, transfers and lab results when it pushes them: rows as
/// text (numbers in decimal ten-thousandths), ids, quantities, prices and states only. A sale is
/// read without its contact, meta (employee, station, age check) or anything a scanned licence
/// gave: none of it goes up.
extension LotStore {
    /// A sale's stat, license, whether it was canceled while open, and its lines (`id`,
    /// `inventory_id`, `unit_count`, `unit_price`) in the order they were added.
    public func outboxSale(_ id: String) throws -> (sale: [String: String], lines: [[String: String]])? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, license_id, stat, json_extract(meta, '$.canceled') IS NOT NULL AS canceled FROM b2c_sale WHERE id = ?
                """, arguments: [id]) else { return nil }
            let lines = try Row.fetchAll(db, sql: """
                SELECT id, inventory_id, unit_count, unit_price FROM b2c_sale_item WHERE b2c_sale_id = ? ORDER BY created_at, id
                """, arguments: [id]).map(Self.text)
            return (Self.text(row), lines)
        }
    }

    /// An outgoing transfer's header and items (`id`, `inventory_id`, `qty`, `unit_price`).
    public func outboxOutgoing(_ id: String) throws -> (header: [String: String], items: [[String: String]])? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, source_license_id, target_license_id, name, depart_at, arrive_at, stat FROM b2b_outgoing WHERE id = ?",
                                             arguments: [id]) else { return nil }
            let items = try Row.fetchAll(db, sql: "SELECT id, inventory_id, qty, unit_price FROM b2b_outgoing_item WHERE b2b_outgoing_id = ? ORDER BY id",
                                         arguments: [id]).map(Self.text)
            return (Self.text(row), items)
        }
    }

    /// An incoming transfer's header and items (`id`, `origin_inventory_id` the sender's
    /// package, `product_id`, `variety_id`, `qty`, `qty_received`, `unit_price`, `inventory_id`
    /// the lot it became).
    public func outboxIncoming(_ id: String) throws -> (header: [String: String], items: [[String: String]])? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, source_license_id, target_license_id, name, depart_at, arrive_at, stat FROM b2b_incoming WHERE id = ?",
                                             arguments: [id]) else { return nil }
            let items = try Row.fetchAll(db, sql: """
                SELECT id, origin_inventory_id, product_id, variety_id, qty, qty_received, unit_price, inventory_id
                  FROM b2b_incoming_item WHERE b2b_incoming_id = ? ORDER BY id
                """, arguments: [id]).map(Self.text)
            return (Self.text(row), items)
        }
    }

    /// Whether a transfer of this id is here, either side, or is the upstream's id for one of the
    /// box's own: one brought down from the upstream is not brought down again, and a manifest the
    /// box sent up (made there under an id the upstream chose) does not come back as another.
    public func outboxKnowsTransfer(_ id: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: """
                SELECT 1 FROM b2b_incoming WHERE id = ?1
                UNION ALL SELECT 1 FROM b2b_outgoing WHERE id = ?1
                UNION ALL SELECT 1 FROM outbox_id_map WHERE kind = 'transfer' AND upstream_id = ?1 AND upstream_id != ''
                LIMIT 1
                """, arguments: [id]) == true
        }
    }

    /// Lots that came in on a transfer: lot id → (the transfer, the item it was).
    public func outboxReceived(_ lotIDs: [String]) throws -> [String: (transfer: String, item: String)] {
        guard !lotIDs.isEmpty else { return [:] }
        return try read { db in
            var found: [String: (transfer: String, item: String)] = [:]
            var start = 0
            while start < lotIDs.count {
                let chunk = Array(lotIDs[start..<min(start + 500, lotIDs.count)])
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT inventory_id, b2b_incoming_id, id FROM b2b_incoming_item WHERE inventory_id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    let lot: String = row["inventory_id"], transfer: String = row["b2b_incoming_id"], item: String = row["id"]
                    found[lot] = (transfer, item)
                }
            }
            return found
        }
    }

    /// Whether a sale or an outgoing transfer goes up as itself (it has an event in the outbox):
    /// then the ledger rows it wrote on its lots are implied by its own calls upstream. Without
    /// one (history from before the upstream was set) those rows go up as adjusts.
    public func outboxCarries(refType: String, refID: String) throws -> Bool {
        let kind: String, action: String
        switch refType {
        case "b2c_sale": (kind, action) = ("sale", "stat")
        case "b2b_outgoing": (kind, action) = ("transfer", "outgoing")
        default: return false
        }
        return try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE kind = ? AND object_id = ? AND action = ? LIMIT 1",
                              arguments: [kind, refID, action]) == true
        }
    }

    /// The lots a sale or transfer event touches: a held one holds them too, as the upstream's
    /// quantities of those lots are behind the box's until it goes.
    public func outboxLotsTouched(kind: String, id: String) throws -> [String] {
        try read { db in
            switch kind {
            case "sale": return try String.fetchAll(db, sql: "SELECT DISTINCT inventory_id FROM b2c_sale_item WHERE b2c_sale_id = ?", arguments: [id])
            case "transfer":
                return try String.fetchAll(db, sql: """
                    SELECT inventory_id FROM b2b_outgoing_item WHERE b2b_outgoing_id = ?
                    UNION SELECT inventory_id FROM b2b_incoming_item WHERE b2b_incoming_id = ? AND inventory_id IS NOT NULL
                    """, arguments: [id, id])
            case "lab_result": return try String.fetchAll(db, sql: "SELECT inventory_id FROM lab_result_inventory WHERE lab_result_id = ?", arguments: [id])
            default: return []
            }
        }
    }

    /// A license and its company as the directory holds them (`id`, `name`, `code`, `type`,
    /// `company_id`, and the company's `company_name`, `company_code`), for a partner the
    /// upstream must know before a transfer or lab result names it.
    public func outboxLicense(_ id: String) throws -> [String: String]? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT l.id, l.name, l.code, l.type, l.company_id, c.name AS company_name, c.code AS company_code
                  FROM license l LEFT JOIN company c ON c.id = l.company_id WHERE l.id = ?
                """, arguments: [id]).map(Self.text)
        }
    }

    /// A lab result (`id`, `license_id` the lab, `name`, `certificate`, `sampled_on`), its
    /// metrics (`lab_metric_id`, `qom`, `uom`, `status`), the lots it covers with their license
    /// (`inventory_id`, `license_id`), and whether any of those lots still waits to go up.
    /// With `event` (the result's outbox event), a lot whose creation waits in the outbox after
    /// that event is left out: it came to be covered later (a lot received from, or made of, a
    /// covered lot), and the upstream covers it itself when it makes it; the result must not wait
    /// for it, or lots made meanwhile (a split) go up before the result and inherit nothing there.
    public func outboxLabResult(_ id: String, event: Int64? = nil) throws -> (result: [String: String], metrics: [[String: String]], lots: [[String: String]], lotsWaiting: Bool)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, license_id, name, certificate, json_extract(meta, '$.sampled_on') AS sampled_on FROM lab_result WHERE id = ?
                """, arguments: [id]) else { return nil }
            let metrics = try Row.fetchAll(db, sql: "SELECT lab_metric_id, qom, uom, status FROM lab_result_metric WHERE lab_result_id = ? ORDER BY id",
                                           arguments: [id]).map(Self.text)
            let after = event ?? Int64.max
            let lots = try Row.fetchAll(db, sql: """
                SELECT lri.inventory_id, i.license_id FROM lab_result_inventory lri JOIN inventory i ON i.id = lri.inventory_id
                 WHERE lri.lab_result_id = ? AND NOT EXISTS (
                   SELECT 1 FROM outbox o WHERE o.kind = 'lot' AND o.action = 'create' AND o.object_id = lri.inventory_id
                      AND o.state IN ('pending','held') AND o.id > ?)
                 ORDER BY lri.inventory_id
                """, arguments: [id, after]).map(Self.text)
            let waiting = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM outbox o JOIN lab_result_inventory lri ON lri.inventory_id = o.object_id
                 WHERE lri.lab_result_id = ? AND o.kind = 'lot' AND o.action = 'create' AND o.state IN ('pending','held') AND o.id < ? LIMIT 1
                """, arguments: [id, after]) == true
            return (Self.text(row), metrics, lots, waiting)
        }
    }
}
