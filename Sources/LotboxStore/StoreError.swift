import GRDB

/// Why a store operation was refused. Every message is one line that names the bad value and
/// what was expected; when one is thrown, the transaction was rolled back and nothing was written.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case noStore(path: String)
    case newerStore(path: String)
    case notFound(kind: String, key: String)
    case ambiguous(kind: String, key: String, matches: [String])
    case invalid(String)
    case conflict(String)
    case diskFull(path: String)
    case readOnly(path: String)
    case notAStore(path: String, reason: String)
    /// Another connection held a lock for longer than the busy timeout; trying again may work.
    case busy(path: String)
    /// An update named the row's hash as read (`ifMatch`, HTTP `If-Match`) and the row has
    /// changed since: nothing was written.
    case changedMeanwhile(kind: String, id: String)
    case database(String)
    /// A commit was made but could not be synced to the disk: it stands (readers may have seen
    /// it) and may not survive a power cut, and the store writes nothing more.
    case notSynced(path: String, reason: String)
    /// Nothing was written: an earlier commit could not be synced to the disk (``notSynced``).
    case halted(path: String, reason: String)

    public var description: String {
        switch self {
        case .noStore(let path):
            return "no lot store at \(path); create one with `lotbox init` or pick another with --db / LOTBOX_DB"
        case .newerStore(let path):
            return "the store at \(path) was written by a newer lotbox; upgrade lotbox to use it"
        case .notFound(let kind, let key):
            return "\(kind) '\(key)' not found"
        case .ambiguous(let kind, let key, let matches):
            return "\(kind) '\(key)' is ambiguous: it matches \(matches.joined(separator: ", ")); give the id"
        case .invalid(let message), .conflict(let message), .database(let message):
            return message
        case .diskFull(let path):
            return "the disk holding \(path) is full; nothing was written and the store is intact"
        case .readOnly(let path):
            return "the store at \(path) is read-only (file or folder permissions, or a read-only disk); nothing was written"
        case .notAStore(let path, let reason):
            return "\(path) is not a lotbox store: \(reason)"
        case .changedMeanwhile(let kind, let id):
            return "\(kind) \(id) changed since it was read (its hash is not the one given); read it again and decide anew"
        case .notSynced(let path, let reason):
            return "the store at \(path) could not be synced to the disk (\(reason)); the change was saved but may not survive a power cut, "
                + "and the store writes nothing more: check the disk and reboot the box, then look before repeating the change"
        case .halted(let path, let reason):
            return "nothing was written to the store at \(path): an earlier commit could not be synced to the disk (\(reason)); check the disk and reboot the box"
        case .busy(let path):
            return "the store at \(path) is locked by another program (busy for longer than the 10 s lotbox waits); nothing was written, try again"
        }
    }

    /// Translates SQLite's answer into a message a person can act on.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return .database("\(error)") }
        switch error.resultCode {
        case .SQLITE_FULL:
            return .diskFull(path: path)
        case .SQLITE_READONLY:
            return .readOnly(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path)
        case .SQLITE_CANTOPEN:
            return .database("cannot open the store at \(path): its folder is missing or not writable")
        case .SQLITE_CONSTRAINT:
            let message = error.message ?? "constraint failed"
            // v7-names-per-license's indexes: say it in the words of the store's own check.
            for table in ["section", "variety", "product"] where message.contains("'\(table)_license_name'") {
                return .conflict("another \(table) of the same license already has this name (names are unique within a license, ignoring case); choose another name")
            }
            if message.hasPrefix("UNIQUE constraint failed") { return .conflict("already exists: \(message)") }
            return .invalid(message)
        case .SQLITE_NOTADB:
            return .notAStore(path: path, reason: "not an SQLite database")
        default:
            return .database("database error at \(path): \(error.message ?? error.description)")
        }
    }
}
