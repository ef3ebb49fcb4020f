import Foundation

/// A small tmpfs, mounted for one test: a real filesystem that really fills up.
public struct TmpfsMount {
    public let path: String

    public init(sizeKB: Int) throws {
        path = try TemporaryFolder.make()
        let result = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKB)k", "tmpfs", path])
        guard result.status == 0 else {
            throw MountError(message: "mount tmpfs at \(path) failed (the durability tests run as root): \(result.err)")
        }
    }

    public func grow(sizeKB: Int) { _ = try? runProgram("/bin/mount", ["-o", "remount,size=\(sizeKB)k", path]) }
    public func remount(readOnly: Bool) { _ = try? runProgram("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path]) }
    public func unmount() { _ = try? runProgram("/bin/umount", ["-l", path]) }
}

public struct MountError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
