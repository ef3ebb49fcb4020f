import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxLabels

/// Each preflight failure names the template file, the element and the reason.
@Suite(.timeLimit(.minutes(5))) struct PreflightTests {
    func template(_ elements: String, media: String = "oe_4x2-label_4x2in", extra: String = "") throws -> LabelTemplate {
        try TemplateLoader.parse("media: \(media)\n\(extra)elements:\n\(elements)", file: "test.yaml")
    }

    @Test func aCode128TooWideForItsBoxAtTheMinimumXDimension() throws {
        let t = try template("  - {type: barcode, name: id, symbology: code128, data: '{{id}}', x: 0.1in, y: 0.1in, width: 2.0in, height: 0.5in}")
        let problems = LabelRenderer.preflight(t, data: SampleLabelData.lot, dpi: 203)
        #expect(problems.map(\.description) == ["test.yaml: code128 'id' needs 3.36 in at 2 dots/module, box is 2.0 in"])
        #expect(throws: TemplateError.self) { try LabelRenderer.render(t, data: SampleLabelData.lot, dpi: 203) }
    }

    @Test func aFixedModuleBelowTheMinimumXDimension() throws {
        let t = try template("  - {type: barcode, name: id, symbology: qr, data: '{{id}}', module: 1dots, x: 0.1in, y: 0.1in, width: 1in, height: 1in}")
        let problems = LabelRenderer.preflight(t, data: SampleLabelData.lot, dpi: 203).map(\.description)
        #expect(problems == ["test.yaml: qr 'id' module 1dots is 1 dots at 203 dpi, below the minimum X-dimension 0.19mm (2 dots)"])
        // A template may lower the minimum; at one dot a module it then fits.
        let lowered = try template("  - {type: barcode, name: id, symbology: qr, data: '{{id}}', module: 1dots, x: 0.1in, y: 0.1in, width: 1in, height: 1in}",
                                   extra: "min_x_dimension: 0.1mm\n")
        #expect(LabelRenderer.preflight(lowered, data: SampleLabelData.lot, dpi: 203).isEmpty)
    }

    @Test func aMissingFieldIsNamed() throws {
        let t = try template("  - {type: text, name: license, text: 'Lic. {{license.code}}{{#lab}} {{lab.thc}}{{/lab}}', x: 0.1in, y: 0.1in, width: 3in, height: 0.3in}")
        let data = LabelValue.object(["license": .object(["name": .text("Farm")])])
        #expect(LabelRenderer.preflight(t, data: data, dpi: 203).map(\.description)
                == ["test.yaml: text 'license' needs field 'license.code', which this label does not have"])
        // Fields inside a section are optional.
        #expect(LabelRenderer.preflight(t, data: .object(["license": .object(["code": .text("G-1")])]), dpi: 203).isEmpty)
    }

    @Test func aFieldThatMayNotBeCutIsTooLong() throws {
        let t = try template("  - {type: text, name: id, text: '{{id}}', size: 12pt, overflow: fail, x: 0.1in, y: 0.1in, width: 1.0in, height: 0.3in}")
        let problems = LabelRenderer.preflight(t, data: SampleLabelData.lot, dpi: 203).map(\.description)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("test.yaml: text 'id' '01M80GN4FPK1GTC9FJS9JNVGKP' is ") == true, "\(problems)")
        #expect(problems.first?.hasSuffix("box is 1.0 x 0.3 in; this field is never cut") == true, "\(problems)")
    }

    @Test func wrappedTextTooTallForItsBox() throws {
        let t = try template("  - {type: text, name: note, text: '{{note}}', size: 10pt, overflow: wrap, x: 0.1in, y: 0.1in, width: 1.0in, height: 0.2in}")
        let data = LabelValue.object(["note": .text("a long note that needs several lines on a small label")])
        let problems = LabelRenderer.preflight(t, data: data, dpi: 203).map(\.description)
        #expect(problems.first?.contains("text 'note' needs ") == true, "\(problems)")
        #expect(problems.first?.contains("box is 0.2 in high") == true, "\(problems)")
    }

    @Test(arguments: [
        ("  - {type: text, name: t, text: '{{note}}', size: 40pt, overflow: shrink, x: 0.1in, y: 0.1in, width: 0.3in, height: 0.05in}",
         "text 't' does not fit 'a long note' even at 5 pt"),
        ("  - {type: text, name: t, text: '{{note}}', size: 40pt, overflow: ellipsize, x: 0.1in, y: 0.1in, width: 2in, height: 0.2in}",
         "text 't' one line of 40pt text is"),
        ("  - {type: box, name: b, x: 700dots, y: 10dots, width: 200dots, height: 20dots}",
         "box 'b' reaches 900 x 30 dots; the label is 812 x 406 dots at 203 dpi"),
        ("  - {type: barcode, name: c, symbology: code128, data: '{{id}}', x: 0.1in, y: 0.1in, width: 3.8in, height: 0.1in}",
         "code128 'c' bars are 20 dots high; a linear code needs at least 15 modules (30 dots)"),
        ("  - {type: barcode, name: c, symbology: qr, data: '{{#nothing}}x{{/nothing}}', x: 0.1in, y: 0.1in, width: 1in, height: 1in}",
         "qr 'c' has no data to encode"),
        ("  - {type: barcode, name: c, symbology: gs1-128, data: '{{note}}', x: 0.1in, y: 0.1in, width: 3.8in, height: 0.5in}",
         "gs1-128 'c' cannot encode 'a long note' as gs1-128"),
        ("  - {type: barcode, name: c, symbology: qr, data: '{{id}}', x: 0.1in, y: 0.1in, width: 1.5in, height: 0.2in}",
         "qr 'c' needs 0.33 in high at 2 dots/module, box is 0.2 in"),
    ])
    func everyPreflightFailureNamesTheElementAndReason(elements: String, expected: String) throws {
        let data = LabelValue.object(["id": .text("01M80GN4FPK1GTC9FJS9JNVGKP"), "note": .text("a long note")])
        let problems = LabelRenderer.preflight(try template(elements), data: data, dpi: 203).map(\.description)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix("test.yaml: " + expected) == true, "\(problems)")
    }

    @Test func shrinkAndEllipsizeMakeLongTextFit() throws {
        let long = LabelValue.object(["note": .text(String(repeating: "Blue Dream Cookies ", count: 6))])
        for overflow in ["shrink", "ellipsize"] {
            let t = try template("  - {type: text, name: note, text: '{{note}}', size: 12pt, overflow: \(overflow), x: 0.1in, y: 0.1in, width: 2.0in, height: 0.4in}")
            #expect(LabelRenderer.preflight(t, data: long, dpi: 203).isEmpty, "\(overflow)")
            let bitmap = try LabelRenderer.render(t, data: long, dpi: 203)
            // Ink stays inside the box.
            let box = (x: 20, y: 20, width: 406, height: 81)
            for y in 0..<bitmap.height {
                for x in 0..<bitmap.width where bitmap.isInked(x: x, y: y) {
                    #expect(x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height)
                }
            }
        }
    }

    @Test func rotatedTextTurnsWithItsBox() throws {
        let t = try template("  - {type: text, name: side, text: 'SIDEWAYS TEXT', size: 10pt, rotate: 90, overflow: fail, x: 0.1in, y: 0.1in, width: 0.3in, height: 1.5in}")
        let bitmap = try LabelRenderer.render(t, data: .object([:]), dpi: 203)
        var minX = Int.max, maxX = 0, minY = Int.max, maxY = 0
        for y in 0..<bitmap.height {
            for x in 0..<bitmap.width where bitmap.isInked(x: x, y: y) {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        #expect(maxY - minY > 3 * (maxX - minX), "ink is \(maxX - minX) wide and \(maxY - minY) high")
    }

    @Test func aPNGImageIsScaledToItsBoxAndInked() throws {
        var logo = MonoBitmap(width: 10, height: 10)
        logo.fill(x: 0, y: 0, width: 5, height: 10)
        let file = try RealDecoder.write(logo, dpi: 203, name: "logo")
        let t = try template("  - {type: image, name: logo, file: '\(file)', x: 10dots, y: 10dots, width: 40dots, height: 20dots}")
        let bitmap = try LabelRenderer.render(t, data: .object([:]), dpi: 203)
        for y in 0..<bitmap.height {
            for x in 0..<bitmap.width {
                let inside = x >= 10 && x < 30 && y >= 10 && y < 30
                #expect(bitmap.isInked(x: x, y: y) == inside, "dot \(x),\(y)")
            }
        }
    }

    @Test func whenHidesAnElementWithoutItsField() throws {
        let t = try template("  - {type: box, name: b, when: lab, fill: true, x: 0.1in, y: 0.1in, width: 0.5in, height: 0.5in}")
        #expect(try LabelRenderer.render(t, data: .object([:]), dpi: 203).bytes.nonEmptyAllSatisfy { $0 == 0 })
        #expect(try LabelRenderer.render(t, data: SampleLabelData.lot, dpi: 203).bytes.contains { $0 != 0 })
    }

    @Test func fieldsAreRenderedOnceAndStillRightWhenDataHoldsTheSeparator() throws {
        let t = try template("""
              - {type: text, name: a, text: 'A={{a}}', x: 0.1in, y: 0.1in, width: 3in, height: 0.3in}
              - {type: box, name: b, x: 0.1in, y: 0.5in, width: 1in, height: 0.3in}
              - {type: barcode, name: c, symbology: qr, data: '{{c}}', x: 0.1in, y: 0.9in, width: 1in, height: 1in}
            """)
        for data in [LabelValue.object(["a": .text("one"), "c": .text("two")]),
                     .object(["a": .text("o\u{1E}ne"), "c": .text("t\u{1E}wo")])] {
            let fields = t.renderFields(data.mustacheContext)
            #expect(fields == ["A=\(data.value(at: "a").map { if case .text(let v) = $0 { return v } else { return "" } } ?? "")",
                               data.value(at: "c").map { if case .text(let v) = $0 { return v } else { return "" } } ?? ""])
        }
    }

    @Test func mustacheDoesNotEscapeForHTML() throws {
        let t = try template("  - {type: barcode, name: b, symbology: qr, data: '{{x}}', x: 0.1in, y: 0.1in, width: 1.5in, height: 1.5in}")
        let data = LabelValue.object(["x": .text("A & B <c> \"d\"")])
        let file = try RealDecoder.write(try LabelRenderer.render(t, data: data, dpi: 203), dpi: 203, name: "amp")
        #expect(try RealDecoder.zxing(file).first?.text == "A & B <c> \"d\"")
    }

    @Test(arguments: [
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, text: 'x', x: 0, y: 0, width: 10, height: [", "is not a valid template"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: wibble, x: 0, y: 0, width: 10, height: 10}", "type 'wibble' is unknown"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: barcode, symbology: ean99, data: x, x: 0, y: 0, width: 10, height: 10}", "symbology 'ean99' is unknown"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, name: t, text: '{{#lab}}x', x: 0, y: 0, width: 10, height: 10}", "text 't' has a Mustache syntax error"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, name: t, text: 'x', overflow: squeeze, x: 0, y: 0, width: 10, height: 10}", "overflow 'squeeze' is unknown"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, name: t, text: 'x', rotate: 45, x: 0, y: 0, width: 10, height: 10}", "rotate 45"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, name: t, text: 'x', x: 3in, y: 0, width: 2in, height: 10}", "reaches 5.0 in across; the media oe_4x2-label_4x2in is 4.0 in wide"),
        ("media: some_paper\nelements:\n  - {type: text, text: 'x', x: 0, y: 0, width: 10, height: 10}", "media 'some_paper' is not an IPP media name"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, text: 'x', x: 2 furlongs, y: 0, width: 10, height: 10}", "'2 furlongs' is not a length"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: text, name: a, text: 'x', x: 0, y: 0, width: 10, height: 10}\n  - {type: text, name: a, text: 'y', x: 0, y: 0, width: 10, height: 10}", "is named twice"),
        ("media: oe_4x2-label_4x2in\nelements:\n  - {type: image, name: logo, file: nope.png, x: 0, y: 0, width: 10, height: 10}", "does not exist"),
    ])
    func brokenTemplatesAreReportedAtLoadTime(text: String, expected: String) {
        do {
            _ = try TemplateLoader.parse(text, file: "broken.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix("broken.yaml: "), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
