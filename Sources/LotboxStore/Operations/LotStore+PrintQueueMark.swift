import GRDB

extension LotStore {
    /// A fingerprint of the printers' unfinished jobs (how many, and the newest change among
    /// them): it changes whenever a job is queued, held, released, failed, sent, finished or
    /// canceled, so `/events` can tell a queue screen to look again without a change feed of
    /// print jobs. One indexed count per printer (`print_job_waiting` leads with the printer),
    /// and the newest job's id: a label queued and printed between two looks leaves the
    /// unfinished jobs as they were, but not the newest id (the dock shows such a label printed).
    public func printQueueMark(printers: [String]) throws -> String {
        try read { db in
            var mark = "new=\(try String.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM print_job")) ?? "");"
            for printer in printers {
                let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) AS jobs, coalesce(max(updated_at), '') AS newest FROM print_job
                     WHERE printer = ? AND state IN ('queued', 'sending', 'submitted', 'held', 'failed')
                    """), arguments: [printer])
                mark += "\(printer)=\(row?["jobs"] as Int? ?? 0)@\(row?["newest"] as String? ?? "");"
            }
            return mark
        }
    }
}
