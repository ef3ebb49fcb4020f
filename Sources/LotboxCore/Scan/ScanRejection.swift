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

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
