import Foundation
import Logging
import LotboxTestSupport
import Synchronization
@testable import LotboxScanning

/// Collects what a real reader delivers, and waits for it.
final class Delivered: Sendable {
    private let scans = Mutex<[ScanInput]>([])

    var handler: @Sendable (ScanInput) -> Void { { [self] input in scans.withLock { $0.append(input) } } }

    var all: [ScanInput] { scans.withLock { $0 } }
    var texts: [String] { all.map { String(decoding: $0.frame.bytes, as: UTF8.self) } }

    /// Waits until `count` scans arrived (or fails after `seconds`).
    func wait(for count: Int, seconds: Double = 5) throws -> [ScanInput] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = all
            if now.count >= count { return now }
            usleep(5_000)
        }
        throw TestFailure("expected \(count) scans, got \(all.count): \(texts)")
    }
}

enum Pipes {
    static func fifo(_ folder: String, _ name: String) throws -> String {
        let path = folder + "/" + name
        guard mkfifo(path, 0o600) == 0 else { throw TestFailure("mkfifo \(path): \(errno)") }
        return path
    }

    /// Opens a FIFO for writing once its reader has it open.
    static func openWriter(_ path: String, seconds: Double = 5) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { return fd }
            usleep(5_000)
        }
        throw TestFailure("no reader opened \(path)")
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else { usleep(1_000) }
        }
    }

    /// Points `link` at `target` atomically, as udev does when a device comes back.
    static func relink(_ link: String, to target: String) throws {
        let temporary = link + ".new"
        unlink(temporary)
        guard symlink(target, temporary) == 0, rename(temporary, link) == 0 else {
            throw TestFailure("relink \(link) -> \(target): \(errno)")
        }
    }
}

let testLogger = Logger(label: "lotbox.test.scanner")

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
