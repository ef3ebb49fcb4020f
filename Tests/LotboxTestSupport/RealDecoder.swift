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

    /// ZPL turned back into one PNG per label by zebrafy (Tests/Support/zpl_images.py; LPrint's
    /// ~DG graphics are inlined as ^GFA first): an independent reader of what a Zebra would print.
    public static func zplImages(_ zpl: [UInt8], dpi: Int) throws -> [String] {
        let folder = try TemporaryFolder.make()
        let path = folder + "/job.zpl"
        try Data(zpl).write(to: URL(fileURLWithPath: path))
        let result = try run(python, [supportFolder.appendingPathComponent("zpl_images.py").path, path, folder + "/images", String(dpi)])
        guard result.status == 0 else { throw DecoderError(message: "zebrafy failed on \(path): \(result.err)") }
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
    // posix_spawn, not Foundation's Process: Process.run crashed in CI (a memmove past a buffer
    // inside it) once the test process had some 1,300 descriptors open. The child gets its three
    // pipes and nothing else (every other descriptor is closed in it).
    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    var stdinPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
    guard GlibcSpawn.pipe2(&stdinPipe, O_CLOEXEC) == 0, GlibcSpawn.pipe2(&outPipe, O_CLOEXEC) == 0,
          GlibcSpawn.pipe2(&errPipe, O_CLOEXEC) == 0 else {
        throw DecoderError(message: "cannot make pipes for \(path): \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    _ = GlibcSpawn.addCloseFrom(&actions, 3)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    close(stdinPipe[0]); close(outPipe[1]); close(errPipe[1])
    guard spawned == 0 else {
        close(stdinPipe[1]); close(outPipe[0]); close(errPipe[0])
        throw DecoderError(message: "cannot start \(path): \(String(cString: strerror(spawned)))")
    }
    let outData = PipeDrain(FileHandle(fileDescriptor: outPipe[0], closeOnDealloc: true))
    let errData = PipeDrain(FileHandle(fileDescriptor: errPipe[0], closeOnDealloc: true))
    let stdinHandle = FileHandle(fileDescriptor: stdinPipe[1], closeOnDealloc: true)
    if let input { stdinHandle.write(Data(input.utf8)) }
    try stdinHandle.close()
    let exited = ChildExit(pid: pid)
    if !exited.wait(seconds: deadline) {
        kill(pid, SIGTERM)
        if !exited.wait(seconds: 5) { kill(pid, SIGKILL); _ = exited.wait(seconds: 30) }
        throw DecoderError(message: "\(path) \(arguments.joined(separator: " ")) still running after \(Int(deadline)) s: killed")
    }
    return (exited.status, String(decoding: outData.wait(), as: UTF8.self), String(decoding: errData.wait(), as: UTF8.self))
}

/// Two glibc functions Swift's Glibc module leaves out (they sit behind _GNU_SOURCE), looked
/// up by name: glibc 2.34 or later has both (Debian 12 has 2.36).
enum GlibcSpawn {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let pipe2: Pipe2 = symbol("pipe2")
    static let addCloseFrom: AddCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("glibc has no \(name): the tests need glibc 2.34 or later")
        }
        return unsafeBitCast(address, to: T.self)
    }
}

/// Waits for a child with waitpid on a thread of its own, so the wait can have a deadline.
final class ChildExit: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private(set) var status: Int32 = -1

    init(pid: pid_t) {
        Thread.detachNewThread { [self] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            // The exit code, or 128 + the signal, as a shell reports it.
            status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            done.signal()
        }
    }

    func wait(seconds: TimeInterval) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }
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
/// while they wait for a thread. The work stays in the test's task (a task executor preference,
/// not a detached thread), so an `#expect` inside it is recorded against its own test: from a
/// detached thread Swift Testing knew no test and reported "Test «unknown»" while the test passed.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    let executor = OwnThreadExecutor()
    defer { executor.finish() }
    return try await withTaskExecutorPreference(executor) { try await runConcurrently(work) }
}

/// A hop: a `@concurrent` function runs on the task's preferred executor, where the closure given
/// to `withTaskExecutorPreference` itself would start on the caller's thread.
@concurrent private func runConcurrently<T: Sendable>(_ work: @Sendable () throws -> T) async throws -> T {
    try work()
}

/// A task executor with a thread of its own, for `offPool`: jobs run on it one after another.
/// After `finish` the thread ends once nothing waits; a job that comes later (a hop back onto it
/// the runtime makes) starts a thread again, so no job is ever left without one.
public final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Marks an executor's thread, for a test that the work ran off the shared pool.
    static let marker = "lotbox-test-offPool"

    /// Whether the calling thread is one of these executors'.
    public static var onOwnThread: Bool { Thread.current.threadDictionary[marker] as? Bool == true }

    /// Guards `jobs`, `finished` and `running`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false
    private var running = false

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        let start = !running
        running = true
        condition.signal()
        condition.unlock()
        if start {
            Thread.detachNewThread { [self] in
                Thread.current.threadDictionary[Self.marker] = true
                runJobs()
            }
        }
    }

    /// Lets the thread end once its queue is empty.
    public func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                running = false
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
