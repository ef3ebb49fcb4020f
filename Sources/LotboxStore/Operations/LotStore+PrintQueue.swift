import Foundation
import GRDB
import LotboxCore
import LotboxMetrics

/// Where a new lot's label goes: a printer, the template it prints, and how many.
public struct LabelRoute: Sendable, Equatable {
    public var printer: String
    public var template: String
    public var copies: Int

    /// The copies one label may be asked for, everywhere it can be asked (`--copies`, the API's
    /// `copies` and its OpenAPI document, a printer's `copies` in the config, the queue): a
    /// sheet's worth of labels for a shelf, few enough that a slip of the keyboard does not run a
    /// roll out. ZPL carries them in `^PQ`, PWG and PDF as pages, so no printer limits them.
    public static let copiesLimit = 1...1000

    /// The one line a copies count outside `copiesLimit` gets, naming it.
    public static func copiesRefusal(_ copies: Int, what: String = "copies") -> String {
        "\(what) \(copies) is not between \(copiesLimit.lowerBound) and \(copiesLimit.upperBound)"
    }

    public init(printer: String, template: String, copies: Int = 1) {
        self.printer = printer
        self.template = template
        self.copies = copies
    }
}

extension LotStore {
    /// The change-feed reader that turns new lots into label jobs.
    public static let labelQueueConsumer = "label-queue"

    /// Reads the change feed after the label queue's cursor and queues one job per route for
    /// every lot created here or received (imported lots only with `includeImported`); the
    /// cursor advances in the same transaction, so each lot is queued exactly once, whoever
    /// created it and whatever crashed in between. Returns the jobs queued.
    @discardableResult
    public func queueNewLots(routes: [LabelRoute], includeImported: Bool = false, limit: Int = 1_000,
                             consumer: String = LotStore.labelQueueConsumer) throws -> [PrintJob] {
        try queueNewLots(routes: routes, includeImported: includeImported, limit: limit, consumer: consumer, readBack: true).jobs
    }

    /// As ``queueNewLots(routes:includeImported:limit:consumer:)``, for the daemon, which needs
    /// only how many were queued: the jobs are not read back (decoding a thousand rows it would
    /// not look at was a tenth of a large batch's cost).
    public func queueNewLotsCounted(routes: [LabelRoute], includeImported: Bool = false, limit: Int = 1_000,
                                    consumer: String = LotStore.labelQueueConsumer) throws -> Int {
        try queueNewLots(routes: routes, includeImported: includeImported, limit: limit, consumer: consumer, readBack: false).count
    }

    private func queueNewLots(routes: [LabelRoute], includeImported: Bool, limit: Int, consumer: String,
                              readBack: Bool) throws -> (count: Int, jobs: [PrintJob]) {
        var perPrinter: [String: Int] = [:]
        // Committed without its own sync: the jobs and the cursor go together, so a power cut
        // that loses them makes the next pass queue the same lots again (their creation was
        // synced). A job is synced before a byte of it leaves: marking it sent syncs the WAL.
        let jobs = try write(synced: false) { db -> [PrintJob] in
            perPrinter = [:]
            let cursor = try Int64.fetchOne(db, sql: "SELECT cursor FROM feed_cursor WHERE consumer = ?", arguments: [consumer]) ?? 0
            let events = try ChangeEvent.fetchAll(db, sql: "SELECT * FROM change_event WHERE id > ? ORDER BY id LIMIT ?",
                                                  arguments: [cursor, limit])
            guard let last = events.last else { return [] }
            // A lot voided (or void requested) since it was created gets no label: on a first run
            // the feed holds every lot ever made, and a void one must never be labeled for sale.
            let wanted = try events.filter { event in
                guard event.objectType == "inventory" && event.action == "create"
                        && (includeImported || event.origin != LotOrigin.imported.rawValue) else { return false }
                let stat = try Int.fetchOne(db.cachedStatement(sql: "SELECT stat FROM inventory WHERE id = ?"), arguments: [event.objectId])
                return stat == Stat.live
            }
            let ids = try issueIDs(db, count: wanted.count * routes.count)
            var jobs: [PrintJob] = []
            var next = ids.makeIterator()
            for event in wanted {
                for route in routes {
                    guard let id = next.next() else { break }
                    try db.cachedStatement(sql: """
                        INSERT INTO print_job (id, kind, object_id, template, printer, copies) VALUES (?, 'lot-label', ?, ?, ?, ?)
                        """).execute(arguments: [id, event.objectId, route.template, route.printer, route.copies])
                    perPrinter[route.printer, default: 0] += 1
                    if readBack { jobs.append(try PrintJob.find(db, key: id)) }
                }
            }
            try db.execute(sql: """
                INSERT INTO feed_cursor (consumer, cursor) VALUES (?, ?)
                ON CONFLICT(consumer) DO UPDATE SET cursor = excluded.cursor, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                """, arguments: [consumer, last.id])
            return jobs
        }
        for (printer, queued) in perPrinter { Telemetry.labelsQueued(printer: printer, count: queued) }
        return (perPrinter.values.reduce(0, +), jobs)
    }

    /// Queues a reprint of a lot's label (`lotbox print LOT`).
    public func queueReprint(_ lotKey: String, route: LabelRoute, actor: String) throws -> PrintJob {
        guard let job = try queueReprints([lotKey], route: route, actor: actor).first else {
            throw StoreError.invalid("no reprint was queued for \(lotKey)")
        }
        return job
    }

    /// Queues reprints of many lots' labels in one transaction, all or none (`lotbox print LOT...`,
    /// `label batch --print`): queued together, they go to the printer together as one job.
    public func queueReprints(_ lotKeys: [String], route: LabelRoute, actor: String) throws -> [PrintJob] {
        guard LabelRoute.copiesLimit.contains(route.copies) else {
            throw StoreError.invalid(LabelRoute.copiesRefusal(route.copies))
        }
        let jobs = try write { db -> [PrintJob] in
            var jobs: [PrintJob] = []
            for lotKey in lotKeys {
                let lot = try resolveLot(db, lotKey)
                guard !lot.isVoid else {
                    throw StoreError.conflict("lot \(lot.id) is \(lot.stat == Stat.voidRequested ? "void requested (stat 410)" : "void (stat 423)"); "
                                              + "a void lot's label is not printed (`lotbox label render --force` draws one marked VOID)")
                }
                let id = try issueID(db)
                try db.execute(sql: "INSERT INTO print_job (id, kind, object_id, template, printer, copies) VALUES (?, 'lot-label', ?, ?, ?, ?)",
                               arguments: [id, lot.id, route.template, route.printer, route.copies])
                try audit(db, actor: actor, action: "reprint", objectType: "print_job", objectID: id, detail: ["lot": lot.id])
                jobs.append(try PrintJob.find(db, key: id))
            }
            return jobs
        }
        if let first = jobs.first { Telemetry.labelsQueued(printer: first.printer, count: jobs.count) }
        return jobs
    }

    /// Jobs, oldest first; all of them or those in `states`.
    public func printJobs(states: [String] = [], limit: Int = 1_000) throws -> [PrintJob] {
        try read { db in
            if states.isEmpty {
                return try PrintJob.fetchAll(db, sql: "SELECT * FROM print_job ORDER BY id LIMIT ?", arguments: [limit])
            }
            let marks = states.map { _ in "?" }.joined(separator: ",")
            return try PrintJob.fetchAll(db, sql: "SELECT * FROM print_job WHERE state IN (\(marks)) ORDER BY id LIMIT ?",
                                         arguments: StatementArguments(states.map(\.databaseValue) + [limit.databaseValue]))
        }
    }

    /// Holds a queued or failed job (nothing is printed until it is released).
    public func holdPrintJob(_ id: String, reason: String, actor: String) throws -> PrintJob {
        let job = try changePrintJob(id, from: ["queued", "failed"], to: "held", reason: reason, actor: actor)
        Telemetry.labelHeld(printer: job.printer, reason: "held-by-person")
        return job
    }

    /// Puts a held or failed job back in the queue.
    public func releasePrintJob(_ id: String, actor: String) throws -> PrintJob {
        try changePrintJob(id, from: ["held", "failed"], to: "queued", reason: nil, actor: actor)
    }

    /// Cancels a job that has not been submitted.
    public func cancelPrintJob(_ id: String, actor: String) throws -> PrintJob {
        try changePrintJob(id, from: ["queued", "held", "failed"], to: "canceled", reason: nil, actor: actor)
    }

    private func changePrintJob(_ id: String, from states: [String], to state: String, reason: String?,
                                actor: String) throws -> PrintJob {
        try write { db in
            guard let job = try PrintJob.fetchOne(db, key: id) else { throw StoreError.notFound(kind: "print job", key: id) }
            guard states.contains(job.state) else {
                throw StoreError.conflict("print job \(id) is \(job.state); only a job that is \(states.joined(separator: " or ")) can become \(state)")
            }
            try db.execute(sql: """
                UPDATE print_job SET state = ?, reason = ?, next_attempt_at = NULL,
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [state, reason, id])
            try audit(db, actor: actor, action: "print-\(state)", objectType: "print_job", objectID: id,
                      detail: reason.map { ["reason": $0] } ?? [:])
            return try PrintJob.find(db, key: id)
        }
    }
}

// MARK: - The printer's side

extension LotStore {
    /// The oldest job for `printer` that is queued and due (or failed and due for a retry).
    public func nextPrintJob(printer: String, now: String = Timestamp.now()) throws -> PrintJob? {
        try read { db in
            try PrintJob.fetchOne(db, sql: """
                SELECT * FROM print_job WHERE printer = ? AND state = 'queued'
                  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                ORDER BY id LIMIT 1
                """, arguments: [printer, now])
        }
    }

    /// About to send the job: recorded first, so a crash while sending leaves a trace to check.
    public func markPrintJobSending(_ id: String) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE print_job SET state = 'submitted', cups_job_id = NULL, attempts = attempts + 1, reason = NULL,
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [id])
        }
    }

    /// Jobs a printer was sent (or was being sent) and has not finished: checked after a restart.
    public func submittedPrintJobs(printer: String) throws -> [PrintJob] {
        try read { db in
            try PrintJob.fetchAll(db, sql: "SELECT * FROM print_job WHERE printer = ? AND state = 'submitted' ORDER BY id",
                                  arguments: [printer])
        }
    }

    /// Nobody can tell whether the printer printed it: send it again, marked as a possible duplicate.
    public func requeuePossibleDuplicate(_ id: String, reason: String) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE print_job SET state = 'queued', possible_duplicate = 1, cups_job_id = NULL, reason = ?,
                  next_attempt_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [reason, id])
        }
    }

    /// The printer took the job under `cupsJobID`.
    public func markPrintJobSubmitted(_ id: String, cupsJobID: Int) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE print_job SET state = 'submitted', cups_job_id = ?, reason = NULL,
                  submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [cupsJobID, id])
        }
    }

    /// The printer finished the job.
    public func markPrintJobCompleted(_ id: String) throws {
        let done = try write { db in
            try Row.fetchOne(db, sql: """
                UPDATE print_job SET state = 'completed', reason = NULL, completed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                RETURNING printer, (julianday(completed_at) - julianday(created_at)) * 86400.0 AS seconds
                """,
                           arguments: [id])
        }
        if let done { Telemetry.labelPrinted(printer: done["printer"], seconds: done["seconds"] ?? 0) }
    }

    /// The job could not be printed now: queued again for `retryAt`, or held when it never can be
    /// as it is (a label the template refuses), with the reason either way. Nothing is dropped.
    public func markPrintJobFailed(_ id: String, reason: String, retryAt: String?) throws {
        let printer = try write { db -> String? in
            if let retryAt {
                return try String.fetchOne(db, sql: """
                    UPDATE print_job SET state = 'queued', reason = ?, next_attempt_at = ?, attempts = attempts + 1,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? RETURNING printer
                    """, arguments: [reason, retryAt, id])
            } else {
                return try String.fetchOne(db, sql: """
                    UPDATE print_job SET state = 'held', reason = ?, next_attempt_at = NULL,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? RETURNING printer
                    """, arguments: [reason, id])
            }
        }
        guard let printer else { return }
        if retryAt != nil { return Telemetry.labelFailed(printer: printer) }
        Telemetry.labelHeld(printer: printer, reason: reason.contains("left half-sent") ? "half-sent" : "label-refused")
    }
}
