import LotboxCore

/// One scan's bytes as cut from a reader's input, and whether they arrived whole.
public struct ScanFrame: Hashable, Sendable {
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// The input stopped (device gone, end of file, timeout) before the terminator.
        case incomplete(String)
        /// Characters were lost on the way (SYN_DROPPED): the bytes are not what was scanned.
        case damaged(String)
        /// More bytes than any code holds; the rest was discarded up to the terminator.
        case overlong(Int)

        public var description: String {
            switch self {
            case .incomplete(let why): return "incomplete scan: \(why)"
            case .damaged(let why): return "damaged scan: \(why)"
            case .overlong(let count): return "scan of \(count) bytes is longer than any code lotbox reads"
            }
        }
    }

    public let bytes: [UInt8]
    public let problem: Problem?

    /// True when the bytes must never be stored, logged or printed: asked of recognition
    /// (`ScanRecognizer.withholds`), so a licence is withheld however a reader cut it.
    public var isWithheld: Bool { ScanRecognizer.withholds(bytes) }

    public init(bytes: [UInt8], problem: Problem? = nil) {
        self.bytes = bytes
        self.problem = problem
    }
}
