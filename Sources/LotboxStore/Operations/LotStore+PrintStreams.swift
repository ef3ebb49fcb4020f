import GRDB
import LotboxCore
import LotboxMetrics

/// Several jobs sent to one printer as one stream (a ZPL printer on its raw port takes a run of
/// labels in one connection): recorded together, so a run of labels costs two commits, not two
/// a label. The states are those of single jobs.
extension LotStore {
    /// Up to `limit` of a printer's due jobs, oldest first.
    public func nextPrintJobs(printer: String, limit: Int, now: String = Timestamp.now()) throws -> [PrintJob] {
        try read { db in
            try PrintJob.fetchAll(db, sql: """
                SELECT * FROM print_job WHERE printer = ? AND state = 'queued'
                  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                ORDER BY id LIMIT ?
                """, arguments: [printer, now, limit])
        }
    }

    /// About to send these jobs: recorded first, so a crash while sending leaves a trace to check.
    public func markPrintJobsSending(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE print_job SET state = 'submitted', cups_job_id = NULL, attempts = attempts + 1, reason = NULL,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [id])
            }
        }
    }

    /// The printer took these jobs whole.
    public func markPrintJobsCompleted(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE print_job SET state = 'completed', reason = NULL, completed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [id])
            }
        }
    }

    /// None of these jobs could be sent now (the printer did not answer): each is queued again
    /// for `retryAt` with the reason, in one commit.
    public func markPrintJobsFailed(_ ids: [String], reason: String, retryAt: String) throws {
        guard !ids.isEmpty else { return }
        let printers = try write { db -> [String] in
            try ids.compactMap { id in
                try String.fetchOne(db, sql: """
                    UPDATE print_job SET state = 'queued', reason = ?, next_attempt_at = ?, attempts = attempts + 1,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? RETURNING printer
                    """, arguments: [reason, retryAt, id])
            }
        }
        for printer in printers { Telemetry.labelFailed(printer: printer) }
    }
}

extension LotStore {
    /// Splits a queued job whose copies are more than its printer takes in one job (IPP
    /// `copies-supported`) into jobs of at most `most` copies each, the first keeping its id.
    /// The copies a person asked for all print; none is refused for the printer's sake.
    @discardableResult
    public func splitPrintJob(_ id: String, most: Int, actor: String) throws -> [PrintJob] {
        guard most >= 1 else { throw StoreError.invalid("a printer that takes \(most) copies a job cannot be sent any") }
        return try write { db -> [PrintJob] in
            guard let job = try PrintJob.fetchOne(db, key: id) else { throw StoreError.notFound(kind: "print job", key: id) }
            guard job.state == "queued" else {
                throw StoreError.conflict("print job \(id) is \(job.state); only a queued job is split")
            }
            guard job.copies > most else { return [job] }
            var parts = [most]
            var left = job.copies - most
            while left > 0 {
                parts.append(min(most, left))
                left -= most
            }
            try db.execute(sql: "UPDATE print_job SET copies = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [most, id])
            var made: [String] = []
            for copies in parts.dropFirst() {
                let newID = try issueID(db)
                try db.execute(sql: """
                    INSERT INTO print_job (id, kind, object_id, template, printer, copies, possible_duplicate)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [newID, job.kind, job.objectId, job.template, job.printer, copies, job.possibleDuplicate])
                made.append(newID)
            }
            try audit(db, actor: actor, action: "print-split", objectType: "print_job", objectID: id,
                      detail: ["copies": "\(job.copies)", "most": "\(most)", "jobs": ([id] + made).joined(separator: ",")])
            return try ([id] + made).map { try PrintJob.find(db, key: $0) }
        }
    }
}

extension LotStore {
    /// Holds `printer`'s queued jobs queued before `cutoff` (stale after an outage) with
    /// `reason`, except those a person released since `cutoff`: a release is a decision to
    /// print, not to be asked again at once. Returns the jobs held.
    @discardableResult
    public func holdStalePrintJobs(printer: String, queuedBefore cutoff: String, reason: String) throws -> [PrintJob] {
        let held = try write { db -> [PrintJob] in
            let stale = try PrintJob.fetchAll(db, sql: """
                SELECT * FROM print_job WHERE printer = ? AND state = 'queued' AND created_at < ? ORDER BY id
                """, arguments: [printer, cutoff])
            guard !stale.isEmpty else { return [] }
            let marks = stale.map { _ in "?" }.joined(separator: ",")
            let released = Set(try String.fetchAll(db, sql: """
                SELECT object_id FROM audit_log WHERE object_type = 'print_job' AND action = 'print-queued'
                  AND created_at >= ? AND object_id IN (\(marks))
                """, arguments: StatementArguments([cutoff] + stale.map(\.id))))
            var held: [PrintJob] = []
            for job in stale where !released.contains(job.id) {
                try db.execute(sql: """
                    UPDATE print_job SET state = 'held', reason = ?, next_attempt_at = NULL,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [reason, job.id])
                try audit(db, actor: "lotbox", action: "print-held", objectType: "print_job", objectID: job.id, detail: ["reason": reason])
                held.append(try PrintJob.find(db, key: job.id))
            }
            return held
        }
        if !held.isEmpty { Telemetry.labelHeld(printer: printer, reason: "stale") }
        return held
    }
}

extension LotStore {
    /// What a media hold's reason ends with: how the worker finds the labels to let go when the
    /// right media is loaded.
    public static let mediaHoldMark = ": held until it is loaded or a person releases it"

    /// Holds `printer`'s queued jobs of `template` because the loaded media is not the
    /// template's (`reason` ends with `mediaHoldMark`), except those a person released before:
    /// releasing one is a decision to print it on the loaded stock. Returns how many were held.
    @discardableResult
    public func holdPrintJobsForMedia(printer: String, template: String, reason: String) throws -> Int {
        let held = try write { db -> Int in
            let queued = try String.fetchAll(db, sql: "SELECT id FROM print_job WHERE printer = ? AND state = 'queued' AND template = ?",
                                             arguments: [printer, template])
            guard !queued.isEmpty else { return 0 }
            let marks = queued.map { _ in "?" }.joined(separator: ",")
            let released = Set(try String.fetchAll(db, sql: """
                SELECT object_id FROM audit_log WHERE object_type = 'print_job' AND action = 'print-queued' AND object_id IN (\(marks))
                """, arguments: StatementArguments(queued)))
            var count = 0
            for id in queued where !released.contains(id) {
                try db.execute(sql: """
                    UPDATE print_job SET state = 'held', reason = ?, next_attempt_at = NULL,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [reason, id])
                try audit(db, actor: "lotbox", action: "print-held", objectType: "print_job", objectID: id, detail: ["reason": reason])
                count += 1
            }
            return count
        }
        if held > 0 { Telemetry.labelHeld(printer: printer, reason: "media-mismatch") }
        return held
    }

    /// The templates whose jobs at `printer` are held for their media, each with why (its
    /// reason without `mediaHoldMark`).
    public func mediaHeldTemplates(printer: String) throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT template, MAX(reason) AS reason FROM print_job WHERE printer = ? AND state = 'held' AND reason LIKE ? GROUP BY template",
                                        arguments: [printer, "%" + LotStore.mediaHoldMark])
            var held: [String: String] = [:]
            for row in rows {
                let template: String = row["template"]
                let reason: String = row["reason"] ?? ""
                held[template] = String(reason.dropLast(reason.hasSuffix(LotStore.mediaHoldMark) ? LotStore.mediaHoldMark.count : 0))
            }
            return held
        }
    }

    /// Says the media now loaded in the reason of the jobs of `template` held for their media (a
    /// roll changed for another that does not fit either): a person reads what is loaded now.
    public func restateMediaHold(printer: String, template: String, reason: String) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE print_job SET reason = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                WHERE printer = ? AND template = ? AND state = 'held' AND reason LIKE ? AND reason != ?
                """, arguments: [reason, printer, template, "%" + LotStore.mediaHoldMark, reason])
        }
    }

    /// Lets go of the jobs of `template` held for their media: it is loaded now. Returns how many.
    @discardableResult
    public func releaseMediaHeld(printer: String, template: String) throws -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE print_job SET state = 'queued', reason = NULL, next_attempt_at = NULL,
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                WHERE printer = ? AND template = ? AND state = 'held' AND reason LIKE ?
                """, arguments: [printer, template, "%" + LotStore.mediaHoldMark])
            let count = db.changesCount
            if count > 0 { try audit(db, actor: "lotbox", action: "print-media-loaded", objectType: "printer", objectID: printer, detail: ["template": template, "jobs": "\(count)"]) }
            return count
        }
    }
}
