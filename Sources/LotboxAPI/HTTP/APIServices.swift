import Foundation
import Logging
import LotboxStore

/// What the routes share: the store and its threads, the v2024 gate, the sessions already
/// seen, the handshake's rate limit, and the deadlines.
public struct APIServices: Sendable {
    public let store: LotStore
    public let threads: StoreThreads
    /// Durable writes of concurrent requests, committed together.
    let writes: GroupCommit
    public let gate: V2024Gate
    public let sessions: SessionCache
    public let handshakeLimit: RateLimiter
    public let bodyDeadline: Double
    public let logger: Logger
    /// The stations `serve` runs (nil where there are none, as in the bench).
    public let stations: (any StationDesk)?
    /// The printers and templates of `serve` (nil where there are none).
    public let labels: (any LabelDesk)?
    /// Staff sign-in: idle time-out, lockouts, cookies.
    public let staff: StaffSettings
    /// Sign-in attempts per address, before any PIN is hashed.
    let signInLimit: RateLimiter
    /// `/ready`'s checks beyond the store and `/metrics` (set by `serve`; none by default).
    public var operations = APIOperations()
    /// The staff screens' templates and files (set by `serve`; nil: no pages, `/` is a 404).
    public var pages: PageFiles?
    /// The scanners `serve` reads (nil where none are read, as in the bench): the scanners' screen.
    public var scanners: (any ScannerDesk)?
    /// The configuration as the settings screen shows it, its secrets only said to be set or not
    /// (set by `serve`; nil: the screen says there is none to show).
    public var settings: SettingsSummary?
    /// Rung when this process decides a scan: the `/events` streams look at once.
    public var events = EventBell()
    /// `[api] client_ids`: false when this API chooses the ids of what is created through it and
    /// ignores a client's (as an upstream like cre does), so a box can be tested against one.
    public var honoursClientIDs = true

    public init(store: LotStore, threads: StoreThreads, gate: V2024Gate, bodyDeadline: Double = 10,
                handshakeLimit: RateLimiter = RateLimiter(perMinute: 30, burst: 10), stations: (any StationDesk)? = nil, labels: (any LabelDesk)? = nil, staff: StaffSettings = StaffSettings(), logger: Logger) {
        self.store = store
        self.threads = threads
        self.writes = GroupCommit(store: store, writer: threads.writer)
        self.gate = gate
        self.sessions = SessionCache()
        self.handshakeLimit = handshakeLimit
        self.bodyDeadline = bodyDeadline
        self.logger = logger
        self.stations = stations
        self.labels = labels
        self.staff = staff
        self.signInLimit = RateLimiter(perMinute: 60, burst: 20)
    }

    /// A store read: where the caller stands on the API's own threads, else on the store's.
    /// `nonisolated(nonsending)`, like the handlers that call it: it starts where its caller
    /// stands rather than hopping to the generic executor first (a check of the task's executor
    /// preference under its status lock, on every call of every GET).
    nonisolated(nonsending) func read<T: Sendable>(_ work: @escaping @Sendable (LotStore) throws -> T) async throws -> T {
        if APIExecutor.isCurrent { return try work(store) }
        let store = self.store
        return try await threads.run { try work(store) }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
