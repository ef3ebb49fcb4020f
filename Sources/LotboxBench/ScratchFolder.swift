import Foundation

/// A benchmark's scratch folder, removed when the benchmark is done. A store's last connection
/// may be closing on another thread just then, SQLite deleting its `-wal` and `-shm` as it
/// goes; a removal that meets a file vanishing under it stops part-way, so it is tried again.
enum ScratchFolder {
    static func remove(_ path: String) {
        for attempt in 1...5 {
            do {
                try FileManager.default.removeItem(atPath: path)
                return
            } catch {
                if !FileManager.default.fileExists(atPath: path) { return }
                usleep(UInt32(20_000 * attempt))
            }
        }
    }
}
