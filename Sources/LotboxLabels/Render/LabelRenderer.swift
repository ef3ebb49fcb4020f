import CPangoCairo
import Foundation
import LotboxBarcodes

/// Renders a template with one label's data onto the dots of a label at a printer's dpi, and
/// refuses (with the template file, the element and the reason) anything that would not print
/// right: a missing field, a barcode that cannot keep its modules and quiet zones, text that
/// does not fit and may not be cut.
public enum LabelRenderer {
    /// Everything wrong with this label at this dpi; empty when it can be printed.
    public static func preflight(_ template: LabelTemplate, data: LabelValue, dpi: Int) -> [TemplateError] {
        var label = MonoBitmap(width: max(1, template.media.width.dots(at: dpi)), height: max(1, template.media.height.dots(at: dpi)))
        return paint(template, data: data, dpi: dpi, onto: &label, draw: false)
    }

    /// The label as a 1-bit bitmap at `dpi`; throws the first preflight failure.
    public static func render(_ template: LabelTemplate, data: LabelValue, dpi: Int) throws(TemplateError) -> MonoBitmap {
        var label = MonoBitmap(width: max(1, template.media.width.dots(at: dpi)), height: max(1, template.media.height.dots(at: dpi)))
        let problems = paint(template, data: data, dpi: dpi, onto: &label, draw: true)
        if let first = problems.first { throw first }
        return label
    }

    /// Dots per module the template's minimum X-dimension asks for at `dpi`.
    public static func minimumModuleDots(_ template: LabelTemplate, dpi: Int) -> Int {
        let dots = template.minXDimension.unit == .dots
            ? template.minXDimension.value
            : template.minXDimension.inches * Double(dpi)
        return max(1, Int((dots - 1e-9).rounded(.up)))
    }

    private static func paint(_ template: LabelTemplate, data: LabelValue, dpi: Int, onto label: inout MonoBitmap,
                              draw: Bool) -> [TemplateError] {
        var problems: [TemplateError] = []
        let context = data.mustacheContext
        for element in template.elements {
            func problem(_ reason: String) { problems.append(TemplateError(file: template.file, element: element.label, reason: reason)) }
            if let when = element.when, !data.isPresent(when) { continue }
            let x = element.frame.x.dots(at: dpi), y = element.frame.y.dots(at: dpi)
            let width = element.frame.width.dots(at: dpi), height = element.frame.height.dots(at: dpi)
            if x + width > label.width || y + height > label.height {
                problem("box ends at \(x + width) x \(y + height) dots; the label is \(label.width) x \(label.height) dots at \(dpi) dpi")
                continue
            }
            switch element.kind {
            case .barcode(let spec):
                let missing = spec.requiredFields.filter { !data.isPresent($0) }
                guard missing.isEmpty else { problem("needs field \(missing.map { "'\($0)'" }.joined(separator: ", ")), which this label does not have"); continue }
                let content = spec.template.render(context)
                placeBarcode(content, spec: spec, template: template, dpi: dpi, x: x, y: y, width: width, height: height,
                             onto: &label, draw: draw, problem: problem)
            case .text(let spec):
                let missing = spec.requiredFields.filter { !data.isPresent($0) }
                guard missing.isEmpty else { problem("needs field \(missing.map { "'\($0)'" }.joined(separator: ", ")), which this label does not have"); continue }
                let content = spec.template.render(context)
                placeText(content, spec: spec, dpi: dpi, x: x, y: y, width: width, height: height,
                          onto: &label, draw: draw, problem: problem)
            case .box(let thickness, let filled):
                guard draw else { continue }
                if filled {
                    label.fill(x: x, y: y, width: width, height: height)
                } else {
                    let t = max(1, thickness.dots(at: dpi))
                    label.fill(x: x, y: y, width: width, height: t)
                    label.fill(x: x, y: y + height - t, width: width, height: t)
                    label.fill(x: x, y: y, width: t, height: height)
                    label.fill(x: x + width - t, y: y, width: t, height: height)
                }
            case .line(let thickness):
                guard draw else { continue }
                let t = max(1, thickness.dots(at: dpi))
                if width >= height {
                    label.fill(x: x, y: y, width: width, height: t)
                } else {
                    label.fill(x: x, y: y, width: t, height: height)
                }
            case .image(let path):
                guard let image = ImageLoader.load(path, width: width, height: height) else {
                    problem("image \(path) cannot be read as PNG")
                    continue
                }
                if draw { label.blit(image, x: x, y: y) }
            }
        }
        return problems
    }

    private static func placeBarcode(_ content: String, spec: BarcodeSpec, template: LabelTemplate, dpi: Int,
                                     x: Int, y: Int, width: Int, height: Int, onto label: inout MonoBitmap, draw: Bool,
                                     problem: (String) -> Void) {
        guard !content.isEmpty else { problem("has no data to encode"); return }
        var symbol: BarcodeSymbol
        do {
            symbol = try BarcodeEncoder.encode(content, as: spec.symbology)
        } catch {
            problem(error.description)
            return
        }
        if let quiet = spec.quietZone { symbol.quietZone = quiet }
        let minimum = minimumModuleDots(template, dpi: dpi)
        let fitAcross = width / symbol.totalColumns
        let fit = symbol.symbology.isLinear ? fitAcross : min(fitAcross, height / symbol.totalRows)
        let moduleDots: Int
        if let module = spec.module {
            moduleDots = max(1, module.dots(at: dpi))
            if moduleDots < minimum {
                problem("module \(module) is \(moduleDots) dots at \(dpi) dpi, below the minimum X-dimension \(template.minXDimension) (\(minimum) dots)")
                return
            }
        } else {
            moduleDots = fit
        }
        let needed = BarcodePlacement(moduleDots: max(moduleDots, minimum), barHeightDots: height).size(of: symbol)
        if moduleDots < minimum || needed.width > width || needed.height > height {
            let dots = max(moduleDots, minimum)
            let inches = { (value: Int) in String((Double(value) / Double(dpi) * 100).rounded() / 100) }
            if needed.width > width || symbol.symbology.isLinear {
                problem("needs \(inches(needed.width)) in at \(dots) dots/module, box is \(inches(width)) in")
            } else {
                problem("needs \(inches(needed.height)) in high at \(dots) dots/module, box is \(inches(height)) in")
            }
            return
        }
        if symbol.symbology.isLinear && height < 15 * moduleDots {
            problem("bars are \(height) dots high; a linear code needs at least 15 modules (\(15 * moduleDots) dots)")
            return
        }
        guard draw else { return }
        let placement = BarcodePlacement(moduleDots: moduleDots, barHeightDots: height)
        let size = placement.size(of: symbol)
        label.draw(symbol, x: x + (width - size.width) / 2, y: y + (height - size.height) / 2, placement: placement)
    }

    private static func placeText(_ content: String, spec: TextSpec, dpi: Int, x: Int, y: Int, width: Int, height: Int,
                                  onto label: inout MonoBitmap, draw: Bool, problem: (String) -> Void) {
        let sideways = spec.rotation == 90 || spec.rotation == 270
        let boxWidth = sideways ? height : width, boxHeight = sideways ? width : height
        let inches = { (value: Int) in String((Double(value) / Double(dpi) * 100).rounded() / 100) }
        var pointSize = spec.size.unit == .pt ? spec.size.value : spec.size.inches * 72
        var result = TextPainter.layout(content, spec: spec, pointSize: pointSize, boxWidth: boxWidth, boxHeight: boxHeight, dpi: dpi, draw: false)
        switch spec.overflow {
        case .wrap:
            if result.height > boxHeight {
                problem("needs \(result.lines) lines (\(inches(result.height)) in) for '\(content)', box is \(inches(boxHeight)) in high")
                return
            }
        case .shrink:
            while (result.height > boxHeight || result.width > boxWidth) && pointSize > 5 {
                pointSize -= 0.5
                result = TextPainter.layout(content, spec: spec, pointSize: pointSize, boxWidth: boxWidth, boxHeight: boxHeight, dpi: dpi, draw: false)
            }
            if result.height > boxHeight || result.width > boxWidth {
                problem("does not fit '\(content)' even at 5 pt (\(inches(result.height)) in high), box is \(inches(boxHeight)) in")
                return
            }
        case .ellipsize:
            if result.height > boxHeight {
                problem("one line of \(spec.size) text is \(inches(result.height)) in high, box is \(inches(boxHeight)) in")
                return
            }
        case .fail:
            if result.width > boxWidth || result.height > boxHeight || result.lines > 1 {
                problem("'\(content)' is \(inches(result.width)) x \(inches(result.height)) in at \(spec.size), box is \(inches(boxWidth)) x \(inches(boxHeight)) in; this field is never cut")
                return
            }
        }
        guard draw else { return }
        let painted = TextPainter.layout(content, spec: spec, pointSize: pointSize, boxWidth: boxWidth, boxHeight: boxHeight, dpi: dpi, draw: true)
        guard let bitmap = painted.bitmap else { problem("cairo could not draw the text"); return }
        label.blit(bitmap.rotated(clockwise: spec.rotation), x: x, y: y)
    }
}
