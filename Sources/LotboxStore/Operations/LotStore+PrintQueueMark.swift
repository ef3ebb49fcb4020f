import GRDB

extension LotStore {
    /// A fingerprint of the printers' unfinished jobs (how many, and the newest change among
    /// them): it changes whenever a job is queued, held, released, failed, sent, finished or
    /// canceled, so `/events` can tell a queue screen to look again without a change feed of
    /// print jobs. One indexed count per printer (`print_job_waiting` leads with the printer).
    public func printQueueMark(printers: [String]) throws -> String {
        try read { db in
            var mark = ""
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
