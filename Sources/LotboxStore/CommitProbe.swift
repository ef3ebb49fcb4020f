import GRDB

/// Tells whether anything was committed to the store since it last looked, by any connection
/// of any process (`PRAGMA data_version` on a connection of its own). The daemon's file watcher
/// fires on every write to the store's files, including its own reads' WAL-index updates and
/// checkpoints; the probe turns that into "something was committed, look at the feed".
public final class CommitProbe: @unchecked Sendable {
    private let queue: DatabaseQueue
    private var lastVersion: Int?

    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        queue = try DatabaseQueue(path: path, configuration: config)
    }

    /// True when a commit happened since the previous call (and on the first call).
    public func sawCommit() -> Bool {
        guard let version = try? queue.inDatabase({ try Int.fetchOne($0, sql: "PRAGMA data_version") }) else { return true }
        defer { lastVersion = version }
        return lastVersion != version
    }
}

extension LotStore {
    /// A probe for commits by anyone (see ``CommitProbe``).
    public func commitProbe() throws -> CommitProbe {
        do {
            return try CommitProbe(path: path)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// True when the change feed has events past `consumer`'s cursor: a read, so a wake with
    /// nothing new never takes the write lock a printer or a station is waiting for.
    public func hasUnreadChanges(consumer: String = LotStore.labelQueueConsumer) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT coalesce((SELECT max(id) FROM change_event), 0) > coalesce((SELECT cursor FROM feed_cursor WHERE consumer = ?), 0)
                """), arguments: [consumer]) ?? true
        }
    }
}
