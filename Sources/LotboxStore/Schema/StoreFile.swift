import Foundation
import GRDB

/// What lies at a store's path, found out before a connection that could write is opened.
///
/// Only `lotbox init` (and `restore`) may turn a missing or empty file into a store; every other
/// command must refuse another program's SQLite file without touching it (not even a `-wal` or
/// `-shm` beside it), and refuse a store written by a newer lotbox instead of migrating or
/// reading a schema it does not know.
enum StoreFile {
    /// `PRAGMA application_id` of a lotbox store: "LOTB" in ASCII, so `file(1)` and a hex dump show it.
    static let applicationID: Int32 = 0x4C4F_5442

    enum Kind: Equatable {
        case missing
        /// A 0-byte file: what `touch` or a failed copy leaves.
        case empty
        /// A lotbox store this build can open (a round-1 store not yet marked included).
        case store
    }

    /// Checks the file at `path`; throws a one-line `StoreError` if it is not something lotbox may open.
    static func inspect(_ path: String) throws -> Kind {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .missing }
        if isFolder.boolValue {
            throw StoreError.notAStore(path: path, reason: "it is a folder; expected the store's file, e.g. \(path)/lotbox.sqlite")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.database("cannot read the store at \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        if header.isEmpty { return .empty }
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw StoreError.notAStore(path: path, reason: "not an SQLite database")
        }
        // The header's copy of application_id (offset 68, big-endian) is current unless a -wal
        // holds a newer first page; the peek below reads through the WAL in that case.
        let headerID = header[68..<72].reduce(Int32(0)) { $0 << 8 | Int32($1) }
        if headerID != 0 && headerID != applicationID {
            throw StoreError.notAStore(path: path, reason: String(format: "it belongs to another program (application_id 0x%08X)", headerID))
        }
        try peek(path)
        return .store
    }

    /// Reads the application id and the applied migrations without writing anything. With no
    /// `-wal` beside the file the main file is the whole database, so it is read `immutable`,
    /// which creates no `-wal`/`-shm` (a plain read-only open of a WAL-mode file would leave both
    /// behind, beside another program's file). Immutable reads take no locks: if one fails (a
    /// lotbox process checkpointing at that moment), or there is a `-wal`, a plain read-only
    /// open reads through the WAL under SQLite's locks.
    private static func peek(_ path: String) throws {
        // SQLite keeps them beside the real file, wherever a symlink at `path` leads.
        let real = StoreFiles.resolved(path)
        let walPresent = FileManager.default.fileExists(atPath: real + "-wal")
        if !walPresent, let found = try? contents(immutableURI(path)) {
            return try judge(found, path: path)
        }
        do {
            try judge(try contents(path), path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && walPresent
            && !FileManager.default.fileExists(atPath: real + "-shm") {
            throw StoreError.database("cannot read the store at \(path): its -wal file has no -shm beside it and the folder is read-only; copy the store and its -wal to a writable disk")
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    private static func contents(_ location: String) throws -> (applicationID: Int32, migrations: [String]?) {
        var config = Configuration()
        config.readonly = true
        // Another lotbox closing the store holds it for a moment while it checkpoints.
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: location, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in
            let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            guard try db.tableExists("grdb_migrations"), try db.tableExists("lotbox_meta") else { return (id, nil) }
            return (id, try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
    }

    private static func judge(_ found: (applicationID: Int32, migrations: [String]?), path: String) throws {
        if found.applicationID != 0 && found.applicationID != applicationID {
            throw StoreError.notAStore(path: path, reason: String(format: "it belongs to another program (application_id 0x%08X)", found.applicationID))
        }
        guard let migrations = found.migrations, migrations.contains("v1-openthc-model") else {
            throw StoreError.notAStore(path: path, reason: "it is an SQLite database without lotbox's tables (another program's?)")
        }
        if migrations.contains(where: { !StoreMigrator.knownIdentifiers.contains($0) }) {
            throw StoreError.newerStore(path: path)
        }
    }

    /// `file:` URI for an immutable read-only open (SQLite is built with URI filenames on).
    private static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:\(encoded)?mode=ro&immutable=1"
    }
}
