/// A scanner lotbox cannot read from, named with the device and what was expected.
public enum ScannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case keyboardLayout(String, String)
    case cannotOpen(path: String, reason: String)
    case notATerminal(path: String)
    /// An evdev scanner lotbox could not take for itself (EVIOCGRAB failed): its codes would
    /// also reach a console or a kiosk browser, so lotbox does not read it until it can.
    case notGrabbed(path: String, reason: String)

    public var description: String {
        switch self {
        case .keyboardLayout(let layout, let reason): return "keyboard layout '\(layout)' \(reason)"
        case .cannotOpen(let path, let reason): return "scanner \(path) cannot be opened: \(reason)"
        case .notATerminal(let path): return "scanner \(path) is not a serial terminal (expected e.g. /dev/ttyACM0)"
        case .notGrabbed(let path, let reason):
            return "scanner \(path) \(reason); its codes would also reach other programs, so lotbox does not read it (set grab = false only to share it deliberately)"
        }
    }
}
