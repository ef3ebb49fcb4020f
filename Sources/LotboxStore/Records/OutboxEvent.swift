/// One compliance event waiting for (or sent to) the upstream: which object, what happened.
/// What is sent is read from the store when it is pushed (see SchemaV8Outbox).
public struct OutboxEvent: StoreRecord, Equatable {
    public static let databaseTableName = "outbox"
    public var id: Int64
    /// section, variety, product, lot, transfer, sale, lab_result.
    public var kind: String
    public var objectId: String
    /// create, update, adjust (ref: the ledger row), move (ref: the section), stat (ref: the new
    /// stat), outgoing / incoming (a transfer's new stat).
    public var action: String
    public var ref: String?
    public var licenseId: String?
    /// pending, held (refused by the upstream; `reason` says why), done, skipped.
    public var state: String
    public var reason: String?
    /// A held event holds its object's later events ("object") or every event of its kind ("kind").
    public var holdScope: String?
    public var attempts: Int
    public var createdAt: String
    public var sentAt: String?
}

/// The outbox at a glance, for `upstream status` and `lotbox status`.
public struct OutboxSummary: Sendable, Equatable {
    public var enabled: Bool
    public var origin: String?
    /// Events not yet sent (pending and held).
    public var waiting: Int
    public var held: Int
    public var sent: Int
    /// When the oldest waiting event happened (the lag in time), nil when none waits.
    public var oldestWaitingAt: String?
    /// When an event was last sent.
    public var lastSentAt: String?
    /// What the worker last found (nil: it has not tried yet), why not, and since when.
    public var reachable: Bool?
    public var reachError: String?
    public var reachChangedAt: String?
}
