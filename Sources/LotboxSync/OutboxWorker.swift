import Foundation
import Logging
import LotboxConfig
import LotboxStore
import ServiceLifecycle
import Synchronization

/// `serve`'s outbox worker: drains the outbox to the upstream strictly in outbox order, one
/// event at a time. A refused event is held with the upstream's reason and holds only its own
/// object's later events (or, on a 403, its kind's) and the events that need that object; the
/// rest flow past it. While the upstream is away it backs off with jitter; nothing else on the
/// box waits for it, as the outbox rows were written with the changes themselves.
public final class OutboxWorker: Service, Sendable {
    let pusher: OutboxPusher
    let store: LotStore
    let lane = StoreLane()
    let logger: Logger
    let kinds: Set<UpstreamKind>
    /// Seconds between looks at an empty outbox.
    let idle: Double
    let maximumBackoff: Double
    let reachable = Mutex<Bool?>(nil)
    /// Brings the upstream's transfers for the box's licenses down to its dock (nil: this
    /// upstream takes no transfers).
    let puller: ManifestPuller?
    /// Seconds between looks at the upstream's incoming transfers.
    let pullSeconds: Double

    public init(config: UpstreamConfig, store: LotStore, logger: Logger, idle: Double = 0.25, maximumBackoff: Double = 30,
                pullSeconds: Double = 10) throws {
        let key = try ClientKey.read(path: config.clientKeyFile)
        // A commit is readable before its writer has synced it (see LotStore.write): what goes
        // upstream is on this box's disk first, so a power cut cannot leave the upstream holding
        // a change the box lost. The pusher reads the rows it sends just before each call.
        let client = try UpstreamClient(config: config, key: key, beforeChange: { [lane] in
            try await lane.run { try store.syncIfNeeded() }
        })
        var licenses: [String: UpstreamLicense] = [:]
        for license in config.licenses { licenses[try store.licenseID(named: license.local)] = license }
        guard let first = config.licenses.first else { throw UpstreamKeyError("upstream has no [[upstream.licenses]]") }
        pusher = OutboxPusher(client: client, store: store, lane: lane, licenses: licenses, fallback: first, kinds: config.kinds)
        self.store = store
        self.logger = logger
        self.kinds = config.kinds
        self.idle = idle
        self.maximumBackoff = maximumBackoff
        self.pullSeconds = pullSeconds
        puller = config.kinds.contains(.transfer)
            ? ManifestPuller(client: client, store: store, lane: lane, licenses: licenses, logger: logger) : nil
    }

    public func run() async throws {
        logger.info("the outbox drains to \(pusher.client.config.origin)")
        try await lane.run { [store] in try store.raiseOutboxFirstOpen() }
        await cancelWhenGracefulShutdown {
            var backoff = 0.5
            var lastPull: ContinuousClock.Instant?
            while !Task.isCancelled {
                do {
                    var progressed = try await self.pass()
                    if let puller = self.puller, lastPull.map({ ContinuousClock.now - $0 >= .seconds(self.pullSeconds) }) ?? true {
                        lastPull = ContinuousClock.now
                        progressed = try await !puller.pull().isEmpty || progressed
                    }
                    backoff = 0.5
                    if self.reachable.withLock({ $0 }) != true {
                        self.reachable.withLock { $0 = true }
                        self.logger.info("the upstream answers")
                        try await self.lane.run { [store = self.store] in try store.recordUpstreamReach(true, error: nil) }
                    }
                    if !progressed { try await Task.sleep(for: .seconds(self.idle)) }
                } catch is CancellationError {
                    break
                } catch {
                    if self.reachable.withLock({ $0 }) != false {
                        self.reachable.withLock { $0 = false }
                        self.logger.warning("the outbox waits: \(error); trying again with backoff up to \(Int(self.maximumBackoff)) s")
                        let why = "\(error)"
                        try? await self.lane.run { [store = self.store] in try store.recordUpstreamReach(false, error: why) }
                    }
                    let wait = backoff * Double.random(in: 0.5...1.5)
                    backoff = min(backoff * 2, self.maximumBackoff)
                    do { try await Task.sleep(for: .seconds(wait)) } catch { break }
                }
            }
        }
        await pusher.client.shutdown()
    }

    /// Closes the HTTP client, for a worker whose `run` never ran (`lotbox bench sync`).
    public func shutdown() async { await pusher.client.shutdown() }

    /// One pass, for `lotbox bench sync`: true when any event was settled. Throws when the
    /// upstream does not answer.
    public func drainPass() async throws -> Bool { try await pass() }

    /// Lot events sent together at most: independent lots (distinct, none a source of another in
    /// the wave) go up concurrently, so the upstream commits them together (its group commit)
    /// instead of one fsync each; their outcomes are settled in outbox order.
    static let waveSize = 32

    /// One pass over the waiting events, oldest first. True when any event was settled (sent,
    /// held or not taken), so the next pass starts at once.
    func pass() async throws -> Bool {
        let waiting = try await lane.run { [store] in
            let waiting = try store.outboxWaiting(limit: 1000)
            // Covers the commits of other processes too (a `lotbox` command's), which the
            // client's sync-if-needed does not count; not while only held events wait.
            if waiting.contains(where: { $0.state == "pending" }) { try store.syncCommits() }
            return waiting
        }
        var state = PassState()
        let creations = waiting.filter { $0.kind == "lot" && $0.action == "create" && $0.state == "pending" }.map(\.objectId)
        state.prefetched = try await lane.run { [store] in try store.outboxLots(creations) }
        for (lot, from) in try await lane.run({ [store] in try store.outboxReceived(creations) }) {
            state.prefetched[lot]?.row[OutboxPusher.receivedKey] = from.transfer
        }
        // What was sent is recorded in batches, and even when the pass stops early: a crash
        // before a batch is recorded only sends those again, which the upstream answers unchanged.
        do {
            var wave: [OutboxEvent] = []
            var waveKeys = Set<String>()
            for event in waiting {
                try Task.checkCancellation()
                let key = OutboxPusher.key(event.kind, event.objectId)
                if event.state == "held" {
                    if event.holdScope == "kind" { state.blockedKinds.insert(event.kind) } else { state.blocked.insert(key) }
                    try await blockLots(of: event, &state)
                    continue
                }
                if state.blockedKinds.contains(event.kind) || state.blocked.contains(key) {
                    state.blocked.insert(key)
                    continue
                }
                if let kind = UpstreamKind(rawValue: event.kind), !kinds.contains(kind) {
                    try await lane.run { [store] in try store.markOutboxNotTaken(event.id, reason: "upstream.kinds leaves out \(event.kind)") }
                    state.settled = true
                    continue
                }
                // A lot accepted from a transfer goes alone: its accept may make the transfer upstream.
                let received = event.action == "create" && state.prefetched[event.objectId]?.row[OutboxPusher.receivedKey] != nil
                var joins = event.kind == "lot" && !received && !waveKeys.contains(key) && wave.count < Self.waveSize
                var sourceKeys: [String] = []
                if event.kind == "lot", !received, event.action == "create" {
                    let id = event.objectId
                    let sources: [String]
                    if let known = state.prefetched[id] {
                        sources = known.family.compactMap { $0["inventory_id"] }
                    } else {
                        sources = try await lane.run { [store] in try store.outboxSources(of: id) }
                    }
                    sourceKeys = sources.map { OutboxPusher.key("lot", $0) }
                    joins = joins && !sourceKeys.contains(where: waveKeys.contains)
                }
                if !joins {
                    try await send(wave, &state)
                    wave = []
                    waveKeys = []
                    // A blocked object stays blocked: look again after the wave settled.
                    if state.blocked.contains(key) { continue }
                }
                if event.kind == "lot" && !received {
                    wave.append(event)
                    waveKeys.insert(key)
                    // A source's own later events (its void) wait for the lot made from it.
                    waveKeys.formUnion(sourceKeys)
                } else {
                    try await send([event], &state)
                }
            }
            try await send(wave, &state)
        } catch {
            try? await flush(&state.sent)
            throw error
        }
        try await flush(&state.sent)
        return state.settled
    }

    struct PassState {
        var blocked = Set<String>()
        var blockedKinds = Set<String>()
        var sent: [Int64] = []
        var settled = false
        var prefetched: OutboxPusher.Prefetched = [:]
    }

    /// Sends `events` (one, or a wave of independent lots) concurrently and settles each outcome in order.
    func send(_ events: [OutboxEvent], _ state: inout PassState) async throws {
        guard !events.isEmpty else { return }
        let blocked = state.blocked
        let prefetched = state.prefetched
        let outcomes: [PushOutcome]
        if events.count == 1 {
            // A lab result waits while a lot it covers is not recorded as sent: record what this
            // pass sent first, or it would wait a pass while lots made after it (a split, which
            // inherits it upstream too) went up before it and inherited nothing there.
            if events[0].kind == "lab_result" { try await flush(&state.sent) }
            outcomes = [try await pusher.push(events[0], blocked: blocked, prefetched: prefetched)]
        } else {
            outcomes = try await withThrowingTaskGroup(of: (Int, PushOutcome).self) { group in
                for (index, event) in events.enumerated() {
                    group.addTask { [pusher] in (index, try await pusher.push(event, blocked: blocked, prefetched: prefetched)) }
                }
                var results = [PushOutcome](repeating: .waits, count: events.count)
                for try await (index, outcome) in group { results[index] = outcome }
                return results
            }
        }
        for (event, outcome) in zip(events, outcomes) {
            let key = OutboxPusher.key(event.kind, event.objectId)
            switch outcome {
            case .sent:
                state.sent.append(event.id)
                state.settled = true
            case .waits:
                state.blocked.insert(key)
            case .refused(let reason, let scope):
                try await flush(&state.sent)
                try await lane.run { [store] in try store.markOutboxHeld(event.id, reason: reason, scope: scope) }
                logger.warning("outbox event \(event.id) (\(event.kind) \(event.objectId) \(event.action)) is held: \(reason)")
                if scope == "kind" { state.blockedKinds.insert(event.kind) } else { state.blocked.insert(key) }
                try await blockLots(of: event, &state)
                state.settled = true
            }
        }
        if state.sent.count >= 100 { try await flush(&state.sent) }
    }

    /// A held sale or transfer holds the lots it touched: until it goes, the upstream's
    /// quantities of those lots are not the box's, and their later events would be refused.
    func blockLots(of event: OutboxEvent, _ state: inout PassState) async throws {
        guard ["sale", "transfer"].contains(event.kind) else { return }
        let (kind, id) = (event.kind, event.objectId)
        for lot in try await lane.run({ [store] in try store.outboxLotsTouched(kind: kind, id: id) }) {
            state.blocked.insert(OutboxPusher.key("lot", lot))
        }
    }

    func flush(_ sent: inout [Int64]) async throws {
        guard !sent.isEmpty else { return }
        let ids = sent
        try await lane.run { [store] in try store.markOutboxSent(ids) }
        sent.removeAll()
    }
}
