/// A scanner lotbox cannot read from, named with the device and what was expected.
public enum ScannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case keyboardLayout(String, String)
    case cannotOpen(path: String, reason: String)
    case notATerminal(path: String)
    case customerKey(path: String, reason: String)

    public var description: String {
        switch self {
        case .keyboardLayout(let layout, let reason): return "keyboard layout '\(layout)' \(reason)"
        case .cannotOpen(let path, let reason): return "scanner \(path) cannot be opened: \(reason)"
        case .notATerminal(let path): return "scanner \(path) is not a serial terminal (expected e.g. /dev/ttyACM0)"
        case .customerKey(let path, let reason): return "returning-customer secret \(path): \(reason)"
        }
    }
}
