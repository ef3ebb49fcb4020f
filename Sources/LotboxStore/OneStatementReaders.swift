import Foundation
import GRDB
import Synchronization

/// Read-only connections for reads of one statement (``LotStore/readOne(_:)``: the API's GET of a
/// lot, a scanner's lookup, a page session), each lent to one thread at a time under a short lock.
///
/// Why not GRDB's pool: it lends a reader through a dispatch barrier and a semaphore and checks
/// the schema version before every read. With the API's four threads reading at once that was a
/// quarter of a GET's CPU, and its contended barrier most of the futex waits.
///
/// Nor is the schema version checked here: that check was a second read transaction, and a
/// tenth of a GET's CPU. Instead every statement read here names its columns. SQLite prepares a
/// cached statement again after another process changed the schema, but GRDB keeps the column
/// names it first saw, so `SELECT *` of a table rebuilt with its columns in another order would
/// read each field from the wrong column; a statement that names its columns cannot move them.
final class OneStatementReaders: Sendable {
    private let idle = Mutex<[DatabaseQueue]>([])
    private let opened = Atomic<Int>(0)
    private let path: String
    private let configuration: Configuration
    /// At most this many connections are opened; a read that finds none idle then goes to the pool.
    let limit: Int

    init(path: String, configuration: Configuration, limit: Int = 6) {
        self.path = path
        var configuration = configuration
        configuration.readonly = true
        self.configuration = configuration
        self.limit = limit
    }

    /// How many connections were opened so far (for tests: never more than `limit`).
    var openedCount: Int { opened.load(ordering: .relaxed) }

    /// Runs `body` on an idle connection (opening one if fewer than `limit` are open), or returns
    /// nil without running it when all are lent or none can be opened, so the caller reads
    /// through the pool instead.
    func withConnection<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let reader = take() else { return nil }
        defer { idle.withLock { $0.append(reader) } }
        return try reader.inDatabase(body)
    }

    private func take() -> DatabaseQueue? {
        if let reader = idle.withLock({ $0.popLast() }) { return reader }
        let count = opened.add(1, ordering: .relaxed).newValue
        guard count <= limit, let queue = try? DatabaseQueue(path: path, configuration: configuration) else {
            opened.subtract(1, ordering: .relaxed)
            return nil
        }
        #if DEBUG
        // Tests run debug builds: a statement here that selects `*` stops them at once, naming it.
        queue.inDatabase { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event, Self.selectsEveryColumn(statement.sql) {
                    preconditionFailure("a read of one statement selects `*`; name its columns: \(statement.sql)")
                }
            }
        }
        #endif
        return queue
    }

    /// True for SQL that selects `*` or `table.*` (not `count(*)`, not a product `a * b`).
    static func selectsEveryColumn(_ sql: String) -> Bool {
        sql.contains(#/(?i)(?:\bselect\s+(?:distinct\s+)?|,\s*)(?:\w+\.)?\*/#)
    }
}

/// How deep this thread is inside the store's own reads and writes. A read of one statement made
/// inside a transaction must see what it wrote so far, so it stays on the transaction's
/// connection; only a read made outside every store access may use ``OneStatementReaders``.
enum StoreAccessDepth {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var isOutside: Bool { pthread_getspecific(key) == nil }

    static func inside<T>(_ body: () throws -> T) rethrows -> T {
        let depth = Int(bitPattern: pthread_getspecific(key))
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: depth + 1))
        defer { pthread_setspecific(key, UnsafeRawPointer(bitPattern: depth)) }
        return try body()
    }
}
