import Foundation
import LotboxTestSupport
import Testing

/// schemathesis (PyPI, pinned) fuzzes a real `lotbox serve` from the server's own /openapi.json:
/// 0 server errors and 0 responses that break the document (Tests/api/test_schemathesis.py).
@Suite(.serialized, .timeLimit(.minutes(20))) struct APISchemathesisTests {
    @Test func everyRouteAnswersAsDocumentedAndNeverWithAServerError() async throws {
        // Minutes of waiting on a child: off the shared pool (`offPool`), so other tests run meanwhile.
        // CI runs it beside the package test's release build on two cores, and every write the
        // fuzzer makes is a synced commit: 540 s was seen to be too short there (2026-11-30).
        let outcome = try await offPool { () throws -> (result: (status: Int32, out: String, err: String), log: String) in
            let suite = APIServeTests()
            let setup = try suite.setUp()
            let server = try suite.startServer(setup)
            defer { server.stop(seconds: 5) }
            let result = try runProgram(RealDecoder.python, [APIServeTests.scripts + "/test_schemathesis.py", setup.fixture, "8"],
                                        environment: ["PYTHONDONTWRITEBYTECODE": "1"], deadline: 1_080)
            return (result, server.output)
        }
        let result = outcome.result
        #expect(result.status == 0, "test_schemathesis.py exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(outcome.log.suffix(3000))")
        #expect(!outcome.log.contains(" error "), "serve logged an error:\n\(outcome.log.suffix(3000))")
    }
}
