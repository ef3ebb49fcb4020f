#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The store's files belong to the daemon: the database and SQLite's `-wal` and `-shm` beside
/// it are owned by the store's owner (lotbox:lotbox on an appliance), mode 0660.
///
/// A command run as root on that store must not leave a root-owned `-wal` or `-shm` behind
/// (after a crash, or while another process holds the store open): the daemon could then no
/// longer write, and every scan would wait. So a root process acts as the store's owner.
public enum StoreFiles {
    /// The mode of the store and its `-wal` and `-shm`: the owner and its group, nobody else.
    public static let mode: mode_t = 0o660

    /// The database file and the two files SQLite keeps beside it in WAL mode, where SQLite keeps
    /// them: beside the real file when `store` is reached through a symlink.
    public static func paths(of store: String) -> [String] {
        let real = resolved(store)
        return [real, real + "-wal", real + "-shm"]
    }

    /// `store` with every symlink in it followed, as SQLite follows them to name the `-wal` and
    /// `-shm` (an integrator may link the store to a data disk); `store` itself when it does not
    /// exist yet.
    public static func resolved(_ store: String) -> String {
        guard let real = realpath(store, nil) else { return store }
        defer { free(real) }
        return String(cString: real)
    }

    /// Who owns the store: its file's owner, or, when it is not made yet, its folder's.
    public static func owner(of store: String) -> (uid: uid_t, gid: gid_t)? {
        var info = stat()
        if stat(store, &info) == 0 { return (info.st_uid, info.st_gid) }
        let folder = (store as NSString).deletingLastPathComponent
        if stat(folder.isEmpty ? "." : folder, &info) == 0 { return (info.st_uid, info.st_gid) }
        return nil
    }

    /// Run as root on a store someone else owns (or in their folder), this process becomes
    /// that user and group, for good: every file it makes from here on (the store, its WAL and
    /// SHM, a backup, a secret) is theirs. Anyone else, or a store root owns: nothing changes.
    /// Throws (and the caller opens nothing) when the switch fails.
    public static func actAsOwner(of store: String) throws(StoreOwnershipError) {
        guard geteuid() == 0, let owner = owner(of: store), owner.uid != 0 else { return }
        var groups = [owner.gid]
        guard setgroups(1, &groups) == 0, setgid(owner.gid) == 0, setuid(owner.uid) == 0 else {
            throw StoreOwnershipError(path: store, uid: owner.uid, reason: String(cString: strerror(errno)))
        }
        // setuid from root cannot be undone; check it took, rather than trust it.
        guard geteuid() == owner.uid, getegid() == owner.gid, setuid(0) != 0 else {
            throw StoreOwnershipError(path: store, uid: owner.uid, reason: "the switch did not take")
        }
    }

    /// After the store is opened: its files get mode 0660 (those this process owns), and when
    /// this process is root on another user's store, any of them it made are given to that user.
    /// Call it once the store is open, whichever way it was opened.
    public static func settle(_ store: String) {
        var info = stat()
        guard stat(store, &info) == 0 else { return }
        let owner = (uid: info.st_uid, gid: info.st_gid)
        for path in paths(of: store) {
            var file = stat()
            guard stat(path, &file) == 0 else { continue }
            if geteuid() == 0 && owner.uid != 0 && file.st_uid == 0 {
                _ = chown(path, owner.uid, owner.gid)
            }
            if file.st_uid == geteuid() || geteuid() == 0, file.st_mode & 0o777 != mode {
                _ = chmod(path, mode)
            }
        }
    }
}

extension StoreFiles {
    /// Writes a secret (a key made at `init`) beside the store: created new, mode 0600 from the
    /// first byte, so no umask or earlier file can leave it readable by anyone else. Call it
    /// after `actAsOwner`, so it belongs to the daemon. Refuses to replace an existing file.
    public static func writeSecret(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.invalid("cannot create the secret \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw StoreError.invalid("cannot write the secret \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A root process that could not become the store's owner, so opened nothing.
public struct StoreOwnershipError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let uid: uid_t
    public let reason: String

    public var description: String {
        "the store \(path) belongs to uid \(uid); running as root, lotbox could not act as that user (\(reason)), so it opened nothing: run it as that user (e.g. `sudo -u lotbox lotbox ...`)"
    }
}
