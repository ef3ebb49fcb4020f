import Foundation
import LotboxTestSupport
import Testing

/// The README's "in a folder of your own" block is what a new user types first: it runs here as
/// it is, with the files it names from docs/examples, so the README cannot drift from the product.
@Suite(.timeLimit(.minutes(5))) struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shell lines between the README's readme-test markers, without the code fence.
    static func block() throws -> String {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let begin = readme.range(of: "<!-- readme-test: begin -->"),
              let end = readme.range(of: "<!-- readme-test: end -->", range: begin.upperBound..<readme.endIndex) else {
            throw DecoderError(message: "README.md has no readme-test block")
        }
        let lines = readme[begin.upperBound..<end.lowerBound].split(separator: "\n").filter { !$0.hasPrefix("```") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theReadmeBlockRunsAsItIs() throws {
        let cli = try CLITests()
        let folder = cli.folder
        let script = try Self.block()
        #expect(script.contains("lotbox init") && script.contains("docs/examples/"))
        // A copy of what a user has beside the README: the examples and the templates.
        for item in ["docs/examples", "Templates"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + (item as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent(item).path, toPath: folder + "/" + item)
        }
        try script.write(toFile: folder + "/readme.sh", atomically: true, encoding: .utf8)
        let binaryFolder = (CLITests.binary as NSString).deletingLastPathComponent
        let path = binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try runProgram("/bin/bash", ["-c", "cd '\(folder)' && bash -euo pipefail readme.sh"],
                                    environment: ["PATH": path, "LOTBOX_DB": "", "LOTBOX_TEMPLATES": ""], deadline: 180)
        #expect(result.status == 0, "README block failed: \(result.err.suffix(1500))")
        // What the block made is real: the label reads as the lot, the sheet has its pages.
        // The lot the block made is the one it voided at its end.
        let voided = try #require(result.out.range(of: #"void confirmed for [0-9A-Z]{26}"#, options: .regularExpression), "\(result.out.suffix(500))")
        let lot = String(result.out[voided].suffix(26))
        let decoded = try RealDecoder.zxing(folder + "/try/label.png").map(\.text)
        #expect(decoded.contains(lot), "label decodes to \(decoded), lot \(lot)")
        let pages = try runProgram("/usr/bin/pdfinfo", [folder + "/try/sheet.pdf"])
        #expect(pages.out.contains("Pages:           6"), "\(pages.out)")
        #expect(result.out.contains("void requested for \(lot)"), "\(result.out.suffix(500))")
        #expect(FileManager.default.fileExists(atPath: folder + "/try/changes.json"))
    }
}
