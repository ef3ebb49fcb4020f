import GRDB

extension LotStore {
    /// The newest label job of each of `lots` (a reprint replaces the first job in a person's
    /// eyes): what the dock shows for the lots an acceptance made. Lots with no job yet are absent.
    public func newestLabelJobs(lots: [String]) throws -> [String: PrintJob] {
        guard !lots.isEmpty else { return [:] }
        return try read { db in
            let marks = lots.map { _ in "?" }.joined(separator: ",")
            let jobs = try PrintJob.fetchAll(db, sql: """
                SELECT * FROM print_job WHERE kind = 'lot-label' AND object_id IN (\(marks)) ORDER BY id
                """, arguments: StatementArguments(lots))
            var newest: [String: PrintJob] = [:]
            for job in jobs { if let lot = job.objectId { newest[lot] = job } }
            return newest
        }
    }
}
