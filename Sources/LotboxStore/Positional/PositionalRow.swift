import GRDB
import GRDBSQLite

/// The first row of a statement that names its columns, decoded by position: the store's reads
/// of one lot (every GET of a lot, every scan, every label) go through here.
///
/// Why not GRDB's `Row`: for every row it makes, it builds a dictionary of the statement's
/// column names, lower-cased, so that `row["qty"]` can be looked up; for a GET of a lot that was
/// as much as the SQLite lookup behind it. Here the statement is still GRDB's (cached, bound and
/// validated by it) and each value is read by GRDB's own column decoders; only the step and the
/// reset are SQLite's own calls, on the statement handle GRDB hands out for this.
struct PositionalRow {
    let statement: SQLiteStatement

    /// Runs `statement` with `arguments` and decodes its first row, or nil when there is none.
    /// The statement is reset before this returns, so an implicit read transaction ends here.
    static func first<T>(_ statement: Statement, arguments: StatementArguments, _ decode: (PositionalRow) throws -> T) throws -> T? {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return try decode(PositionalRow(statement: handle))
        case SQLITE_DONE: return nil
        default:
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql, arguments: arguments)
        }
    }

    /// The value at `index`; a NULL where a value is required, or a column the statement lacks, is
    /// an error naming it, not a crash. (As with GRDB's own fast decoding, SQLite converts other
    /// storage classes: text read as a number is 0. The store writes these columns itself, and an
    /// INTEGER column stores numeric text as a number.)
    func value<T: StatementColumnConvertible>(_ index: Int32) throws -> T {
        guard index < sqlite3_column_count(statement) else {
            throw StoreError.database("`\(sql)` has no column \(index)")
        }
        guard let value = T.fromStatement(statement, atUncheckedIndex: index) else {
            let name = sqlite3_column_name(statement, index).map { String(cString: $0) } ?? "#\(index)"
            throw StoreError.database("column \(name) of `\(sql)` holds no \(T.self)")
        }
        return value
    }

    /// The statement's text, for an error only (GRDB's `sql` copies and trims it each time).
    private var sql: String { sqlite3_sql(statement).map { String(cString: $0) } ?? "a statement" }
}
