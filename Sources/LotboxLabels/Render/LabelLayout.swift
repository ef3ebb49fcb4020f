import Foundation
import LotboxBarcodes

/// Fills a template with one label's data and places every element on whole dots at a dpi, and
/// refuses (with the template file, the element and the reason) anything that would not print
/// right: a missing field, a barcode that cannot keep whole-dot modules of the minimum
/// X-dimension and its quiet zones, text that does not fit and may not be cut.
public enum LabelLayout {
    /// The placed label, or every problem found.
    /// - Parameter engine: reused across the labels of a batch; a new one when nil.
    public static func layOut(_ template: LabelTemplate, data: LabelValue, dpi: Int,
                              engine: TextEngine? = nil) -> Result<LaidOutLabel, TemplateErrors> {
        let engine = engine.flatMap { $0.dpi == dpi ? $0 : nil } ?? TextEngine(dpi: dpi)
        let rows = RowShift(template, data: data, dpi: dpi)
        let width = max(1, template.media.width.dots(at: dpi))
        let baseHeight = max(1, template.media.height.dots(at: dpi))
        // Roll stock is as long as its rows make it; cut stock stays its size.
        let height = template.media.isRoll ? max(1, baseHeight + rows.total) : baseHeight
        var items: [LaidOutLabel.Item] = []
        var problems: [TemplateError] = []

        func place(_ element: TemplateElement, content: String, data: LabelValue, x: Int, y: Int) {
            func problem(_ reason: String) { problems.append(TemplateError(file: template.file, element: element.label, reason: reason)) }
            if let when = element.when, !data.isPresent(when) { return }
            let boxWidth = element.frame.width.dots(at: dpi), boxHeight = element.frame.height.dots(at: dpi)
            if x + boxWidth > width || y + boxHeight > height {
                problem("reaches \(x + boxWidth) x \(y + boxHeight) dots; the label is \(width) x \(height) dots at \(dpi) dpi")
                return
            }
            switch element.kind {
            case .barcode(let spec):
                let missing = spec.requiredFields.filter { !data.isPresent($0) }
                guard missing.isEmpty else { return problem(missingFields(missing)) }
                if let item = placeBarcode(content, spec: spec, template: template, dpi: dpi,
                                           x: x, y: y, width: boxWidth, height: boxHeight, problem: problem) {
                    items.append(item)
                }
            case .text(let spec):
                let missing = spec.requiredFields.filter { !data.isPresent($0) }
                guard missing.isEmpty else { return problem(missingFields(missing)) }
                if let item = placeText(content, spec: spec, engine: engine, x: x, y: y,
                                        width: boxWidth, height: boxHeight, problem: problem) {
                    items.append(item)
                }
            case .box(let thickness, let filled):
                if filled {
                    items.append(.fill(x: x, y: y, width: boxWidth, height: boxHeight))
                } else {
                    let t = max(1, thickness.dots(at: dpi))
                    items += [.fill(x: x, y: y, width: boxWidth, height: t), .fill(x: x, y: y + boxHeight - t, width: boxWidth, height: t),
                              .fill(x: x, y: y, width: t, height: boxHeight), .fill(x: x + boxWidth - t, y: y, width: t, height: boxHeight)]
                }
            case .line(let thickness):
                let t = max(1, thickness.dots(at: dpi))
                items.append(boxWidth >= boxHeight ? .fill(x: x, y: y, width: boxWidth, height: t) : .fill(x: x, y: y, width: t, height: boxHeight))
            case .image(let path):
                guard let image = ImageLoader.load(path, width: boxWidth, height: boxHeight) else {
                    return problem("image \(path) cannot be read as PNG")
                }
                items.append(.image(image, x: x, y: y))
            case .repeating(let spec):
                let pitch = boxHeight
                for (index, row) in rows.items(of: spec).enumerated() {
                    // A row sees its own fields over the label's (a line's `amount` beside the sale's `id`).
                    let rowData = data.merging(row)
                    let context = rowData.mustacheContext
                    for child in spec.elements {
                        place(child, content: LabelTemplate.renderField(child, context), data: rowData,
                              x: x + child.frame.x.dots(at: dpi), y: y + index * pitch + child.frame.y.dots(at: dpi))
                    }
                }
            }
        }

        var rendered = template.renderFields(data.mustacheContext).makeIterator()
        for element in template.elements {
            // Every text and barcode has its rendered text, drawn or not.
            var content = ""
            switch element.kind {
            case .text, .barcode: content = rendered.next() ?? ""
            default: break
            }
            let y = element.frame.y.dots(at: dpi)
            place(element, content: content, data: data, x: element.frame.x.dots(at: dpi), y: y + rows.shift(below: y))
        }
        if !problems.isEmpty { return .failure(TemplateErrors(problems: problems)) }
        return .success(LaidOutLabel(width: width, height: height, dpi: dpi, items: items))
    }

    /// How far a label's repeats push what lies below them: each repeat's template height is
    /// one row, so n rows move everything under it by (n - 1) row pitches.
    struct RowShift {
        /// (top of the row area, row pitch, rows) per repeat, in dots.
        let repeats: [(top: Int, pitch: Int, rows: [[String: LabelValue]], items: String)]

        init(_ template: LabelTemplate, data: LabelValue, dpi: Int) {
            repeats = template.elements.compactMap { element in
                guard case .repeating(let spec) = element.kind else { return nil }
                var rows: [[String: LabelValue]] = []
                if case .list(let items)? = data.value(at: spec.items) {
                    rows = items.map { item in
                        if case .object(let fields) = item { return fields }
                        return ["item": item]
                    }
                }
                return (element.frame.y.dots(at: dpi), element.frame.height.dots(at: dpi), rows, spec.items)
            }
        }

        /// The shift of an element whose top is at `y`: the growth of every repeat above it.
        func shift(below y: Int) -> Int {
            repeats.filter { y >= $0.top + $0.pitch }.reduce(0) { $0 + ($1.rows.count - 1) * $1.pitch }
        }

        var total: Int { repeats.reduce(0) { $0 + ($1.rows.count - 1) * $1.pitch } }

        func items(of spec: RepeatSpec) -> [[String: LabelValue]] {
            repeats.first { $0.items == spec.items }?.rows ?? []
        }
    }

    /// Dots per module the template's minimum X-dimension asks for at `dpi`.
    public static func minimumModuleDots(_ template: LabelTemplate, dpi: Int) -> Int {
        let dots = template.minXDimension.unit == .dots ? template.minXDimension.value : template.minXDimension.inches * Double(dpi)
        return max(1, Int((dots - 1e-9).rounded(.up)))
    }

    private static func missingFields(_ fields: [String]) -> String {
        "needs field \(fields.map { "'\($0)'" }.joined(separator: ", ")), which this label does not have"
    }

    private static func inches(_ dots: Int, _ dpi: Int) -> String {
        String((Double(dots) / Double(dpi) * 100).rounded() / 100)
    }

    private static func placeBarcode(_ content: String, spec: BarcodeSpec, template: LabelTemplate, dpi: Int,
                                     x: Int, y: Int, width: Int, height: Int, problem: (String) -> Void) -> LaidOutLabel.Item? {
        guard !content.isEmpty else { problem("has no data to encode"); return nil }
        var symbol: BarcodeSymbol
        do {
            symbol = try BarcodeEncoder.encode(content, as: spec.symbology)
        } catch {
            problem(error.description)
            return nil
        }
        if let quiet = spec.quietZone { symbol.quietZone = quiet }
        let minimum = minimumModuleDots(template, dpi: dpi)
        let fitAcross = width / symbol.totalColumns
        let fit = symbol.symbology.isLinear ? fitAcross : min(fitAcross, height / symbol.totalRows)
        var moduleDots = fit
        if let module = spec.module {
            moduleDots = max(1, module.dots(at: dpi))
            if moduleDots < minimum {
                problem("module \(module) is \(moduleDots) dots at \(dpi) dpi, below the minimum X-dimension \(template.minXDimension) (\(minimum) dots)")
                return nil
            }
        }
        let dots = max(moduleDots, minimum)
        let needed = BarcodePlacement(moduleDots: dots, barHeightDots: height).size(of: symbol)
        if moduleDots < minimum || needed.width > width || needed.height > height {
            if needed.width > width || symbol.symbology.isLinear {
                problem("needs \(inches(needed.width, dpi)) in at \(dots) dots/module, box is \(inches(width, dpi)) in")
            } else {
                problem("needs \(inches(needed.height, dpi)) in high at \(dots) dots/module, box is \(inches(height, dpi)) in")
            }
            return nil
        }
        if symbol.symbology.isLinear && height < 15 * moduleDots {
            problem("bars are \(height) dots high; a linear code needs at least 15 modules (\(15 * moduleDots) dots)")
            return nil
        }
        let placement = BarcodePlacement(moduleDots: moduleDots, barHeightDots: height)
        let size = placement.size(of: symbol)
        return .barcode(symbol, x: x + (width - size.width) / 2, y: y + (height - size.height) / 2, placement: placement)
    }

    /// The longest start of `text` that, ended with "…", fits the box at `pointSize` (found by
    /// halving: a 200-character name takes about eight measures); nil when not even "…" fits.
    private static func cutToFit(_ text: String, spec: TextSpec, pointSize: Double, engine: TextEngine, boxWidth: Int,
                                 boxHeight: Int) -> (text: String, layout: TextLayout)? {
        let characters = Array(text)
        func attempt(_ count: Int) -> (text: String, layout: TextLayout)? {
            let cut = String(characters.prefix(count)).trimmingCharacters(in: .whitespaces) + "…"
            let layout = TextPainter.measure(cut, spec: spec, pointSize: pointSize, boxWidth: boxWidth, engine: engine)
            return layout.height <= boxHeight && layout.width <= boxWidth ? (cut, layout) : nil
        }
        guard var best = attempt(0) else { return nil }
        var low = 1, high = characters.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if let fits = attempt(middle) {
                best = fits
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }

    private static func placeText(_ text: String, spec: TextSpec, engine: TextEngine, x: Int, y: Int, width: Int, height: Int,
                                  problem: (String) -> Void) -> LaidOutLabel.Item? {
        var content = text
        let dpi = engine.dpi
        let sideways = spec.rotation == 90 || spec.rotation == 270
        let boxWidth = sideways ? height : width, boxHeight = sideways ? width : height
        var pointSize = spec.size.unit == .pt ? spec.size.value : spec.size.inches * 72
        var measure = TextPainter.measure(content, spec: spec, pointSize: pointSize, boxWidth: boxWidth, engine: engine)
        if let unprintable = measure.unprintable {
            problem("cannot print \(unprintable) in '\(content)'")
            return nil
        }
        switch spec.overflow {
        case .wrap:
            if measure.height > boxHeight {
                problem("needs \(measure.lines) lines (\(inches(measure.height, dpi)) in) for '\(content)', box is \(inches(boxHeight, dpi)) in high")
                return nil
            }
        case .shrink, .shrinkEllipsize:
            while (measure.height > boxHeight || measure.width > boxWidth) && pointSize > 5 {
                pointSize -= 0.5
                measure = TextPainter.measure(content, spec: spec, pointSize: pointSize, boxWidth: boxWidth, engine: engine)
            }
            if spec.overflow == .shrinkEllipsize, measure.height > boxHeight || measure.width > boxWidth,
               let cut = cutToFit(content, spec: spec, pointSize: pointSize, engine: engine, boxWidth: boxWidth, boxHeight: boxHeight) {
                content = cut.text
                measure = cut.layout
            }
            if measure.height > boxHeight || measure.width > boxWidth {
                problem("does not fit '\(content)' even at 5 pt (\(inches(measure.height, dpi)) in high), box is \(inches(boxHeight, dpi)) in")
                return nil
            }
        case .ellipsize:
            if measure.height > boxHeight {
                problem("one line of \(spec.size) text is \(inches(measure.height, dpi)) in high, box is \(inches(boxHeight, dpi)) in")
                return nil
            }
        case .fail:
            if measure.width > boxWidth || measure.height > boxHeight || measure.lines > 1 {
                problem("'\(content)' is \(inches(measure.width, dpi)) x \(inches(measure.height, dpi)) in at \(spec.size), box is \(inches(boxWidth, dpi)) x \(inches(boxHeight, dpi)) in; this field is never cut")
                return nil
            }
        }
        return .text(content, spec: spec, pointSize: pointSize, x: x, y: y, boxWidth: boxWidth, boxHeight: boxHeight, layout: measure)
    }
}

/// All that is wrong with one label; its description is the first problem (one line for a CLI)
/// and how many more there are.
public struct TemplateErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [TemplateError]
    public var description: String {
        guard let first = problems.first else { return "no problems" }
        return problems.count == 1 ? first.description : "\(first) (and \(problems.count - 1) more)"
    }
}
