import Foundation
import Logging
import LotboxAPI
import LotboxCore
import LotboxStore
import ServiceLifecycle

/// `lotbox bench api`: the REST API under load from wrk (a second process, on loopback), after
/// a warm-up: authenticated `GET /inventory/{id}` of ids drawn at random from a store of
/// `lots` lots, and durable `POST /inventory` creates (no printers: print-on-create is off).
public struct APIBenchmark: Sendable {
    public var lots: Int
    public var seconds: Int
    public var connections: Int
    public var folder: String

    public init(lots: Int = 100_000, seconds: Int = 20, connections: Int = 32, folder: String) {
        self.lots = lots
        self.seconds = seconds
        self.connections = connections
        self.folder = folder
    }

    public func run() async throws -> String {
        let scratch = (folder as NSString).appendingPathComponent("bench-api-\(getpid())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let store = try LotStore(path: scratch + "/store.sqlite", create: true)
        let company = try store.addCompany(name: "Bench Co", actor: "bench")
        let license = try store.addLicense(name: "Bench Farm", code: "BENCH-API", typeKey: "grower", companyKey: company.id, actor: "bench")
        let contact = try store.addContact(name: "Bench", type: "Employee", companyKey: company.id, actor: "bench")
        let product = try store.addProduct(NewProduct(name: "Bench Flower", typeKey: "Flower/Dry", packageType: .bulk, unit: "g"), actor: "bench")
        var ids: [String] = []
        while ids.count < lots {
            let size = min(10_000, lots - ids.count)
            ids += try store.createLots((0..<size).map { _ in NewLot(licenseKey: license.id, productKey: product.id, qty: "3.5 g") }, actor: "bench")
        }
        // A session as /auth/open would make it (the handshake itself is not what is measured).
        let sid = V2024Gate.newSessionID()
        let now = Int64(Date().timeIntervalSince1970)
        try store.openSession(APISession(sidHash: V2024Gate.hash(sessionID: sid), service: "bench", clientKey: "bench", contactID: contact.id,
                                         companyID: company.id, licenseID: license.id, expiresAt: now + 3600),
                              nonce: "bench", forgetNonceAfter: now + 3600, now: now)
        try ids.joined(separator: "\n").write(toFile: scratch + "/ids.txt", atomically: true, encoding: .utf8)
        try Self.getScript(ids: scratch + "/ids.txt", sid: sid).write(toFile: scratch + "/get.lua", atomically: true, encoding: .utf8)
        try Self.postScript(product: product.id, sid: sid).write(toFile: scratch + "/post.lua", atomically: true, encoding: .utf8)

        let port = try FreePort.find()
        var logger = Logger(label: "lotbox.bench.api")
        logger.logLevel = .error
        let threads = StoreThreads(threads: 4)
        let services = APIServices(store: store, threads: threads, gate: V2024Gate(serverKey: try ServerKey.generate(), clients: [:]), logger: logger)
        let server = APIServer(host: "127.0.0.1", port: port, services: services, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        try await FreePort.waitForListener(port: port, seconds: 10)

        let url = "http://127.0.0.1:\(port)"
        _ = try await Wrk.run(url: url, script: scratch + "/get.lua", seconds: 5, connections: connections)
        let get = try await Wrk.run(url: url, script: scratch + "/get.lua", seconds: seconds, connections: connections)
        let post = try await Wrk.run(url: url, script: scratch + "/post.lua", seconds: seconds, connections: connections)
        let created = try store.lots(LotFilter(licenseKey: license.id, limit: Int.max)).count - lots
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await threads.shutdown()
        guard get.non2xx == 0, post.non2xx == 0 else {
            throw BenchError.failed("only 2xx replies; GET had \(get.non2xx) others, POST \(post.non2xx) (\(get.firstRefusal ?? post.firstRefusal ?? "-"))")
        }
        return BenchLine.render([
            ("bench", "\"api\""),
            ("lots", String(lots)),
            ("get_per_s", BenchLine.number(get.requestsPerSecond, places: 0)),
            ("get_p99_ms", BenchLine.number(get.p99Milliseconds, places: 3)),
            ("post_per_s", BenchLine.number(post.requestsPerSecond, places: 0)),
            ("post_p99_ms", BenchLine.number(post.p99Milliseconds, places: 3)),
            ("created", String(created)),
            ("wrk", "\"-t1 -c\(connections) -d\(seconds)s --latency\""),
            ("goal_get_per_s", "20000"), ("goal_get_p99_ms", "5"), ("goal_post_per_s", "2500"), ("goal_post_p99_ms", "20"),
        ])
    }

    static func getScript(ids: String, sid: String) -> String {
        """
        local told = false
        response = function(status, headers, body)
          if status ~= 200 and not told then
            told = true
            io.stderr:write("first refused read: " .. status .. " " .. body .. "\\n")
          end
        end
        local ids = {}
        for line in io.lines("\(ids)") do ids[#ids + 1] = line end
        math.randomseed(os.time())
        wrk.headers["Authorization"] = "Bearer v2024/\(sid)"
        request = function()
          return wrk.format("GET", "/inventory/" .. ids[math.random(#ids)])
        end
        """
    }

    static func postScript(product: String, sid: String) -> String {
        """
        wrk.method = "POST"
        wrk.path = "/inventory"
        wrk.headers["Authorization"] = "Bearer v2024/\(sid)"
        wrk.headers["Content-Type"] = "application/json"
        wrk.body = '{"product": "\(product)", "qty": "3.5"}'
        local told = false
        response = function(status, headers, body)
          if status ~= 201 and not told then
            told = true
            io.stderr:write("first refused create: " .. status .. " " .. body .. "\\n")
          end
        end
        """
    }
}
