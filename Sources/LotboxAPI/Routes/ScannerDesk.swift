/// The scanners of `lotbox serve`, as the API reaches them: each one it reads (configured, or
/// found in the udev folder), its station, and how its reader stands now. The executable wires
/// it in, so this module does not know readers or devices.
public protocol ScannerDesk: Sendable {
    /// Every scanner as its reader last reported it. Does not block: /events asks it on every poll.
    func scanners() -> [ScannerStatus]
}

public struct ScannerStatus: Sendable, Equatable {
    public let name: String
    public let path: String
    /// evdev (a keyboard-wedge scanner), serial or stream.
    public let kind: String
    /// Whether lotbox takes an evdev scanner for itself alone (`grab`, true unless configured off).
    public let grab: Bool
    public let station: String?
    /// reading, missing, held (lotbox cannot take it: an error), or starting (not reported yet).
    public let state: String
    public let reason: String?

    public init(name: String, path: String, kind: String, grab: Bool, station: String?, state: String, reason: String?) {
        self.name = name
        self.path = path
        self.kind = kind
        self.grab = grab
        self.station = station
        self.state = state
        self.reason = reason
    }
}
