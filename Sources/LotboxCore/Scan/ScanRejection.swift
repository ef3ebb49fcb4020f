/// Why a scan was not understood. Every rejected scan is still kept in the scan log with this
/// reason, so an operator can see what the scanner sent.
public struct ScanRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case empty
        case tooLong = "too-long"
        case unknownFormat = "unknown-format"
        case malformed
        case badCheckDigit = "bad-check-digit"
        case incomplete
        case unknownCommand = "unknown-command"
    }

    public let kind: Kind
    public let reason: String
    /// True when the scan's bytes may hold a person's data (licence data, or an unrecognised
    /// scan too long to be a code): they are never stored or shown, and `reason` never quotes them.
    public let withheld: Bool

    public init(_ kind: Kind, _ reason: String, withheld: Bool = false) {
        self.kind = kind
        self.reason = reason
        self.withheld = withheld
    }

    public var description: String { reason }
}
