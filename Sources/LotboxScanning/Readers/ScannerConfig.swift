import Foundation

/// How to read one scanner: where it is, what it speaks, and how its scans end.
public struct ScannerConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A USB keyboard-wedge scanner through its /dev/input/event* node.
        case evdev
        /// A USB-serial (CDC-ACM) scanner, /dev/ttyACM*: bytes with CR/LF line ends.
        case serial
        /// A terminal, pipe or FIFO carrying the scanned text: stdin, scripts, tests.
        case stream
    }

    public enum Terminator: String, Sendable, CaseIterable {
        /// Enter (CR), or LF on a serial line. The usual factory setting.
        case enter
        case tab
        /// No suffix: a scan ends when the scanner goes quiet for `quietTime`.
        case none
    }

    /// The name shown in logs and recorded with each scan (the symlink name, e.g. `dock-1`).
    public var name: String
    public var path: String
    public var kind: Kind
    public var layout: String
    public var variant: String?
    public var terminator: Terminator
    /// The gap that ends a scan with no terminator.
    public var quietTime: Duration
    /// A scan begun but not ended after this long is logged as incomplete (a scanner unplugged
    /// mid-code). Not applied to `stream`, where a person may be typing.
    public var abandonAfter: Duration?
    /// Take the device for lotbox alone (EVIOCGRAB), so codes do not reach a console or browser.
    public var grab: Bool
    /// Reopen the path when the device goes away or the symlink moves; false for stdin.
    public var reopen: Bool
    /// Serial speed; CDC-ACM devices ignore it.
    public var baud: Int
    /// The station its scans go to (a dock or a kiosk); nil: the configured default.
    public var station: String?

    public init(name: String, path: String, kind: Kind, layout: String = "us", variant: String? = nil,
                terminator: Terminator = .enter, quietTime: Duration = .milliseconds(80),
                abandonAfter: Duration? = .seconds(2), grab: Bool = true, reopen: Bool = true, baud: Int = 9600,
                station: String? = nil) {
        self.name = name
        self.path = path
        self.kind = kind
        self.layout = layout
        self.variant = variant
        self.terminator = terminator
        self.quietTime = quietTime
        self.abandonAfter = kind == .stream ? nil : abandonAfter
        self.grab = grab
        self.reopen = reopen
        self.baud = baud
        self.station = station
    }

    /// Guesses a scanner's kind from where its path leads: an input event node, a serial
    /// terminal, or anything else (a FIFO, a pipe) read as a stream.
    public static func kind(of path: String) -> Kind {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
        if target.contains("input/event") || target.hasPrefix("event") { return .evdev }
        if target.contains("tty") { return .serial }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFCHR { return .evdev }
        return .stream
    }

    /// The bytes that end a scan for this kind of scanner.
    var terminatorBytes: Set<UInt8> {
        switch (terminator, kind) {
        case (.none, _): return []
        case (.tab, _): return [0x09]
        case (.enter, .evdev): return [0x0D]
        case (.enter, _): return [0x0D, 0x0A]
        }
    }
}
