#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import LotboxCore

/// What `/ready`, `/metrics` and `lotbox doctor` ask of the store: that it still reads, how big
/// its files are, its ULID mark, and SQLite's own check of its pages. All reads; none writes.
extension LotStore {
    /// Reads the store as a request would (its meta table, through the pool): throws, in one
    /// line, when the file is gone from its path or no longer reads.
    public func probe() throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.database("the store file \(path) is gone (\(String(cString: strerror(errno)))); it must be restored and lotbox restarted")
        }
        _ = try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM lotbox_meta") }
        if let failure = commitSync?.failure { throw StoreError.halted(path: path, reason: failure) }
    }

    /// The sizes in bytes of the database file and its `-wal` (0 when there is none).
    public func fileSizes() -> (database: Int64, wal: Int64) {
        func size(_ file: String) -> Int64 {
            var info = stat()
            return stat(file, &info) == 0 ? Int64(info.st_size) : 0
        }
        return (size(path), size(commitSync?.wal ?? StoreFiles.resolved(path) + "-wal"))
    }

    /// The milliseconds of the newest ULID the store issued, if it issued any.
    public func ulidMarkMilliseconds() throws -> UInt64? {
        guard let text = try ulidMark() else { return nil }
        return (try? ULID(parsing: text))?.milliseconds
    }

    /// `PRAGMA quick_check`: "ok", or SQLite's first problems, on one line.
    public func quickCheck() throws -> String {
        let rows = try read { try String.fetchAll($0, sql: "PRAGMA quick_check(10)") }
        let lines = rows.flatMap { $0.split(whereSeparator: \.isNewline) }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "*** in database main ***" }
        return lines.isEmpty ? "ok" : lines.joined(separator: "; ")
    }
}

extension LotStore {
    /// Jobs waiting per printer and state (`queued`, `submitted`, `held`): the label queue's depth.
    public func printQueueDepth() throws -> [(printer: String, state: String, count: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT printer, state, count(*) AS n FROM print_job WHERE state IN ('queued', 'submitted', 'held')
                GROUP BY printer, state ORDER BY printer, state
                """).map { (printer: $0["printer"], state: $0["state"], count: $0["n"]) }
        }
    }
}
