/// A store operation that was asked for something the data does not allow (a package already
/// counted, a lot short of stock, a sale no longer open): nothing was written. `reason` is a
/// short code for logs and callers that decide on it (`duplicate`, `over`, `oversell`...);
/// `message` is the one line a person reads. Stations turn it into their own refusal.
public struct OperationRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public let message: String

    public init(_ reason: String, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}

/// An error of the caller's own thrown inside `LotStore.transaction` (an API's 412, say): the
/// transaction rolls back and the error reaches the caller unchanged, not as a database error.
public protocol CallerError: Error {}
