import Foundation
import GRDB
import LotboxCore
import LotboxMetrics

/// What became of a batch's labels when its job did not complete.
public enum PrintBatchOutcome: Sendable, Equatable {
    /// Nothing can have printed (the job never reached the printer whole, or was canceled
    /// before it started): every label is simply sent again.
    case nothingPrinted
    /// The printer cannot say how far it got (raw ZPL through CUPS is one impression; a CUPS
    /// queue counts what its filters handled, not what the printer finished): every label is
    /// sent again, marked a possible duplicate.
    case unknown
    /// The printer finished the document's first `pages` pages: the labels on them are done, a
    /// label with some copies printed is sent again marked a possible duplicate, the rest are
    /// sent again.
    case pagesPrinted(Int)
}

extension LotStore {
    /// Starts a batch: the labels (each with the pages its copies fill) in the document's order
    /// are recorded as being sent in it before the first byte goes, so a crash while sending
    /// leaves a trace to check.
    public func startPrintBatch(printer: String, format: String, labels: [(job: String, pages: Int)]) throws -> PrintBatch {
        guard !labels.isEmpty else { throw StoreError.invalid("a print batch needs at least one label") }
        return try write { db in
            let id = try issueID(db)
            let total = labels.reduce(0) { $0 + $1.pages }
            try db.execute(sql: "INSERT INTO print_batch (id, printer, format, pages) VALUES (?, ?, ?, ?)",
                           arguments: [id, printer, format, total])
            var page = 0
            for (position, label) in labels.enumerated() {
                try db.execute(sql: """
                    INSERT INTO print_batch_label (batch_id, position, print_job_id, first_page, pages) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [id, position, label.job, page, label.pages])
                try db.execute(sql: """
                    UPDATE print_job SET state = 'submitted', cups_job_id = NULL, attempts = attempts + 1, reason = NULL, batch_id = ?,
                      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                    """, arguments: [id, label.job])
                page += label.pages
            }
            return try PrintBatch.find(db, key: id)
        }
    }

    /// A label of a batch being sent could not be rendered: it leaves the batch (the pages after
    /// it move up) and is held with the reason, since no retry will fix it.
    public func dropFromPrintBatch(_ batchID: String, job: String, reason: String) throws {
        let printer = try write { db -> String? in
            guard let label = try PrintBatchLabel.fetchOne(db, sql: "SELECT * FROM print_batch_label WHERE batch_id = ? AND print_job_id = ?",
                                                           arguments: [batchID, job]) else { return nil }
            try db.execute(sql: "DELETE FROM print_batch_label WHERE batch_id = ? AND position = ?", arguments: [batchID, label.position])
            try db.execute(sql: "UPDATE print_batch_label SET first_page = first_page - ? WHERE batch_id = ? AND position > ?",
                           arguments: [label.pages, batchID, label.position])
            try db.execute(sql: "UPDATE print_batch SET pages = pages - ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                           arguments: [label.pages, batchID])
            return try String.fetchOne(db, sql: """
                UPDATE print_job SET state = 'held', reason = ?, next_attempt_at = NULL, batch_id = NULL,
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? RETURNING printer
                """, arguments: [reason, job])
        }
        if let printer { Telemetry.labelHeld(printer: printer, reason: "label-refused") }
    }

    /// The printer made the batch's job (`cupsJobID`). `whole`: it took the whole document (the
    /// batch is submitted); else the sending broke off and the batch stays `sending`, so a job the
    /// printer ends, even as completed, is known to lack labels. `acceptedAt`: when the printer's
    /// reply to the document came (its labels' `submitted_at`), if not now.
    public func markPrintBatchSubmitted(_ batchID: String, cupsJobID: Int, whole: Bool = true, acceptedAt: String? = nil) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE print_batch SET state = ?, cups_job_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [whole ? "submitted" : "sending", cupsJobID, batchID])
            try db.execute(sql: """
                UPDATE print_job SET cups_job_id = ?, submitted_at = coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE batch_id = ? AND state = 'submitted'
                """, arguments: [cupsJobID, acceptedAt, batchID])
        }
    }

    /// The printer finished the batch's job: every label in it is printed. Returns how many
    /// labels it marked printed. `synced: false` when the printer's next batch is about to
    /// start: its start is synced before a byte of it leaves and carries this to the disk (if
    /// none starts, the caller syncs it with ``syncIfNeeded()``). A process that dies
    /// meanwhile loses nothing; a power cut leaves the batch submitted with its job (recorded
    /// synced), to be asked of the printer again.
    @discardableResult
    public func completePrintBatch(_ batchID: String, synced: Bool = true) throws -> Int {
        let done = try write(synced: synced) { db -> [Row] in
            try db.execute(sql: """
                UPDATE print_batch SET state = 'completed', reason = NULL, completed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [batchID])
            return try Row.fetchAll(db, sql: """
                UPDATE print_job SET state = 'completed', reason = NULL, completed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE batch_id = ? AND state = 'submitted'
                RETURNING printer, (julianday(completed_at) - julianday(created_at)) * 86400.0 AS seconds
                """, arguments: [batchID])
        }
        for row in done { Telemetry.labelPrinted(printer: row["printer"], seconds: row["seconds"] ?? 0) }
        return done.count
    }

    /// The batch's job ended without completing (or never reached the printer whole): each of its
    /// labels is settled by `outcome` and those to print again are queued for `retryAt(attempts)`
    /// (nil: now), with `reason`. The batch becomes `state` (stopped or abandoned). Returns the
    /// labels sent again.
    @discardableResult
    public func settlePrintBatch(_ batchID: String, outcome: PrintBatchOutcome, state: String = "stopped", reason: String,
                                 retryAt: (_ attempts: Int) -> String?) throws -> Int {
        let (printer, completed, again) = try write { db -> (String, [Row], Int) in
            let printed: Int?
            if case .pagesPrinted(let pages) = outcome { printed = pages } else { printed = nil }
            try db.execute(sql: """
                UPDATE print_batch SET state = ?, reason = ?, impressions_completed = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                """, arguments: [state, reason, printed, batchID])
            let printer = try String.fetchOne(db, sql: "SELECT printer FROM print_batch WHERE id = ?", arguments: [batchID]) ?? ""
            let labels = try PrintBatchLabel.fetchAll(db, sql: """
                SELECT l.* FROM print_batch_label l JOIN print_job j ON j.id = l.print_job_id
                WHERE l.batch_id = ? AND j.batch_id = l.batch_id AND j.state = 'submitted' ORDER BY l.position
                """, arguments: [batchID])
            var completed: [Row] = []
            var again = 0
            // One time per number of attempts, asked once: labels sent again together fall due
            // together and go again as one job, not split by the milliseconds between them.
            var times: [Int: String?] = [:]
            for label in labels {
                let done: Bool, duplicate: Bool
                switch outcome {
                case .nothingPrinted: (done, duplicate) = (false, false)
                case .unknown: (done, duplicate) = (false, true)
                case .pagesPrinted(let pages):
                    done = label.firstPage + label.pages <= pages
                    duplicate = !done && label.firstPage < pages
                }
                if done {
                    if let row = try Row.fetchOne(db, sql: """
                        UPDATE print_job SET state = 'completed', reason = NULL, completed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                        RETURNING (julianday(completed_at) - julianday(created_at)) * 86400.0 AS seconds
                        """, arguments: [label.printJobId]) { completed.append(row) }
                } else {
                    let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM print_job WHERE id = ?", arguments: [label.printJobId]) ?? 0
                    let due = times[attempts] ?? retryAt(attempts)
                    times[attempts] = due
                    try db.execute(sql: """
                        UPDATE print_job SET state = 'queued', reason = ?, next_attempt_at = ?, cups_job_id = NULL,
                          possible_duplicate = possible_duplicate OR ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?
                        """, arguments: [reason, due, duplicate, label.printJobId])
                    again += 1
                }
            }
            return (printer, completed, again)
        }
        for row in completed { Telemetry.labelPrinted(printer: printer, seconds: row["seconds"] ?? 0) }
        if again > 0 && outcome != .nothingPrinted {
            for _ in 0..<again { Telemetry.labelFailed(printer: printer) }
        }
        return again
    }

    /// A printer's batches that are being sent or printed: followed on every pass, and looked up
    /// after a restart.
    public func openPrintBatches(printer: String) throws -> [PrintBatch] {
        try read { db in
            try PrintBatch.fetchAll(db, sql: "SELECT * FROM print_batch WHERE printer = ? AND state IN ('sending','submitted') ORDER BY id",
                                    arguments: [printer])
        }
    }

    /// One batch, if there is one by that id.
    public func printBatch(_ batchID: String) throws -> PrintBatch? {
        try read { db in try PrintBatch.fetchOne(db, key: batchID) }
    }

    /// The labels a batch carries, in the document's order.
    public func printBatchLabels(_ batchID: String) throws -> [PrintBatchLabel] {
        try read { db in
            try PrintBatchLabel.fetchAll(db, sql: "SELECT * FROM print_batch_label WHERE batch_id = ? ORDER BY position", arguments: [batchID])
        }
    }

    /// For each job that rode in a batch: the batch, the label's place among the labels it carried
    /// (from 0; a label dropped from the batch leaves no gap) and how many it carried (`lotbox queue list`).
    public func printBatchPlaces(of jobs: [PrintJob]) throws -> [String: (batch: PrintBatch, position: Int, labels: Int)] {
        let wanted = jobs.filter { $0.batchId != nil }
        guard !wanted.isEmpty else { return [:] }
        return try read { db in
            var batches: [String: (PrintBatch, Int)] = [:]
            var places: [String: (batch: PrintBatch, position: Int, labels: Int)] = [:]
            for job in wanted {
                guard let batchID = job.batchId else { continue }
                if batches[batchID] == nil, let batch = try PrintBatch.fetchOne(db, key: batchID) {
                    let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM print_batch_label WHERE batch_id = ?", arguments: [batchID]) ?? 0
                    batches[batchID] = (batch, count)
                }
                guard let (batch, count) = batches[batchID],
                      let position = try Int.fetchOne(db, sql: """
                          SELECT count(*) FROM print_batch_label WHERE batch_id = ?1
                            AND position < (SELECT position FROM print_batch_label WHERE batch_id = ?1 AND print_job_id = ?2)
                          HAVING EXISTS (SELECT 1 FROM print_batch_label WHERE batch_id = ?1 AND print_job_id = ?2)
                          """, arguments: [batchID, job.id]) else { continue }
                places[job.id] = (batch, position, count)
            }
            return places
        }
    }
}
