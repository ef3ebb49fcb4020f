import Foundation
import Hummingbird
import LotboxStore
import NIOCore

/// What a handler gets: the request, the caller, the path's parameters, the query, the body
/// (read once, JSON or form, at most 1 MiB, within the body deadline) and the store's threads.
public struct APICall: Sendable {
    public let request: Request
    public let context: APIContext
    public let services: APIServices

    public var store: LotStore { services.store }

    public func caller() throws -> Caller { try context.requireCaller() }

    /// A path parameter (`{id}`), as sent.
    public func parameter(_ name: String) throws -> String {
        guard let value = context.parameters.get(name) else { throw APIError.notFound("no \(name) in the path") }
        return value
    }

    /// The id a client chose for what it creates (`id`), or nil when it chose none or this API
    /// chooses its own (`[api] client_ids = "ignore"`).
    public func chosenID(_ body: BodyValue) throws -> String? {
        guard services.honoursClientIDs else { return nil }
        return try Fields.optionalText(body, ["id"])
    }

    public func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// Runs blocking store work on the store's threads; store refusals become 4xx replies.
    public func onStore<T: Sendable>(_ work: @escaping @Sendable (LotStore) throws -> T) async throws -> T {
        let store = services.store
        return try await services.threads.run { try work(store) }
    }

    /// Runs a store write in the next group commit (``GroupCommit``): its own savepoint, answered
    /// once the transaction holding it is committed.
    public func commit<T: Sendable>(_ work: @escaping @Sendable (LotStore) throws -> T) async throws -> T {
        try await services.writes.write(work)
    }

    /// Runs a store read where the handler stands when it stands on the API's own threads
    /// (``APIExecutor``), else on the store's threads. Reads only: SQLite in WAL mode reads
    /// without waiting for writers, so a read never holds a handler thread for long.
    public nonisolated(nonsending) func readStore<T: Sendable>(_ work: @escaping @Sendable (LotStore) throws -> T) async throws -> T {
        try await services.read(work)
    }

    /// The body as one tree: JSON, a PHP-style form, or nothing (an empty object).
    public func body() async throws -> BodyValue {
        let request = self.request
        // A body declared too big is refused before a byte of it is read.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > APIContext.bodyLimit {
            throw APIError(.contentTooLarge, "the body is \(declared) bytes; at most \(APIContext.bodyLimit) (1 MiB) are taken")
        }
        let bytes: ByteBuffer
        do {
            bytes = try await withBodyDeadline(services.bodyDeadline) {
                try await request.body.collect(upTo: APIContext.bodyLimit)
            }
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the body is over \(APIContext.bodyLimit) bytes (1 MiB)")
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is over \(APIContext.bodyLimit) bytes (1 MiB)")
        }
        return try BodyParser.parse(bytes, contentType: request.headers[.contentType])
    }
}

/// Gives up on a body that has not arrived within the deadline (a slow client holds nothing).
func withBodyDeadline<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next() else { throw APIError(.requestTimeout, "the body did not arrive in time") }
        group.cancelAll()
        guard let value = first else { throw APIError(.requestTimeout, "the body did not arrive within \(Int(seconds)) s") }
        return value
    }
}
