import Foundation
import LotboxStore
import LotboxTestSupport
import Testing

/// One limit on copies (LabelRoute.copiesLimit, 1 to 1000) for the CLI, the API and the store:
/// 1000 copies queue through each, 1001 is refused in one line naming the value, nothing queued.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CopiesLimitTests {
    @Test func theCLITheAPIAndTheStoreShareOneLimit() throws {
        #expect(LabelRoute.copiesLimit == 1...1000)
        let suite = APIServeTests()
        let setup = try suite.setUp()
        // A printer nobody answers on: the jobs stay queued, which is all this test looks at.
        try """

            [[printers]]
            name = "dock"
            uri = "ipp://127.0.0.1:9/ipp/print"
            template = "lot-2x1"
            """.appendLine(to: setup.config)
        let cli = setup.cli
        let lot = try cli.lotbox("lot", "create", "--license", "G-100001", "--product", "API Flower", "--qty", "1 g")
        try #require(lot.status == 0, "\(lot.err)")
        for command in [["print", lot.line], ["label", "batch", "--template", "lot-2x1", "--lots", lot.line, "--print"]] {
            let refused = try cli.runProgram(CLITests.binary, command + ["--copies", "1001", "--config", setup.config],
                                             environment: ["LOTBOX_DB": cli.db, "LOTBOX_ACTOR": "tester"])
            #expect(refused.status != 0 && refused.err.contains("--copies 1001 is not between 1 and 1000"), "\(command): \(refused.err)")
            #expect(refused.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.err)")
        }
        let queuedBefore = try cli.lotbox("queue", "list", "--json")
        #expect(queuedBefore.status == 0 && !queuedBefore.out.contains(lot.line), "\(queuedBefore.out)")
        let printed = try cli.lotbox("print", lot.line, "--copies", "1000", "--config", setup.config, "--json")
        #expect(printed.status == 0, "\(printed.err)")
        let server = try suite.startServer(setup)
        defer { server.stop(seconds: 5) }
        let result = try suite.runScript("test_copies.py", setup, ["dock"])
        #expect(result.status == 0, "test_copies.py exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(server.output.suffix(3000))")
    }
}
