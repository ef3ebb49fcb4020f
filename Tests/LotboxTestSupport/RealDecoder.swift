import Foundation
import LotboxLabels

/// Real decoders on real files, shared by the test targets.
public enum RealDecoder {
    /// One symbol zxing-cpp found.
    public struct Decoded: Decodable, Sendable {
        public var format: String
        public var text: String
        public var bytes: String
        public var symbology_identifier: String
    }

    public static let supportFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support")

    /// The tests' Python: script/test's virtual environment, else Debian's interpreter.
    public static let python = ProcessInfo.processInfo.environment["LOTBOX_PYTHON"] ?? "/usr/bin/python3"

    public static func zxing(_ file: String) throws -> [Decoded] {
        let result = try run(python, [supportFolder.appendingPathComponent("decode.py").path, file])
        guard result.status == 0 else { throw DecoderError(message: "zxing-cpp failed on \(file): \(result.err)") }
        return try result.out.split(separator: "\n").map { try JSONDecoder().decode(Decoded.self, from: Data($0.utf8)) }
    }

    /// zbarimg's "TYPE:data" lines.
    public static func zbar(_ file: String) throws -> [String] {
        let result = try run("/usr/bin/zbarimg", ["--nodbus", "-q", file])
        return result.out.split(separator: "\n").map(String.init)
    }

    public static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(path, arguments)
    }

    /// Writes a bitmap as PNG into a fresh temporary file.
    public static func write(_ bitmap: MonoBitmap, dpi: Int, name: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let folder = base + "/lotbox-barcodes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name + ".png"
        try Data(try PNGEncoder.encode(bitmap, dpi: dpi)).write(to: URL(fileURLWithPath: path))
        return path
    }
}

public struct DecoderError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// A fresh folder under $TMPDIR for one test's files.
public enum TemporaryFolder {
    public static func make() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = base + "/lotbox-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a real program with extra environment variables and optional standard input, and
/// returns its exit status and output. A program still running after `deadline` seconds is
/// killed and the call throws, so no test waits forever on a child.
@discardableResult
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                       input: String? = nil, deadline: TimeInterval = 120) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    // Foundation's Process.run crashed once (a bad memmove inside it) with tests spawning on
    // several threads at once; spawns are quick, so they go one at a time.
    try spawnLock.withLock { try process.run() }
    let outData = PipeDrain(out.fileHandleForReading), errData = PipeDrain(err.fileHandleForReading)
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    if exited.wait(timeout: .now() + deadline) == .timedOut {
        process.terminate()
        if exited.wait(timeout: .now() + 5) == .timedOut { kill(process.processIdentifier, SIGKILL); exited.wait() }
        throw DecoderError(message: "\(path) \(arguments.joined(separator: " ")) still running after \(Int(deadline)) s: killed")
    }
    return (process.terminationStatus, String(decoding: outData.wait(), as: UTF8.self), String(decoding: errData.wait(), as: UTF8.self))
}

/// Held while a test spawns a child (see runProgram).
public let spawnLock = NSLock()

/// Reads a pipe to its end on a thread of its own, so a child that fills one pipe while the
/// test reads the other cannot deadlock it.
final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// The whole output; a grandchild that keeps the pipe open gets 5 s after the child exits.
    func wait() -> Data {
        guard done.wait(timeout: .now() + 5) == .success else { return Data() }
        return data
    }
}

extension Sequence {
    /// `allSatisfy` that fails on an empty sequence: a test's "every item" must have items.
    public func nonEmptyAllSatisfy(_ predicate: (Element) throws -> Bool) rethrows -> Bool {
        var any = false
        for element in self {
            guard try predicate(element) else { return false }
            any = true
        }
        return any
    }
}

/// Waits for a child started by a test to exit, at most `seconds`; a child still running then
/// is killed and the wait throws, so a test never waits forever.
public func waitForExit(_ process: Process, seconds: TimeInterval) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning {
        guard Date() < deadline else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw DecoderError(message: "\(process.executableURL?.lastPathComponent ?? "child") still running after \(Int(seconds)) s: killed")
        }
        usleep(10_000)
    }
}

/// Runs blocking test work (a child process waited for, a server polled) on a thread of its own
/// and awaits it. A test that blocks for minutes on the shared concurrency pool holds one of its
/// two threads: two such tests starve every other test of the run, whose time limits then expire
/// while they wait for a thread. `#expect` belongs outside `work`, on the test's own task.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
