import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 exchange with a server on loopback, on NIO's own event loops.
///
/// Not URLSession: on Linux it goes through libcurl, which honours `http_proxy` from the
/// environment, and CI sets one; every call to 127.0.0.1 then went to the proxy and the
/// in-process servers were never reached. This client connects where it is told, nothing else.
enum LoopbackHTTPClient {
    struct Answer {
        let status: Int
        let body: Data
        var headers: [(String, String)] = []

        /// The first header of this name, any case.
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    static func exchange(port: Int, method: String, path: String, headers: [(String, String)], body: Data?,
                         timeout: Duration = .seconds(10)) async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer.self) { group in
            group.addTask {
                // A connection the server closed before this request reached it (nothing
                // answered) is tried again on a new one, a few times: nothing was sent, so
                // nothing can be done twice.
                var attempt = 1
                while true {
                    do {
                        return try await once(port: port, method: method, path: path, headers: headers, body: body)
                    } catch let closed as ClosedBeforeSending where !closed.answered && attempt < 3 {
                        attempt += 1
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestServerError("\(method) \(path): no answer within \(timeout)")
            }
            guard let first = try await group.next() else { throw TestServerError("\(method) \(path): no answer") }
            group.cancelAll()
            return first
        }
    }

    private static func once(port: Int, method: String, path: String, headers: [(String, String)], body: Data?) async throws -> Answer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            head.headers.add(name: "Content-Length", value: String(body?.count ?? 0))
            // A server may answer (and close) before the whole request is written: a refusal
            // that needs no body, or the idle time-out when a starved test pool paused this task
            // between connecting and writing. The answer, if one came, is still read.
            var unsent: Error?
            do {
                try await outbound.write(.head(head))
                if let body, !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
            } catch {
                unsent = error
            }
            var status = 0
            var received = Data()
            var fields: [(String, String)] = []
            do {
                for try await part in inbound {
                    switch part {
                    case .head(let response):
                        status = Int(response.status.code)
                        fields = response.headers.map { ($0.name, $0.value) }
                    case .body(let buffer): received.append(contentsOf: buffer.readableBytesView)
                    case .end: return Answer(status: status, body: received, headers: fields)
                    }
                }
            } catch {
                guard let unsent else { throw error }
                throw ClosedBeforeSending(underlying: unsent, answered: status != 0)
            }
            if let unsent { throw ClosedBeforeSending(underlying: unsent, answered: status != 0) }
            throw TestServerError("\(method) \(path): the connection closed before the answer ended")
        }
    }

    /// The server closed the connection while the request was being written.
    struct ClosedBeforeSending: Error, CustomStringConvertible {
        let underlying: Error
        let answered: Bool
        var description: String { "the server closed the connection before the request was written (\(underlying))" }
    }
}
