import Foundation
import LotboxStore
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// A product name as long as the store takes (200 characters) fits the shipped templates: it
/// shrinks, then is cut with "…", never drawn outside its box, and every barcode still reads.
@Suite(.timeLimit(.minutes(5))) struct LongNameLabelTests {
    static let lotTemplates = ["lot-2x1", "lot-4x2", "package-4x6"]

    @Test func theWorstCaseTriesTheStoresLongestName() throws {
        #expect(WorstCaseLabelData.storeNameLength == LotStore.maximumNameLength)
        let lot = WorstCaseLabelData.cases(for: .lot)
        #expect(lot.count == 3)
        guard case .text(let name)? = lot[1].data.value(at: "product")?.value(at: "name") else {
            Issue.record("the worst case has no product name: \(lot[1].data)")
            return
        }
        #expect(name.count == LotStore.maximumNameLength)
        let sale = WorstCaseLabelData.cases(for: .sale)
        guard case .text(let shop)? = sale[1].data.value(at: "license")?.value(at: "name") else {
            Issue.record("the sale's worst case has no license name")
            return
        }
        #expect(shop.count == LotStore.maximumNameLength)
    }

    func sampleID() throws -> String {
        guard case .text(let id)? = SampleLabelData.lot.value(at: "id") else {
            throw DecoderError(message: "the sample lot has no id")
        }
        return id
    }

    /// Only the product's box changes between the sample's name and a 200-character one, and
    /// the name in it ends in "…".
    @Test(arguments: lotTemplates, [203, 300])
    func aStoreLongProductNameStaysInItsBox(name: String, dpi: Int) throws {
        let template = try TemplateLoader.load(name, from: WorstCaseTemplateTests.templates)
        let longName = WorstCaseLabelData.longName(LotStore.maximumNameLength)
        let long = SampleLabelData.lot.merging(["product": SampleLabelData.lot.value(at: "product")?.merging(["name": .text(longName)]) ?? .null])
        let laidOut = try LabelLayout.layOut(template, data: long, dpi: dpi, engine: TextEngine(dpi: dpi)).get()
        var box: (x: Int, y: Int, width: Int, height: Int)?
        for item in laidOut.items {
            if case .text(let content, let spec, _, let x, let y, let width, let height, let layout) = item, spec.source.contains("product.name") {
                // Shrunk whole where 5 pt holds it (4x2, 4x6), else cut with "…" (2x1).
                #expect(content == longName || (content.hasSuffix("…") && content.count < longName.count), "\(content)")
                if name == "lot-2x1" { #expect(content.hasSuffix("…"), "\(content)") }
                #expect(layout.width <= width && layout.height <= height, "\(layout.width)x\(layout.height) in a \(width)x\(height) box")
                box = (x, y, width, height)
            }
        }
        let product = try #require(box, "\(name) has no product.name text")
        let withLong = try LabelRenderer.render(template, data: long, dpi: dpi)
        let withSample = try LabelRenderer.render(template, data: SampleLabelData.lot, dpi: dpi)
        #expect(withLong.width == withSample.width && withLong.height == withSample.height)
        var outside = 0
        for y in 0..<withLong.height {
            for x in 0..<withLong.width where withLong.isInked(x: x, y: y) != withSample.isInked(x: x, y: y) {
                if !(x >= product.x && x < product.x + product.width && y >= product.y && y < product.y + product.height) { outside += 1 }
            }
        }
        #expect(outside == 0, "\(outside) dots outside the product box changed with a 200-character name (\(name) at \(dpi) dpi)")
    }

    /// The worst case (every name 200 characters, 13-digit quantities) printed: zxing reads
    /// every barcode the template has, with the lot's id.
    @Test(arguments: lotTemplates)
    func theBarcodesOfTheWorstCaseStillDecode(name: String) throws {
        let template = try TemplateLoader.load(name, from: WorstCaseTemplateTests.templates)
        let worst = WorstCaseLabelData.cases(for: .lot)[1].data
        let bitmap = try LabelRenderer.render(template, data: worst, dpi: 203)
        let png = try RealDecoder.write(bitmap, dpi: 203, name: "\(name)-200")
        let read = try RealDecoder.zxing(png)
        let barcodes = template.elements.filter { !["text", "box", "line", "image", "repeat"].contains($0.kindName) }.count
        #expect(barcodes > 0)
        #expect(read.count == barcodes, "\(read.map(\.format))")
        let id = try sampleID()
        #expect(read.nonEmptyAllSatisfy { $0.text == id }, "\(read.map(\.text))")
    }
}
