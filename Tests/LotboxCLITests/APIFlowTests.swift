import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

/// The issue's proof of the flow over HTTP: a lot created through the API is printed by
/// print-on-create on a real IPP printer (ippeveprinter) and its label decodes to the lot's id;
/// a scan posted to /scan at the kiosk lands in a sale; /events delivers both. The client is the
/// independent Python one (Tests/api/test_flow.py).
@Suite(.serialized, .timeLimit(.minutes(5))) struct APIFlowTests {
    @Test func aLotMadeOverHTTPIsPrintedScannedIntoASaleAndStreamed() throws {
        let suite = APIServeTests()
        let setup = try suite.setUp()
        let printer = try VirtualLabelPrinter()
        defer { printer.stop() }
        let licenseA = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.fixture))) as? [String: Any])
        let identities = try #require(licenseA["identities"] as? [[String: String]])
        let objects = try #require(licenseA["objects"] as? [String: String])
        let priced = try setup.cli.lotbox("product", "set", objects["flower"] ?? "", "--price", "10")
        #expect(priced.status == 0, "\(priced.err)")
        try """

            [[printers]]
            name = "labels"
            uri = "\(printer.uri)"
            template = "lot-2x1"

            [[stations]]
            name = "kiosk"
            kind = "kiosk"
            license = "\(identities[0]["license"] ?? "")"
            age_check = false
            taxes = [{ type = "state", rate = "10%" }]
            """.appendLine(to: setup.config)
        let server = try suite.startServer(setup)
        defer { server.stop(seconds: 5) }
        let out = setup.cli.folder + "/flow.json"
        let result = try suite.runScript("test_flow.py", setup, [out])
        #expect(result.status == 0, "test_flow.py exited \(result.status):\n\(result.out)\(result.err)\nserve's log:\n\(server.output.suffix(3000))")
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: String])
        let lot = try #require(written["lot"])
        try VirtualLabelPrinter.wait("the printer to receive the label", seconds: 20) { !printer.received().isEmpty }
        var decoded: [String] = []
        for (index, file) in printer.received().enumerated() {
            for page in try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))) {
                decoded += try RealDecoder.zxing(try RealDecoder.write(page, dpi: 203, name: "api-flow-\(index)")).map(\.text)
            }
        }
        #expect(decoded.contains(lot), "the printed labels decode to \(decoded), not to the lot \(lot)")
    }
}

extension String {
    /// Appends this text to a file.
    func appendLine(to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}
