import Foundation
import LotboxLabels
import LotboxTestSupport
import Testing

/// The printer test's sheet, painted and read back by zxing-cpp: its frame sits on the media's
/// edges, every code it claims to carry scans, and each X-dimension's verdict is the preflight's.
@Suite(.timeLimit(.minutes(5))) struct CalibrationSheetTests {
    static let templates = WorstCaseTemplateTests.templates

    @Test(arguments: [("lot-2x1", 203), ("lot-4x2", 300), ("package-4x6", 203)])
    func everyCodeOnTheSheetScansAndItsVerdictIsThePreflights(template name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: CalibrationSheetTests.templates)
        let pages = try CalibrationSheet.pages(title: "zebra-\(name)", media: template.media, dpi: dpi, judgedBy: template)
        #expect(pages.count >= 5, "\(pages.map(\.summary))")
        let width = template.media.width.dots(at: dpi), height = template.media.height.dots(at: dpi)

        // Page one: a one-dot frame on every edge, and the centre cross.
        let first = RasterPainter.paint(try #require(pages.first).label)
        #expect(first.width == width && first.height == height)
        let edges = (0..<width).flatMap { [(x: $0, y: 0), (x: $0, y: height - 1)] } + (0..<height).flatMap { [(x: 0, y: $0), (x: width - 1, y: $0)] }
        #expect(edges.nonEmptyAllSatisfy { first.isInked(x: $0.x, y: $0.y) })
        #expect(first.isInked(x: width / 2, y: height / 2) && !first.isInked(x: width / 2 + 1, y: height / 2 + 1))

        let minimum = LabelLayout.minimumModuleDots(template, dpi: dpi)
        var sizes: [Int] = []
        for page in pages.dropFirst() {
            let codes = page.codes
            #expect(!codes.isEmpty || page.summary.contains("neither code fits"), "\(page.summary)")
            guard let dots = codes.first?.moduleDots else { continue }
            sizes.append(dots)
            #expect(codes.nonEmptyAllSatisfy { $0.accepted == (dots >= minimum) }, "\(page.summary)")
            #expect(page.summary.contains(dots >= minimum ? "takes it" : "refused"), "\(page.summary)")
            let png = try RealDecoder.write(RasterPainter.paint(page.label), dpi: dpi, name: "sheet-\(name)-\(dots)")
            let read = try RealDecoder.zxing(png).map { "\($0.format):\($0.text)" }.sorted()
            let expected = codes.map { "\($0.symbology == "qr" ? "QRCode" : "Code128"):\($0.data)" }.sorted()
            #expect(read == expected, "\(page.summary)")
        }
        // Sizes from a tenth of a millimetre up, each once, and both sides of the template's minimum.
        #expect(sizes == sizes.sorted() && Set(sizes).count == sizes.count && sizes.count >= 4, "\(sizes)")
        #expect(sizes.contains { $0 >= minimum }, "no size the template takes: \(sizes), minimum \(minimum)")
    }
}
