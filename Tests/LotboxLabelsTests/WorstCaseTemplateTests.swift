import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// Templates meet real data: the worst names and quantities a shop will have, fields present
/// and absent, and characters a 1-bit label cannot print.
@Suite(.timeLimit(.minutes(5))) struct WorstCaseTemplateTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates").path

    func template(_ elements: String) throws -> LabelTemplate {
        try TemplateLoader.parse("media: oe_4x2-label_4x2in\nelements:\n\(elements)", file: "test.yaml")
    }

    @Test(arguments: ["lot-2x1", "lot-4x2", "package-4x6", "receipt", "commands"])
    func everyShippedTemplateHoldsTheWorstCase(name: String) throws {
        let template = try TemplateLoader.load(name, from: Self.templates)
        let cases = WorstCaseLabelData.cases(for: template.data)
        #expect(template.data == .none || cases.count == 3)
        for dpi in [203, 300, 600] {
            for (caseName, data) in cases {
                let problems = LabelRenderer.preflight(template, data: data, dpi: dpi)
                #expect(problems.isEmpty, "\(name) at \(dpi) dpi, \(caseName): \(problems)")
            }
        }
    }

    /// The failure round 1 shipped: a 50-character license name made a never-cut field refuse
    /// every lot while the check, on the sample alone, said ok. The worst case finds it.
    @Test func aNeverCutLicenseNameIsFoundByTheWorstCase() throws {
        let t = try template("  - {type: text, name: license, text: 'License {{license.code}}  {{license.name}}', x: 0.2in, y: 0.2in, width: 3.6in, height: 0.24in, size: 10pt, overflow: fail}")
        #expect(LabelRenderer.preflight(t, data: SampleLabelData.lot, dpi: 203).isEmpty)
        let problems = WorstCaseLabelData.cases(for: .lot).flatMap { LabelRenderer.preflight(t, data: $0.data, dpi: 203) }
        #expect(problems.contains { $0.element == "text 'license'" && $0.reason.contains("never cut") }, "\(problems)")
        // And the field that may be absent is found too.
        #expect(problems.contains { $0.reason.contains("needs field 'license.code'") }, "\(problems)")
    }

    @Test func aCharacterNoFontHasIsRefusedWithTheField() throws {
        let t = try template("  - {type: text, name: product, text: '{{product.name}}', x: 0.2in, y: 0.2in, width: 3.6in, height: 0.5in, size: 12pt, overflow: shrink}")
        // U+E000 is a private-use character: no installed font draws it; pango would print a hex box.
        let data = SampleLabelData.lot.merging(["product": .object(["name": .text("Blue Dream \u{E000} Flower")])])
        let problems = LabelRenderer.preflight(t, data: data, dpi: 203)
        #expect(problems.count == 1)
        #expect(problems.first?.element == "text 'product'")
        #expect(problems.first?.reason.contains("U+E000") == true, "\(problems)")
        #expect(problems.first?.reason.contains("is in no installed font") == true, "\(problems)")
        #expect(throws: TemplateError.self) { try LabelRenderer.render(t, data: data, dpi: 203) }
    }

    /// An emoji is only in the colour emoji font (script/lib/setup.sh installs Noto Color Emoji,
    /// as a kiosk or a desktop image would): at 1 bit it would print as a black blob.
    @Test func aCharacterOnlyAColourFontHasIsRefused() throws {
        let fonts = try runProgram("/usr/bin/fc-list", [":", "family", "color"])
        #expect(fonts.out.contains("Noto Color Emoji"), "the colour font is not installed: \(fonts.out)")
        let t = try template("  - {type: text, name: variety, text: '{{variety.name}}', x: 0.2in, y: 0.2in, width: 3.6in, height: 0.5in, size: 12pt, overflow: ellipsize}")
        let data = SampleLabelData.lot.merging(["variety": .object(["name": .text("Gelato \u{1F33F}")])])
        let problems = LabelRenderer.preflight(t, data: data, dpi: 203)
        #expect(problems.count == 1)
        #expect(problems.first?.element == "text 'variety'")
        #expect(problems.first?.reason.contains("U+1F33F") == true && problems.first?.reason.contains("colour font Noto Color Emoji") == true,
                "\(problems)")
        // Accented names print: they are in DejaVu.
        let accented = SampleLabelData.lot.merging(["variety": .object(["name": .text("Crème Brûlée Señorita")])])
        #expect(LabelRenderer.preflight(t, data: accented, dpi: 203).isEmpty)
    }
}
