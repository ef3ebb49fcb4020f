import Foundation
import Logging
@testable import LotboxAPI
import LotboxStore

/// A real API server in this process, on a free loopback port, over a real SQLite store in a
/// directory of its own; sessions are opened with real v2024 boxes and every call goes over
/// HTTP. Two licenses of two companies share the store, as on a box that serves several.
final class TradeTestServer: @unchecked Sendable {
    let store: LotStore
    let directory: String
    let port: Int
    let serverKey: ServerKey
    let clientKey: ServerKey
    private let threads: StoreThreads
    private let task: Task<Void, Error>
    static let service = "trade-test"

    /// One license's people and a priced product, enough to sell and to receive.
    struct Party {
        let company: Company
        let license: License
        let contact: Contact
        let section: Section
    }

    init() async throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? NSTemporaryDirectory()
        directory = (base as NSString).appendingPathComponent("trade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try LotStore(path: directory + "/lotbox.db", create: true)
        serverKey = try ServerKey.generate()
        clientKey = try ServerKey.generate()
        port = try Self.freePort()
        threads = StoreThreads(threads: 2)
        // Cancelling the server at the end of a test is logged as errors by Hummingbird: not news.
        var logger = Logger(label: "trade-test")
        logger.logLevel = .critical
        let services = APIServices(store: store, threads: threads,
                                   gate: V2024Gate(serverKey: serverKey, clients: [Self.service: [clientKey.publicText]]), logger: logger)
        let server = APIServer(host: "127.0.0.1", port: port, services: services, logger: logger)
        task = Task(executorPreference: OwnThreads.executor) { try await server.run() }
        // The server answers /health once it listens: wait for it, 120 s at most. In the whole
        // suite the 2-thread pool is shared with many tests, and the server's first task can
        // wait its turn for a long while (10 s was seen to be too short in CI).
        let deadline = Date().addingTimeInterval(120)
        while true {
            if let reply = try? await raw("GET", "/health", sid: nil, body: nil, contentType: nil), reply.status == 200 { break }
            guard Date() < deadline else { throw TestServerError("the API did not answer /health on port \(port) within 120 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        await threads.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A company with a license of `type`, a contact and a section of that license.
    func party(_ name: String, type: String = "retail") throws -> Party {
        let company = try store.addCompany(name: "\(name) Co", actor: "test")
        let license = try store.addLicense(name: "\(name) License", code: "\(name.uppercased())-1", typeKey: type, companyKey: company.id, actor: "test")
        let contact = try store.addContact(name: "\(name) Clerk", type: "Employee", companyKey: company.id, actor: "test")
        let section = try store.addSection(name: "\(name) Shelf", licenseKey: license.id, actor: "test")
        return Party(company: company, license: license, contact: contact, section: section)
    }

    /// Opens a session for `party` with a freshly sealed box; returns its sid.
    func session(_ party: Party) async throws -> String {
        let claims: [String: Any] = ["pk": clientKey.publicText, "ts": Int(Date().timeIntervalSince1970), "service": Self.service,
                                     "contact": party.contact.id, "company": party.company.id, "license": party.license.id]
        let box = try Sodium.seal([UInt8](try JSONSerialization.data(withJSONObject: claims)), recipientPublicKey: serverKey.publicKey,
                                  senderSecretKey: clientKey.secretKey)
        let reply = try await raw("POST", "/auth/open", sid: nil, body: nil, contentType: nil,
                                  authorization: "Bearer v2024/\(clientKey.publicText)/\(Base64URL.encode(box))")
        guard reply.status == 200, let sid = (reply.json?["data"] as? [String: Any])?["sid"] as? String else {
            throw TestServerError("POST /auth/open answered \(reply.status): \(reply.text)")
        }
        return sid
    }

    struct Reply {
        let status: Int
        let text: String
        let json: [String: Any]?
        var headers: [(String, String)] = []
        var data: [String: Any]? { json?["data"] as? [String: Any] }
        var list: [[String: Any]]? { json?["data"] as? [[String: Any]] }
        var note: String { (json?["meta"] as? [String: Any])?["note"] as? String ?? "" }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// A JSON call (`json` nil: no body).
    func call(_ method: String, _ path: String, sid: String, json: Any? = nil) async throws -> Reply {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await raw(method, path, sid: sid, body: body, contentType: json == nil ? nil : "application/json")
    }

    /// A PHP-style form call.
    func form(_ method: String, _ path: String, sid: String, _ text: String) async throws -> Reply {
        try await raw(method, path, sid: sid, body: Data(text.utf8), contentType: "application/x-www-form-urlencoded")
    }

    func raw(_ method: String, _ path: String, sid: String?, body: Data?, contentType: String?, authorization: String? = nil,
             headers extra: [(String, String)] = []) async throws -> Reply {
        var headers: [(String, String)] = extra
        if let sid { headers.append(("Authorization", "Bearer v2024/\(sid)")) }
        if let authorization { headers.append(("Authorization", authorization)) }
        if let contentType { headers.append(("Content-Type", contentType)) }
        let answer = try await LoopbackHTTPClient.exchange(port: port, method: method, path: path, headers: headers, body: body)
        return Reply(status: answer.status, text: String(decoding: answer.body, as: UTF8.self),
                     json: (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any], headers: answer.headers)
    }

    /// A port nothing listens on: bound once by the kernel's choice, then let go.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw TestServerError("cannot bind a loopback port") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw TestServerError("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
