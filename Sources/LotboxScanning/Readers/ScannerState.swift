/// How a scanner's reader stands, for the log, the daemon's state file and `lotbox status`.
public enum ScannerState: Sendable, Equatable {
    /// Open and read (and, for evdev, taken for lotbox alone).
    case reading
    /// Not there (unplugged, or its path names nothing yet): read as soon as it appears.
    case missing(String)
    /// There, but lotbox could not take it for itself: an error, not read until it can.
    case held(String)

    /// One word for the state file and `lotbox status --json`.
    public var name: String {
        switch self {
        case .reading: return "reading"
        case .missing: return "missing"
        case .held: return "held"
        }
    }

    public var reason: String? {
        switch self {
        case .reading: return nil
        case .missing(let reason), .held(let reason): return reason
        }
    }

    public var isError: Bool { if case .held = self { return true } else { return false } }
}
