import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

/// `lotbox label` and `lotbox template` as a person or a script runs them.
@Suite(.timeLimit(.minutes(10))) struct LabelCLITests {
    let cli: CLITests

    init() throws { cli = try CLITests() }

    var templates: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates").path
    }

    @Test func renderALotInEveryFormat() throws {
        try cli.setUp()
        let lot = try cli.lotbox("lot", "create", "--license", "G-412345", "--product", "Eighth", "--qty", "24").line
        for format in ["png", "pwg", "pdf", "zpl"] {
            let output = cli.folder + "/label.\(format)"
            let result = try cli.lotbox("label", "render", "--templates", templates, "--template", "lot-4x2", "--lot", lot,
                                        "--format", format, "--field", "note=hello", "-o", output)
            #expect(result.status == 0, "\(result.err)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
            let page: MonoBitmap
            switch format {
            case "pwg": page = try #require(try PWGRaster.decode(bytes).first)
            case "zpl": page = try #require(try ZPL.decodeGraphicFields(bytes).first)
            case "pdf":
                let raster = try RealDecoder.run("/usr/bin/pdftoppm", ["-r", "203", "-mono", "-singlefile", output, cli.folder + "/pdf"])
                #expect(raster.status == 0)
                #expect(try RealDecoder.zxing(cli.folder + "/pdf.pbm").map(\.text) == [lot, lot])
                continue
            default:
                #expect(try RealDecoder.zxing(output).map(\.text) == [lot, lot])
                continue
            }
            let png = try RealDecoder.write(page, dpi: 203, name: format)
            #expect(try RealDecoder.zxing(png).map(\.text) == [lot, lot], "\(format)")
        }
    }

    @Test func batchFromCSVWithCopies() throws {
        let csv = cli.folder + "/labels.csv"
        try """
            id,product.name,qty,short_id
            01M80GN4FPK1GTC9FJS9JNVGK1,"Blue Dream, Flower",3.5 g,S9JNVGK1
            01M80GN4FPK1GTC9FJS9JNVGK2,Gelato & Cream,1 g,S9JNVGK2
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let output = cli.folder + "/batch.pwg"
        let result = try cli.lotbox("label", "batch", "--templates", templates, "--template", "lot-2x1", "--csv", csv,
                                    "--format", "pwg", "--copies", "2", "-o", output)
        #expect(result.status == 0, "\(result.err)")
        let pages = try PWGRaster.decode(try [UInt8](Data(contentsOf: URL(fileURLWithPath: output))))
        #expect(pages.count == 4)
        let second = try RealDecoder.write(pages[2], dpi: 203, name: "batch-2")
        #expect(try RealDecoder.zxing(second).map(\.text) == ["01M80GN4FPK1GTC9FJS9JNVGK2"])
    }

    @Test func aBatchWithOneBadRowWritesNothing() throws {
        let csv = cli.folder + "/bad.csv"
        try "id,product.name,qty,short_id\nLOT-1,Flower,1 g,A\nLOT-2,Flower,,B\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let output = cli.folder + "/bad.pdf"
        let result = try cli.lotbox("label", "batch", "--templates", templates, "--template", "lot-2x1", "--csv", csv, "-o", output)
        #expect(result.status != 0)
        #expect(result.err == "lotbox: row 3: lot-2x1.yaml: text 'qty' needs field 'qty', which this label does not have\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(arguments: [
        (["label", "render", "--template", "nope", "--data", "/dev/null", "-o", "x.png"], "nope: no such template"),
        (["label", "render", "--template", "lot-2x1", "--data", "/dev/null", "--format", "bmp", "-o", "x.bmp"], "--format 'bmp'"),
        (["label", "render", "--template", "lot-2x1", "--data", "/dev/null", "--dpi", "150", "-o", "x.png"], "--dpi 150"),
        (["label", "render", "--template", "lot-2x1", "-o", "x.png"], "exactly one of --lot"),
        (["label", "render", "--template", "lot-2x1", "--data", "/dev/null", "--field", "oops", "-o", "x.png"], "--field 'oops'"),
        (["label", "batch", "--template", "lot-2x1", "--format", "png", "--lots", "A", "-o", "x.png"], "--format 'png'"),
    ])
    func badLabelInputIsOneLine(arguments: [String], expected: String) throws {
        let result = try cli.runProgram(CLITests.binary, arguments + ["--templates", templates], environment: ["LOTBOX_DB": cli.db])
        #expect(result.status != 0)
        #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
        #expect(result.err.contains(expected), "\(result.err)")
    }

    @Test func templateListAndCheck() throws {
        let list = try cli.lotbox("template", "list", "--templates", templates)
        #expect(list.out.contains("lot-4x2      oe_4x2-label_4x2in"))
        let check = try cli.lotbox("template", "check", "package-4x6", "--templates", templates)
        #expect(check.status == 0)
        #expect(check.out.contains("package-4x6.yaml at 600 dpi: ok"))
        let broken = cli.folder + "/broken"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        try "media: oe_2x1-label_2x1in\nelements:\n  - {type: barcode, name: id, symbology: code128, data: '{{id}}', x: 0, y: 0, width: 1in, height: 0.5in}\n"
            .write(toFile: broken + "/narrow.yaml", atomically: true, encoding: .utf8)
        let failed = try cli.lotbox("template", "check", "narrow", "--templates", broken)
        #expect(failed.status != 0)
        #expect(failed.err.isEmpty, "\(failed.err)")
        #expect(failed.out.contains("narrow.yaml: code128 'id' needs 3.36 in at 2 dots/module, box is 1.0 in (at 203 dpi, sample)"), "\(failed.out)")
        // A template that holds the sample but not a 60-character license name fails the check.
        try "media: na_index-4x6_4x6in\nelements:\n  - {type: text, name: license, text: 'License {{license.code}}  {{license.name}}', x: 0.2in, y: 2.2in, width: 3.6in, height: 0.24in, size: 10pt, overflow: fail}\n"
            .write(toFile: broken + "/licence-line.yaml", atomically: true, encoding: .utf8)
        let long = try cli.lotbox("template", "check", "licence-line", "--templates", broken, "--dpi", "203")
        #expect(long.status != 0)
        #expect(!long.out.contains("(at 203 dpi, sample)"), "\(long.out)")
        #expect(long.out.contains("licence-line.yaml: text 'license'") && long.out.contains("(at 203 dpi, 200-character names, 13-digit quantity, every field)"), "\(long.out)")
    }
}
