import Foundation
import LotboxTestSupport
import Testing

/// `GET /ready` on a real `lotbox serve`: ready while the store reads and the configuration
/// file is valid; 503 with a note naming the problem otherwise; a printer that does not answer
/// does not make the box unready.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ReadyServeTests {
    static func ready(_ port: Int) -> (status: Int, body: String) {
        LoopbackHTTP.get(port: port, path: "/ready", timeout: 5) ?? (0, "no answer")
    }

    func parsed(_ reply: (status: Int, body: String)) throws -> (status: Int, object: [String: Any]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "\(reply.body)")
        return (reply.status, object)
    }

    func note(_ object: [String: Any]) -> String { (object["meta"] as? [String: Any])?["note"] as? String ?? "" }

    @Test func readyFollowsTheStoreAndTheConfigurationNotThePrinters() async throws {
        let cli = try CLITests()
        try cli.setUp()
        let key = cli.folder + "/api.key"
        #expect(try cli.lotbox("api", "keygen", "--out", key).status == 0)
        let port = try APIServer.freePort()
        let config = cli.folder + "/lotbox.toml"
        // The printer's port answers nothing: its labels would wait, and the box is still ready.
        let good = """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            scanner_directory = "\(cli.folder)/no-udev"

            [[printers]]
            name = "dock"
            uri = "ipp://127.0.0.1:9/ipp/print"
            template = "lot-2x1"

            [api]
            listen = "127.0.0.1:\(port)"
            key = "\(key)"
            """
        try good.write(toFile: config, atomically: true, encoding: .utf8)
        let replies = try await offPool { () throws -> [(status: Int, body: String)] in
            let server = try APIServer.start(config: config, folder: cli.folder, port: port)
            defer { server.stop(seconds: 10) }
            guard server.waitUntilHealthy(seconds: 30) else {
                throw APIServer.Failure(description: "serve did not answer /health:\n\(server.output.suffix(2000))")
            }
            var steps = [Self.ready(port)]
            // The file broken since start: a restart would refuse it.
            try (good + "\nprint_on_craete = true\n").write(toFile: config, atomically: true, encoding: .utf8)
            steps.append(Self.ready(port))
            try good.write(toFile: config, atomically: true, encoding: .utf8)
            steps.append(Self.ready(port))
            // The store's file taken from under the daemon.
            try FileManager.default.moveItem(atPath: cli.db, toPath: cli.db + ".away")
            steps.append(Self.ready(port))
            try FileManager.default.moveItem(atPath: cli.db + ".away", toPath: cli.db)
            steps.append(Self.ready(port))
            let health = LoopbackHTTP.get(port: port, path: "/health", timeout: 5)
            steps.append((health?.status ?? 0, "{}"))
            // No [api] metrics_token_file: /metrics is off.
            steps.append(LoopbackHTTP.get(port: port, path: "/metrics", timeout: 5) ?? (0, "no answer"))
            return steps
        }
        try #require(replies.count == 7)
        let steps = try replies.map(parsed)
        #expect(steps[0].status == 200)
        #expect((steps[0].object["data"] as? [String: String]) == ["store": "ok", "config": "ok"])
        #expect(steps[1].status == 503)
        #expect(note(steps[1].object).contains("print_on_craete is not a known key"), "\(steps[1].object)")
        #expect(note(steps[1].object).contains(config))
        #expect(steps[2].status == 200)
        #expect(steps[3].status == 503)
        #expect(note(steps[3].object).contains("store: the store file \(cli.db) is gone"), "\(steps[3].object)")
        #expect(steps[4].status == 200)
        #expect(steps[5].status == 200)
        #expect(steps[6].status == 404)
        #expect(note(steps[6].object).contains("metrics_token_file"), "\(steps[6].object)")
    }
}
