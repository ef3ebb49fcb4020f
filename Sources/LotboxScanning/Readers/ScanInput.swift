import LotboxCore

/// One scan as a reader cut it, before anything is made of it.
public struct ScanInput: Sendable {
    /// The scanner's configured name and its path.
    public let device: String
    public let path: String
    public let frame: ScanFrame
    /// When the scan ended (wall clock), for the log.
    public let at: String
    /// The key event's own time (µs since 1970) for evdev scans: the start of the latency budget.
    public let keyEventMicros: Int64?
    /// Monotonic nanoseconds when the reader got the scan's last byte.
    public let readNanos: UInt64

    public init(device: String, path: String, frame: ScanFrame, at: String = Timestamp.now(), keyEventMicros: Int64? = nil,
                readNanos: UInt64 = MonotonicClock.nanoseconds()) {
        self.device = device
        self.path = path
        self.frame = frame
        self.at = at
        self.keyEventMicros = keyEventMicros
        self.readNanos = readNanos
    }
}
