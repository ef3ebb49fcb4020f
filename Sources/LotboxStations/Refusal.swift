import LotboxStore

/// A station's refusal: what the operator is told, and a short reason for the log.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// e.g. `unknown-package`, `duplicate`, `over`, `oversell`, `age-check`.
    public let reason: String
    public let message: String

    public init(_ reason: String, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// What the store refused, told as the station's own refusal.
    public init(_ refused: OperationRefused) {
        self.init(refused.reason, refused.message)
    }

    public var description: String { message }
}
