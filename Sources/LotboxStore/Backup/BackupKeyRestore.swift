import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Puts back the key files a backup carries (`lotbox-<time>.keys/` beside it) when its store is
/// restored. Without them a box rebuilt from a backup no longer recognises its returning
/// customers (their tokens are keyed by customer.key), is a stranger to its upstream (the client
/// key) and to its API's clients (the server key). Each file goes where the backup's marker says
/// it came from, unless the caller names another place (the customer key belongs beside the
/// store being restored, wherever that is now). A different file already there is kept as
/// `PATH.before-restore` (or `PATH.before-restore-<time>` when that exists), as the store is.
public enum BackupKeyRestore {
    public struct Outcome: Sendable, Equatable {
        /// "name -> path", with the file it replaced where there was one.
        public var restored: [String] = []
        /// Files already in place with the same bytes.
        public var unchanged: [String] = []
        /// One line each: a key file that could not be put back, and why.
        public var problems: [String] = []
    }

    /// Restores the key files beside `backup` (a `lotbox-<time>.sqlite`); nothing when it has none.
    public static func restore(beside backup: String, destinations overrides: [String: String] = [:]) -> Outcome {
        var outcome = Outcome()
        let folder = (backup.hasSuffix(".sqlite") ? String(backup.dropLast(".sqlite".count)) : backup) + ".keys"
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        let recorded = recordedPaths(marker: backup + ".verified")
        for name in present.union(recorded.keys).sorted() {
            let source = folder + "/" + name
            guard present.contains(name) else {
                // The marker says the backup carried it, but its copy did not come along (the
                // .keys folder was left behind when the backup was moved).
                outcome.problems.append("\(name): the backup had it, but \(source) is missing; copy it from where the backup was made")
                continue
            }
            guard let destination = overrides[name] ?? recorded[name] else {
                outcome.problems.append("\(name): the backup's marker (\(backup).verified) does not say where it goes; copy \(source) by hand")
                continue
            }
            if let same = FileManager.default.contents(atPath: destination), same == FileManager.default.contents(atPath: source) {
                outcome.unchanged.append("\(name) -> \(destination)")
                continue
            }
            var replaced = ""
            var replacedPath: String?
            if FileManager.default.fileExists(atPath: destination) {
                let kept = LotStore.unusedName(destination + ".before-restore")
                guard rename(destination, kept) == 0 else {
                    outcome.problems.append("\(name): cannot move the present \(destination) aside: \(String(cString: strerror(errno))); copy \(source) by hand")
                    continue
                }
                replaced = " (the one there is kept as \(kept))"
                replacedPath = kept
            }
            if let reason = BackupFolder.copyKeepingMode(source, to: destination) {
                if let kept = replacedPath { rename(kept, destination) }
                outcome.problems.append("\(name): cannot write \(destination): \(reason); copy \(source) by hand")
                continue
            }
            BackupFolder.syncFolder((destination as NSString).deletingLastPathComponent)
            outcome.restored.append("\(name) -> \(destination)\(replaced)")
        }
        return outcome
    }

    /// The marker's `keys`: each key file's name in the backup and where it was copied from.
    static func recordedPaths(marker: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: marker),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object["keys"] as? [String: String] ?? [:]
    }
}
