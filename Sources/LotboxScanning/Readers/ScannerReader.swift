#if canImport(Glibc)
import Glibc
#endif
import CEvdev
import Foundation
import Logging
import LotboxCore

/// Reads one scanner on a thread of its own and hands each scan to `deliver`, on that thread.
///
/// Device reads block, so they never run on Swift's shared concurrency pool: a hung printer or
/// a busy store cannot stop scans from being read. The reader survives its device: when the
/// device goes away, the FIFO's writer closes or the symlink starts pointing somewhere else,
/// it ends the scan in hand as incomplete and reopens the path when something is there again.
public final class ScannerReader: @unchecked Sendable {
    public let config: ScannerConfig
    private let logger: Logger
    private let deliver: @Sendable (ScanInput) -> Void
    private let report: @Sendable (ScannerState) -> Void
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var started = false

    /// How often an idle reader checks that its path still names the device it has open.
    static let identityCheck: Duration = .milliseconds(250)
    /// How long to wait before trying a missing device again.
    static let retryDelay: Duration = .milliseconds(200)
    /// How often to try again to take a device another program holds.
    static let heldRetry: Duration = .seconds(1)

    /// - Parameter report: told each time the reader's state changes (reading, missing, held), on its thread.
    public init(config: ScannerConfig, logger: Logger, report: @escaping @Sendable (ScannerState) -> Void = { _ in },
                deliver: @escaping @Sendable (ScanInput) -> Void) throws(ScannerError) {
        self.config = config
        self.logger = logger
        self.deliver = deliver
        self.report = report
        var fds: [Int32] = [0, 0]
        guard lotbox_pipe(&fds) == 0 else {
            throw ScannerError.cannotOpen(path: config.path, reason: "no pipe for the reader: \(String(cString: strerror(errno)))")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        if config.kind == .evdev {
            // Checked now so a bad layout is a start-up error, not a silent dead reader.
            _ = try KeyboardLayout(layout: config.layout, variant: config.variant)
        }
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            run()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "lotbox-scanner-\(config.name)"
        thread.start()
    }

    /// Stops reading and waits for the thread: a scan already cut is delivered first.
    public func stop() {
        condition.lock()
        stopping = true
        let wasStarted = started
        condition.unlock()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        guard wasStarted else { return }
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Waits until the thread ends by itself (stdin reaching its end).
    public func wait() {
        condition.lock()
        while started && !finished { condition.wait() }
        condition.unlock()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    // MARK: - The thread

    private func run() {
        var announcedMissing = false
        var state: ScannerState?
        func enter(_ next: ScannerState) {
            guard next != state else { return }
            state = next
            report(next)
        }
        while !isStopping {
            let fd: Int32
            do {
                fd = try openDevice()
            } catch .notGrabbed(let path, let reason) {
                let error = ScannerError.notGrabbed(path: path, reason: reason)
                // An error, not a notice: its codes reach whatever has the keyboard focus.
                if state != .held(reason) { logger.error("\(error)", metadata: ["scanner": "\(config.name)"]) }
                enter(.held(reason))
                guard config.reopen else { return }
                sleepUnlessStopped(Self.heldRetry)
                continue
            } catch {
                if !announcedMissing { logger.warning("\(error); waiting for it", metadata: ["scanner": "\(config.name)"]) }
                announcedMissing = true
                enter(.missing("\(error)"))
                guard config.reopen else { return }
                sleepUnlessStopped(Self.retryDelay)
                continue
            }
            if announcedMissing || state?.isError == true { logger.notice("scanner \(config.name) is read again at \(config.path)") }
            announcedMissing = false
            enter(.reading)
            let ending = read(from: fd)
            if fd != STDIN_FILENO {
                if config.kind == .evdev && config.grab { _ = lotbox_evdev_grab(fd, 0) }
                close(fd)
            }
            switch ending {
            case .stopped: return
            case .endOfInput where !config.reopen: return
            case .endOfInput:
                // A FIFO's writer went away; a new one may open it at any moment.
                sleepUnlessStopped(.milliseconds(20))
            case .moved:
                logger.notice("scanner \(config.name): \(config.path) now names another device; reopening")
            case .failed(let reason):
                logger.warning("scanner \(config.name) went away (\(reason)); waiting for it to come back")
                announcedMissing = true
                enter(.missing(reason))
                guard config.reopen else { return }
                sleepUnlessStopped(Self.retryDelay)
            }
        }
    }

    enum Ending {
        case stopped, endOfInput, moved
        case failed(String)
    }

    /// Opens and sets up the device once, then lets it go: for a command run by hand, where a
    /// wrong path should be an error now rather than a reader waiting for the device to appear.
    public func probe() throws(ScannerError) {
        guard config.path != "-" else { return }
        var info = stat()
        guard stat(config.path, &info) == 0 else {
            throw ScannerError.cannotOpen(path: config.path, reason: String(cString: strerror(errno)))
        }
        // A FIFO is not opened here: a writer waiting on it would meet this open and its close.
        if (info.st_mode & S_IFMT) == S_IFIFO { return }
        let fd = try openDevice()
        guard fd != STDIN_FILENO else { return }
        if config.kind == .evdev && config.grab { _ = lotbox_evdev_grab(fd, 0) }
        close(fd)
    }

    private func openDevice() throws(ScannerError) -> Int32 {
        if config.path == "-" { return STDIN_FILENO }
        let flags: Int32
        switch config.kind {
        case .serial: flags = O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
        default: flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC
        }
        let fd = open(config.path, flags)
        guard fd >= 0 else { throw ScannerError.cannotOpen(path: config.path, reason: String(cString: strerror(errno))) }
        switch config.kind {
        case .evdev where config.grab:
            if lotbox_evdev_grab(fd, 1) != 0 {
                // EBUSY: another program has it (a second lotbox, an X server's grab). Anything
                // else: not an input device at all. Either way it is not lotbox's alone.
                let reason = errno == EBUSY ? "is held by another program (EVIOCGRAB: device busy)"
                    : "cannot be taken for lotbox alone (EVIOCGRAB: \(String(cString: strerror(errno))))"
                close(fd)
                throw ScannerError.notGrabbed(path: config.path, reason: reason)
            }
        case .serial:
            do {
                try SerialLine.makeRaw(fd, path: config.path, baud: config.baud)
            } catch {
                close(fd)
                throw error
            }
        default:
            break
        }
        return fd
    }

    /// Reads until the device ends, moves or the reader stops; the scan in hand is flushed.
    private func read(from fd: Int32) -> Ending {
        var framer = ScanFramer(terminators: config.terminatorBytes)
        guard var session = try? DeviceSession(config: config) else { return .failed("keyboard layout \(config.layout) unusable") }
        let identity = FileIdentity(fd: fd)
        var lastByteAt = MonotonicClock.nanoseconds()
        var lastIdentityCheck = lastByteAt
        var buffer = [UInt8](repeating: 0, count: 4096)
        func emit(_ frames: [(frame: ScanFrame, keyMicros: Int64?)], readAt: UInt64) {
            for (frame, keyMicros) in frames {
                deliver(ScanInput(device: config.name, path: config.path, frame: frame, keyEventMicros: keyMicros, readNanos: readAt))
            }
        }
        func flush(_ reason: String) {
            if let frame = framer.flush(reason: reason) { emit([(frame, nil)], readAt: MonotonicClock.nanoseconds()) }
        }
        while true {
            var timeout = Self.milliseconds(Self.identityCheck)
            if framer.hasPending {
                let waited = Int((MonotonicClock.nanoseconds() - lastByteAt) / 1_000_000)
                let limit = config.terminator == .none ? Self.milliseconds(config.quietTime)
                    : config.abandonAfter.map(Self.milliseconds) ?? timeout
                timeout = max(0, min(timeout, limit - waited))
            }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32(timeout))
            if ready < 0 && errno != EINTR { flush("poll failed"); return .failed(String(cString: strerror(errno))) }
            if fds[1].revents != 0 || isStopping {
                flush("lotbox stopped")
                return .stopped
            }
            let now = MonotonicClock.nanoseconds()
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = Glibc.read(fd, &buffer, buffer.count)
                if count > 0 {
                    lastByteAt = now
                    let cut = buffer.withUnsafeBytes { session.frames(from: UnsafeRawBufferPointer(rebasing: $0[0..<count]), framer: &framer) }
                    emit(cut, readAt: now)
                    continue
                }
                if count == 0 {
                    flush("the scanner's input ended mid-scan")
                    return .endOfInput
                }
                if errno == EAGAIN || errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                flush("the scanner went away mid-scan (\(reason))")
                return .failed(reason)
            }
            if framer.hasPending {
                let waited = Duration.nanoseconds(Int64(now - lastByteAt))
                if config.terminator == .none && waited >= config.quietTime {
                    flush("quiet")
                } else if let abandon = config.abandonAfter, waited >= abandon {
                    flush("no end of scan after \(abandon)")
                    session.reset()
                }
            }
            if config.reopen, now - lastIdentityCheck >= 250_000_000 {
                lastIdentityCheck = now
                if !identity.stillNamed(by: config.path) {
                    flush("the scanner was replaced mid-scan")
                    return .moved
                }
            }
        }
    }

    private func sleepUnlessStopped(_ duration: Duration) {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(Self.milliseconds(duration)))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
