#if canImport(Glibc)
import Glibc
#endif

/// Which file an open descriptor is (device and inode), to notice a udev symlink or a test's
/// symlink now pointing at another device while the old one is still open.
struct FileIdentity {
    let device: UInt64
    let inode: UInt64

    init(fd: Int32) {
        var info = stat()
        if fstat(fd, &info) == 0 {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        } else {
            device = 0
            inode = 0
        }
    }

    /// True while `path` (symlinks followed) still names this file.
    func stillNamed(by path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
