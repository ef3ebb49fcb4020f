import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

/// `lotbox printer test`: the calibration sheet printed on a real IPP printer (ippeveprinter,
/// which reports 4x2 in media loaded) and on a Zebra stand-in on a raw port, every code read back
/// from what the printer received; a printer out of labels gets nothing and says why.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrinterTestCLITests {
    func config(_ cli: CLITests, _ printer: String) throws -> String {
        let path = cli.folder + "/printer-test-\(UUID().uuidString).toml"
        try """
            store = "\(cli.db)"
            templates = "\(ServeFaultTests.templates)"
            time_zone = "America/Denver"

            [[printers]]
            name = "front"
            template = "lot-2x1"
            \(printer)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every code the command says is on a label, against what was read off the printed pages.
    func check(_ pages: [String], _ report: String) throws {
        let lines = report.split(separator: "\n").filter { $0.hasPrefix("  label ") }
        #expect(pages.count == lines.count && pages.count >= 5, "\(pages.count) pages; \(report)")
        for (index, page) in pages.enumerated().dropFirst() {
            let read = try RealDecoder.zxing(page).map(\.text).sorted()
            let line = String(lines[index])
            let dots = try #require(line.firstMatch(of: /\((\d+) dots?\)/).flatMap { Int($0.1) }, "\(line)")
            var expected: [String] = []
            if !line.contains("QR does not fit") && !line.contains("neither") { expected.append("LOTBOX-TEST-\(dots)") }
            if !line.contains("Code 128 does not fit") && !line.contains("neither") { expected.append(String(format: "10%02d", dots)) }
            #expect(read == expected.sorted(), "label \(index + 1): \(line)")
            #expect(line.contains(dots >= 2 ? "lot-2x1 takes it" : "refused: lot-2x1 needs 0.250 mm"), "\(line)")
        }
    }

    @Test func theSheetPrintsOnTheLoadedMediaOfAnIPPPrinterAndEveryCodeScans() throws {
        let cli = try CLITests()
        try cli.setUp()
        let printer = try VirtualLabelPrinter()
        let config = try config(cli, "uri = \"\(printer.uri)\"")
        let run = try cli.lotbox("printer", "test", "front", "--config", config)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("on oe_4x2-label_4x2in (from the printer's media-ready)") && run.out.contains("printed (job"), "\(run.out)")
        let files = printer.received()
        #expect(files.count == 1, "one job for the whole sheet: \(files)")
        let pages = try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: try #require(files.first)))))
        // The frame is on the loaded 4x2 in stock's edges, not the template's 2x1 in.
        let first = try #require(pages.first)
        #expect(first.width == 812 && first.height == 406)
        #expect(first.isInked(x: 811, y: 405) && first.isInked(x: 0, y: 0) && first.isInked(x: 406, y: 203))
        try check(try pages.enumerated().map { try RealDecoder.write($1, dpi: 203, name: "ipp-\($0)") }, run.out)
    }

    @Test func aZebraGetsTheSheetAsZPLAndOneOutOfLabelsGetsNothing() throws {
        let cli = try CLITests()
        try cli.setUp()
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let config = try config(cli, "uri = \"\(zebra.uri)\"\ndarkness = 4")
        let run = try cli.lotbox("printer", "test", "front", "--config", config)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("as application/vnd.zebra-zpl on oe_2x1-label_2x1in (from template lot-2x1)"), "\(run.out)")
        let jobs = zebra.waitForJobs(1, seconds: 30)
        let zpl = try #require(jobs.first)
        #expect(String(decoding: zpl, as: UTF8.self).contains("^MD4"))
        try check(try RealDecoder.zplImages(zpl, dpi: 203), run.out)

        zebra.set { $0.paperOut = true }
        let empty = try cli.lotbox("printer", "test", "front", "--config", config)
        #expect(empty.status != 0 && empty.err.contains("printer front") && empty.err.contains("media-empty"), "\(empty.err)")
        #expect(empty.err.split(separator: "\n").count == 1, "\(empty.err)")
        usleep(300_000)
        #expect(zebra.received.count == jobs.count)
    }

    @Test func aWrongNameOrOutputIsOneLineAndTheSheetCanBeWrittenToAFile() throws {
        let cli = try CLITests()
        try cli.setUp()
        let config = try config(cli, "uri = \"socket://127.0.0.1:9\"")
        let unknown = try cli.lotbox("printer", "test", "back", "--config", config)
        #expect(unknown.status == 64 && unknown.err.contains("no printer 'back'") && unknown.err.contains("front"), "\(unknown.err)")
        let png = try cli.lotbox("printer", "test", "front", "--config", config, "--output", cli.folder + "/sheet.png")
        #expect(png.status == 64 && png.err.contains(".pdf, .pwg or .zpl") && !FileManager.default.fileExists(atPath: cli.folder + "/sheet.png"))
        let nowhere = try cli.lotbox("printer", "test", "front", "--config", config, "--output", cli.folder + "/missing/sheet.pdf")
        #expect(nowhere.status == 73 && nowhere.err == "lotbox: cannot write \(cli.folder)/missing/sheet.pdf: the folder \(cli.folder)/missing does not exist\n",
                "\(nowhere.err)")
        let pwg = try cli.lotbox("printer", "test", "front", "--config", config, "--output", cli.folder + "/sheet.pwg")
        #expect(pwg.status == 0, "\(pwg.err)")
        let pages = try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: cli.folder + "/sheet.pwg"))))
        #expect(pages.first?.width == 406 && pages.first?.height == 203)
        try check(try pages.enumerated().map { try RealDecoder.write($1, dpi: 203, name: "file-\($0)") }, pwg.out)
    }
}
