import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// Every shipped template written as PWG raster, PDF and ZPL at 203 and 300 dpi, read back the
/// way a printer would see it, and every barcode decoded.
@Suite(.timeLimit(.minutes(5))) struct OutputFormatTests {
    static let folder = ShippedTemplateTests.folder

    @Test(arguments: ["lot-2x1", "lot-4x2", "package-4x6"], [203, 300])
    func pwgRasterReadBackByLibcupsDecodes(name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: OutputFormatTests.folder)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: dpi).get()
        let pwg = try LabelFormat.pwg.encode([label, label], media: template.media)
        #expect(Array(pwg.prefix(4)) == Array("RaS2".utf8))
        let pages = try PWGRaster.decode(pwg)
        #expect(pages.count == 2)
        #expect(pages.first == RasterPainter.paint(label))
        try expectDecodes(pages[0], dpi: dpi, name: "\(name)-\(dpi)-pwg", template: name)
    }

    @Test(arguments: ["lot-2x1", "lot-4x2", "package-4x6"], [203, 300])
    func pdfRasterizedAtThePrinterResolutionDecodes(name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: OutputFormatTests.folder)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: dpi).get()
        let pdf = try LabelFormat.pdf.encode([label], media: template.media, copies: 3)
        #expect(Array(pdf.prefix(5)) == Array("%PDF-".utf8))
        let folder = try TemporaryFolder.make()
        let file = folder + "/\(name).pdf"
        try Data(pdf).write(to: URL(fileURLWithPath: file))
        let info = try RealDecoder.run("/usr/bin/pdfinfo", [file])
        let fields = Dictionary(info.out.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { first, _ in first })
        #expect(fields["Pages"] == "3", "\(info.out)")
        let width = Int((template.media.width.inches * 72).rounded()), height = Int((template.media.height.inches * 72).rounded())
        #expect(fields["Page size"] == "\(width) x \(height) pts", "\(info.out)")
        let raster = try RealDecoder.run("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-mono", "-f", "1", "-l", "1", "-singlefile", file, folder + "/page"])
        #expect(raster.status == 0, "\(raster.err)")
        let decoded = try RealDecoder.zxing(folder + "/page.pbm")
        try expectBarcodes(decoded, template: name, where: file)
    }

    @Test(arguments: ["lot-2x1", "lot-4x2", "package-4x6"], [203, 300])
    func zplGraphicFieldReadBackDecodes(name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: OutputFormatTests.folder)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: dpi).get()
        let zpl = try LabelFormat.zpl.encode([label], media: template.media, copies: 2)
        let text = String(decoding: zpl, as: UTF8.self)
        #expect(text.hasPrefix("^XA\n^PW\(label.width)\n^LL\(label.height)\n"))
        #expect(text.hasSuffix("^FS\n^PQ2\n^XZ\n"))
        let pages = try ZPL.decodeGraphicFields(zpl)
        #expect(pages == [RasterPainter.paint(label)])
        try expectDecodes(pages[0], dpi: dpi, name: "\(name)-\(dpi)-zpl", template: name)
    }

    @Test func zplGoldenBytesForATinyLabel() throws {
        let template = try TemplateLoader.parse("""
            media: {width: 16dots, height: 2dots}
            elements:
              - {type: box, name: b, fill: true, x: 0, y: 0, width: 4dots, height: 1dots}
              - {type: line, name: l, x: 12dots, y: 1dots, width: 4dots, height: 1dots, thickness: 1dots}
            """, file: "tiny.yaml")
        let label = try LabelLayout.layOut(template, data: .object([:]), dpi: 203).get()
        let zpl = String(decoding: try LabelFormat.zpl.encode([label], media: template.media), as: UTF8.self)
        #expect(zpl == "^XA\n^PW16\n^LL2\n^LH0,0\n^FO0,0^GFA,4,4,2,F000000F^FS\n^PQ1\n^XZ\n")
    }

    func expectDecodes(_ page: MonoBitmap, dpi: Int, name: String, template: String) throws {
        let file = try RealDecoder.write(page, dpi: dpi, name: name)
        try expectBarcodes(try RealDecoder.zxing(file), template: template, where: file)
    }

    func expectBarcodes(_ decoded: [RealDecoder.Decoded], template: String, where file: String) throws {
        var counts: [String: Int] = [:]
        for symbol in decoded {
            #expect(symbol.text == "01M80GN4FPK1GTC9FJS9JNVGKP", "\(file)")
            counts[symbol.symbology_identifier, default: 0] += 1
        }
        #expect(counts == ShippedTemplateTests.expected[template], "\(file)")
    }
}
