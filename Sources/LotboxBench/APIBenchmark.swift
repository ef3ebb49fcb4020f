import Foundation
import Logging
import LotboxAPI
import LotboxStore

/// `lotbox bench api`: the REST API under load from wrk (a second process, on loopback), after
/// a warm-up: authenticated `GET /inventory/{id}` of ids drawn at random from a store of
/// `lots` lots, and durable `POST /inventory` creates (no printers: print-on-create is off).
public struct APIBenchmark: Sendable {
    public var lots: Int
    public var seconds: Int
    public var connections: Int
    /// Seconds of GETs before the measured runs.
    public var warmUp: Int
    public var folder: String

    public init(lots: Int = 100_000, seconds: Int = 20, warmUp: Int = 5, connections: Int = 32, folder: String) {
        self.lots = lots
        self.seconds = seconds
        self.warmUp = warmUp
        self.connections = connections
        self.folder = folder
    }

    public func run() async throws -> String {
        let scratch = (folder as NSString).appendingPathComponent("bench-api-\(getpid())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { ScratchFolder.remove(scratch) }
        let bench = try APIBenchStore.make(in: scratch, lots: lots)
        try Self.getScript(ids: bench.idsFile, sid: bench.sid).write(toFile: scratch + "/get.lua", atomically: true, encoding: .utf8)
        try Self.postScript(product: bench.product, sid: bench.sid).write(toFile: scratch + "/post.lua", atomically: true, encoding: .utf8)

        var logger = Logger(label: "lotbox.bench.api")
        logger.logLevel = .error
        let api = try await InProcessAPI.start(store: bench.store, logger: logger)
        let get: Wrk.Result, post: Wrk.Result
        do {
            _ = try await Wrk.run(url: api.url, script: scratch + "/get.lua", seconds: warmUp, connections: connections)
            get = try await Wrk.run(url: api.url, script: scratch + "/get.lua", seconds: seconds, connections: connections)
            post = try await Wrk.run(url: api.url, script: scratch + "/post.lua", seconds: seconds, connections: connections)
        } catch {
            await api.stop()
            throw error
        }
        await api.stop()
        let created = try bench.store.lots(LotFilter(licenseKey: bench.license, limit: Int.max)).count - lots
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
