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
        #expect(text.hasPrefix("^XA\n^MNY\n^PW\(label.width)\n^LL\(label.height)\n"))
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
        #expect(zpl == "^XA\n^MNY\n^PW16\n^LL2\n^LH0,0\n^FO0,0^GFA,4,4,2,F000000F^FS\n^PQ1\n^XZ\n")
        // ZPL's run-length form: "F" then zeros to the row's end; three zeros, then Fs to the end.
        let acs = String(decoding: try LabelFormat.zpl.encode([label], media: template.media, settings: ZPLSettings(compression: .acs)), as: UTF8.self)
        #expect(acs.contains("^GFA,4,4,2,F,I0!^FS"), "\(acs)")
        // A roll is continuous media; the printer's settings lead the label; ~SD once, before it.
        let tuned = ZPLSettings(darkness: 12, setDarkness: 20, speed: 6, offsetX: 3, offsetY: 5, headWidth: 40, compression: .z64)
        let roll = Media(name: "roll", width: template.media.width, height: template.media.height, isRoll: true)
        let z64 = try LabelFormat.zpl.encode([label, label], media: roll, settings: tuned)
        let text = String(decoding: z64, as: UTF8.self)
        #expect(text.hasPrefix("~SD20\n^XA\n^MNN\n^MD12\n^PR6\n^PW40\n^LL2\n^LH15,5\n^FO0,0^GFA,"), "\(text)")
        #expect(text.components(separatedBy: "~SD").count == 2 && text.components(separatedBy: "^XA").count == 3)
        let pages = try ZPL.decodeGraphicFields(z64)
        #expect(pages.count == 2 && pages.nonEmptyAllSatisfy { $0.bytes == RasterPainter.paint(label).bytes })
        // A label wider than the head is refused, not cut.
        #expect(throws: OutputError.self) { try LabelFormat.zpl.encode([label], media: template.media, settings: ZPLSettings(headWidth: 8)) }
    }

    @Test func theTemplatesSensingChoosesMediaTracking() throws {
        let body = "elements:\n  - {type: box, name: b, x: 0, y: 0, width: 4dots, height: 1dots}\n"
        #expect(try TemplateLoader.parse("media: oe_2x1-label_2x1in\n" + body, file: "a.yaml").mediaTracking == .gap)
        #expect(try TemplateLoader.parse("media: oe_2x1-label_2x1in\nsensing: mark\n" + body, file: "b.yaml").mediaTracking == .mark)
        #expect(try TemplateLoader.parse("media: {width: 72mm, height: 20mm, roll: true}\n" + body, file: "c.yaml").mediaTracking == .continuous)
        #expect(throws: TemplateError.self) { try TemplateLoader.parse("media: {width: 72mm, height: 20mm, roll: true}\nsensing: gap\n" + body, file: "d.yaml") }
        do {
            _ = try TemplateLoader.parse("media: oe_2x1-label_2x1in\nsensing: notch\n" + body, file: "e.yaml")
            Issue.record("sensing: notch was taken")
        } catch {
            #expect(error.description.contains("sensing 'notch' is unknown; expected gap or mark"), "\(error)")
        }
    }

    @Test func z64AndRunLengthRoundTripEveryShippedLabel() throws {
        // CRC-16/XMODEM's check value.
        #expect(ZPL.crc16xmodem(Array("123456789".utf8)) == 0x31C3)
        for name in ["lot-2x1", "lot-4x2", "package-4x6", "receipt"] {
            let template = try TemplateLoader.load(name, from: OutputFormatTests.folder)
            let data = name == "receipt" ? SampleLabelData.sale : SampleLabelData.lot
            let label = try LabelLayout.layOut(template, data: data, dpi: 203).get()
            let painted = RasterPainter.paint(label)
            var sizes: [ZPLSettings.Compression: Int] = [:]
            for compression in ZPLSettings.Compression.allCases {
                let zpl = try LabelFormat.zpl.encode([label], media: template.media, settings: ZPLSettings(compression: compression))
                sizes[compression] = zpl.count
                #expect(try ZPL.decodeGraphicFields(zpl) == [painted], "\(name) \(compression)")
            }
            #expect(sizes[.acs, default: 0] < sizes[.none, default: 0] / 3 && sizes[.z64, default: 0] < sizes[.acs, default: 0], "\(name) \(sizes)")
        }
    }

    @Test func anOffsetMovesPWGAndPDFLabelsToo() throws {
        let template = try TemplateLoader.load("lot-2x1", from: OutputFormatTests.folder)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: 203).get()
        let plain = try #require(try PWGRaster.decode(try LabelFormat.pwg.encode([label], media: template.media)).first)
        let moved = try #require(try PWGRaster.decode(try LabelFormat.pwg.encode([label], media: template.media,
                                                                                  settings: ZPLSettings(offsetX: 8, offsetY: 4))).first)
        #expect(moved.width == plain.width && moved.height == plain.height)
        var inkedPlain = 0, inkedMovedMatching = 0
        for y in 0..<(plain.height - 4) {
            for x in 0..<(plain.width - 8) where plain.isInked(x: x, y: y) {
                inkedPlain += 1
                if moved.isInked(x: x + 8, y: y + 4) { inkedMovedMatching += 1 }
            }
        }
        #expect(inkedPlain > 1000 && inkedMovedMatching == inkedPlain)
        #expect(moved != plain)
        let pdf = try LabelFormat.pdf.encode([label], media: template.media, settings: ZPLSettings(offsetX: 8, offsetY: 4))
        #expect(pdf != (try LabelFormat.pdf.encode([label], media: template.media)))
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
