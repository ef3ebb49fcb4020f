/// One line of `lotbox doctor`: what was checked, how it stands, and what to do about it.
struct Finding: Sendable, Equatable {
    /// ok < warning < error: the worst finding sets the exit status (0, 1, 2).
    enum Severity: Int, Sendable, Comparable, CustomStringConvertible {
        case ok = 0, warning = 1, error = 2

        static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

        var description: String {
            switch self {
            case .ok: return "ok"
            case .warning: return "warning"
            case .error: return "error"
            }
        }
    }

    var check: String
    var severity: Severity
    var detail: String

    init(_ check: String, _ severity: Severity, _ detail: String) {
        self.check = check
        self.severity = severity
        self.detail = detail
    }

    var json: [String: Any] { ["check": check, "status": severity.description, "detail": detail] }
}
