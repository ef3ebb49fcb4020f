import GRDB

/// A station's state between scans, kept in the store so a restart continues where it was.
public struct StationState: Sendable, Equatable {
    public var station: String
    public var kind: String
    /// The transfer open at a dock.
    public var transferID: String?
    /// The sale open at a kiosk.
    public var saleID: String?
    /// A `LOTBOX:QTY` waiting for the next scan.
    public var pendingQuantity: String?
    /// Who is working the station (from its config or a badge scan).
    public var employee: String?

    public init(station: String, kind: String, transferID: String? = nil, saleID: String? = nil,
                pendingQuantity: String? = nil, employee: String? = nil) {
        self.station = station
        self.kind = kind
        self.transferID = transferID
        self.saleID = saleID
        self.pendingQuantity = pendingQuantity
        self.employee = employee
    }
}

/// One station decision, as shown to operators (`lotbox station watch`).
public struct StationEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable { case accepted, refused, info }

    public var id: Int64?
    public var station: String
    public var scanLogID: Int64?
    public var outcome: Outcome
    public var action: String
    public var message: String
    public var objectType: String?
    public var objectID: String?
    public var createdAt: String?

    public init(id: Int64? = nil, station: String, scanLogID: Int64?, outcome: Outcome, action: String, message: String,
                objectType: String? = nil, objectID: String? = nil, createdAt: String? = nil) {
        self.id = id
        self.station = station
        self.scanLogID = scanLogID
        self.outcome = outcome
        self.action = action
        self.message = message
        self.objectType = objectType
        self.objectID = objectID
        self.createdAt = createdAt
    }
}

extension LotStore {
    public func stationState(_ station: String) throws -> StationState? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM station_state WHERE station = ?"), arguments: [station]).map(Self.state)
        }
    }

    public func stationStates() throws -> [StationState] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM station_state ORDER BY station").map(Self.state) }
    }

    /// Saves a station's state and the decision that led to it, in one transaction, with the
    /// decision also in the audit log.
    @discardableResult
    public func saveStation(_ state: StationState, event: StationEvent, actor: String) throws -> Int64 {
        try write { db in
            try saveState(db, state)
            return try insertEvent(db, event, actor: actor)
        }
    }

    /// Saves a station's state. Its `turn` counts the times its open transfer or sale changed
    /// (opened, closed, another taken up): a scan recorded at one turn belongs to what was open
    /// then, and is replayed after a crash only while the turn is the same.
    func saveState(_ db: Database, _ state: StationState) throws {
        try db.cachedStatement(sql: """
            INSERT INTO station_state (station, kind, b2b_incoming_id, b2c_sale_id, pending_qty, employee, updated_at, turn)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%fZ','now'), CASE WHEN ?3 IS NULL AND ?4 IS NULL THEN 0 ELSE 1 END)
            ON CONFLICT(station) DO UPDATE SET kind = excluded.kind, b2b_incoming_id = excluded.b2b_incoming_id,
              b2c_sale_id = excluded.b2c_sale_id, pending_qty = excluded.pending_qty, employee = excluded.employee,
              updated_at = excluded.updated_at,
              turn = turn + (b2b_incoming_id IS NOT excluded.b2b_incoming_id OR b2c_sale_id IS NOT excluded.b2c_sale_id)
            """).execute(arguments: [state.station, state.kind, state.transferID, state.saleID, state.pendingQuantity, state.employee])
    }

    /// The station's turn (see `saveState`); 0 for a station that never saved a state.
    public func stationTurn(_ station: String) throws -> Int64 {
        try read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT turn FROM station_state WHERE station = ?"), arguments: [station]) ?? 0
        }
    }

    /// Records a decision that changed nothing (a refusal), with its audit line.
    @discardableResult
    public func recordStationEvent(_ event: StationEvent, actor: String) throws -> Int64 {
        try write { db in try insertEvent(db, event, actor: actor) }
    }

    /// What a station decided about a scan (its last word on it, after a new sale or a replay
    /// note), if anything: a scan is acted on once, so whoever finds one here (a second daemon,
    /// a replay) leaves the scan alone.
    public func decision(onScan scanID: Int64) throws -> StationEvent? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM station_event WHERE scan_log_id = ? ORDER BY id DESC LIMIT 1"),
                             arguments: [scanID]).map(Self.event)
        }
    }

    /// Decisions after `id`, oldest first, optionally for one station.
    public func stationEvents(after id: Int64, station: String? = nil, limit: Int = 500) throws -> [StationEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM station_event WHERE id > ?1 AND (?2 IS NULL OR station = ?2) ORDER BY id LIMIT ?3
                """, arguments: [id, station, limit]).map(Self.event)
        }
    }

    /// The id of the latest decision (where `station watch` starts).
    public func lastStationEventID() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM station_event") ?? 0 }
    }

    func insertEvent(_ db: Database, _ event: StationEvent, actor: String) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO station_event (station, scan_log_id, outcome, action, message, object_type, object_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [event.station, event.scanLogID, event.outcome.rawValue, event.action, event.message,
                                     event.objectType, event.objectID])
        let id = db.lastInsertedRowID
        var detail = ["station": event.station, "outcome": event.outcome.rawValue, "message": event.message]
        if let scan = event.scanLogID { detail["scan"] = String(scan) }
        try audit(db, actor: actor, action: "station-\(event.action)", objectType: event.objectType ?? "station",
                  objectID: event.objectID ?? event.station, detail: detail)
        return id
    }

    static func event(_ row: Row) -> StationEvent {
        StationEvent(id: row["id"], station: row["station"], scanLogID: row["scan_log_id"],
                     outcome: StationEvent.Outcome(rawValue: row["outcome"]) ?? .info, action: row["action"],
                     message: row["message"], objectType: row["object_type"], objectID: row["object_id"],
                     createdAt: row["created_at"])
    }

    static func state(_ row: Row) -> StationState {
        StationState(station: row["station"], kind: row["kind"], transferID: row["b2b_incoming_id"], saleID: row["b2c_sale_id"],
                     pendingQuantity: row["pending_qty"], employee: row["employee"])
    }
}
