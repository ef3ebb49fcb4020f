import Foundation

/// The labels `lotbox printer test` prints to set a printer up: where the media's edges and
/// centre fall, a millimetre ruler, a darkness ladder, and Code 128 and QR codes at each
/// X-dimension the head can make, each saying whether the preflight of the printer's template
/// would accept it. Built as ordinary templates in whole dots and laid out by ``LabelLayout``,
/// so what the sheet shows is exactly what a real label would get.
public enum CalibrationSheet {
    public struct Page: Sendable {
        public let label: LaidOutLabel
        /// What the page shows, in a line: printed beside the test so nobody needs to read the label.
        public let summary: String
        /// The codes on the page and what each holds (empty on the first page).
        public let codes: [Code]
    }

    public struct Code: Sendable, Equatable {
        public let symbology: String
        public let data: String
        public let moduleDots: Int
        /// Whether the preflight of the template named in `judgedBy` takes this X-dimension.
        public let accepted: Bool
    }

    /// The sheet for `media` at `dpi`, its X-dimensions judged against `template`'s minimum.
    /// - Parameter title: who is being tested, printed on the first page (e.g. the printer's name).
    public static func pages(title: String, media: Media, dpi: Int, judgedBy template: LabelTemplate,
                             engine: TextEngine? = nil) throws -> [Page] {
        let width = max(1, media.width.dots(at: dpi)), height = max(1, media.height.dots(at: dpi))
        let engine = engine ?? TextEngine(dpi: dpi)
        var pages = [try layOut(edgesAndDarkness(title: title, media: media, dpi: dpi, width: width, height: height),
                                dpi: dpi, engine: engine,
                                summary: "edges, centre marks, mm rulers and a darkness ladder on \(media.name) (\(width) x \(height) dots at \(dpi) dpi)",
                                codes: [])]
        let minimum = LabelLayout.minimumModuleDots(template, dpi: dpi)
        for dots in moduleSizes(dpi: dpi) {
            pages.append(try codesPage(dots: dots, minimum: minimum, template: template, dpi: dpi, width: width, height: height, engine: engine))
        }
        return pages
    }

    /// The X-dimensions worth trying: whole dots from 0.1 mm to about 0.65 mm (GS1's range for
    /// labels), at most six of them, spread evenly.
    static func moduleSizes(dpi: Int) -> [Int] {
        let sizes = (1...64).filter { dots in
            let mm = Double(dots) * 25.4 / Double(dpi)
            return mm >= 0.1 - 1e-9 && mm <= 0.65
        }
        guard sizes.count > 6 else { return sizes.isEmpty ? [1] : sizes }
        return (0..<6).map { sizes[$0 * (sizes.count - 1) / 5] }
    }

    static func millimetres(_ dots: Int, dpi: Int) -> String {
        String(format: "%.3f mm", Double(dots) * 25.4 / Double(dpi))
    }

    /// A string as YAML reads it: JSON's quoting is YAML's double-quoted form.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
    }

    /// Text that shrinks to fit, or (`ellipsize`) stays one line cut with "…": the sheet must print
    /// on the smallest stock, and the command prints every page's line in full anyway.
    static func text(_ name: String, _ content: String, x: Int, y: Int, width: Int, height: Int, size: Double,
                     overflow: String = "shrink") -> String {
        "  - {type: text, name: \(name), text: \(quoted(content)), x: \(x), y: \(y), width: \(max(1, width)), height: \(max(1, height)), size: \(size)pt, overflow: \(overflow)}"
    }

    static func fill(_ name: String, x: Int, y: Int, width: Int, height: Int) -> String {
        "  - {type: box, name: \(name), x: \(x), y: \(y), width: \(max(1, width)), height: \(max(1, height)), fill: true}"
    }

    /// A template's head in whole dots, its minimum X-dimension one dot: the sheet shows every size,
    /// and says itself which the printer's own template would take.
    static func header(_ name: String, width: Int, height: Int) -> String {
        """
        name: \(name)
        media: {width: \(width), height: \(height)}
        min_x_dimension: 1
        elements:
        """
    }

    /// Page one: a one-dot frame on the media's edges (a side that does not print shows where the
    /// head or the offset is off), marks at the middle of each edge and a cross at the centre,
    /// millimetre rulers along the top and the left edge, and four patches from solid to one dot in
    /// four, which fill in when the printer burns too dark and break up when too light.
    static func edgesAndDarkness(title: String, media: Media, dpi: Int, width: Int, height: Int) -> String {
        let mm = Double(dpi) / 25.4
        func dots(_ millimetres: Double) -> Int { Int((millimetres * mm).rounded()) }
        var lines = [header("printer-test", width: width, height: height)]
        lines += [fill("top", x: 0, y: 0, width: width, height: 1), fill("bottom", x: 0, y: height - 1, width: width, height: 1),
                  fill("left", x: 0, y: 0, width: 1, height: height), fill("right", x: width - 1, y: 0, width: 1, height: height)]
        let mark = max(2, dots(2)), cross = max(4, dots(3))
        lines += [fill("mid-top", x: width / 2, y: 0, width: 1, height: mark), fill("mid-bottom", x: width / 2, y: height - mark, width: 1, height: mark),
                  fill("mid-left", x: 0, y: height / 2, width: mark, height: 1), fill("mid-right", x: width - mark, y: height / 2, width: mark, height: 1),
                  fill("centre-h", x: width / 2 - cross, y: height / 2, width: 2 * cross + 1, height: 1),
                  fill("centre-v", x: width / 2, y: height / 2 - cross, width: 1, height: 2 * cross + 1)]
        // Rulers: a tick each millimetre, longer each 5 and 10, numbered each 10 where there is room.
        let label = max(6, dots(2.2)), number = max(8, dots(5))
        for index in 1... {
            let at = dots(Double(index))
            guard at < width - 1 else { break }
            let long = index % 10 == 0 ? dots(3) : index % 5 == 0 ? dots(2) : dots(1)
            lines.append(fill("ruler-x-\(index)", x: at, y: 1, width: 1, height: max(2, long)))
            if index % 10 == 0, at + 2 + number < width - 1, dots(3) + label < height / 2 {
                lines.append(text("ruler-x-\(index)-mm", "\(index)", x: at + 2, y: dots(2), width: number, height: label, size: 5))
            }
        }
        for index in 1... {
            let at = dots(Double(index))
            guard at < height - 1 else { break }
            let long = index % 10 == 0 ? dots(3) : index % 5 == 0 ? dots(2) : dots(1)
            lines.append(fill("ruler-y-\(index)", x: 1, y: at, width: max(2, long), height: 1))
            if index % 10 == 0, at + 2 + label < height - 1, dots(3) + number < width / 2 {
                lines.append(text("ruler-y-\(index)-mm", "\(index)", x: dots(2), y: at + 2, width: number, height: label, size: 5))
            }
        }
        // The ladder, right of centre in the lower half: solid, then vertical one-dot lines every 2, 3, 4 dots.
        let patch = max(8, min(width / 10, height / 5))
        let ladderY = height / 2 + cross + max(2, dots(1))
        if ladderY + patch < height - 2 {
            for (step, pitch) in [1, 2, 3, 4].enumerated() {
                let x0 = width / 2 + dots(2) + step * (patch + max(2, dots(1)))
                guard x0 + patch < width - 2 else { break }
                if pitch == 1 {
                    lines.append(fill("ladder-solid", x: x0, y: ladderY, width: patch, height: patch))
                } else {
                    for x in stride(from: x0, to: x0 + patch, by: pitch) {
                        lines.append(fill("ladder-\(pitch)-\(x)", x: x, y: ladderY, width: 1, height: patch))
                    }
                }
            }
        }
        // Who and what, below the cross and left of the ladder.
        let line = max(8, dots(3))
        let textX = dots(2) + number + 2, textY = height / 2 + cross + 2, textWidth = width / 2 + dots(2) - max(2, dots(1)) - textX
        if textWidth > line, textY + 2 * line < height - 2 {
            lines.append(text("title", "printer test: \(title)", x: textX, y: textY, width: textWidth, height: line, size: 6, overflow: "ellipsize"))
            lines.append(text("media", "\(dpi) dpi, \(width) x \(height) dots, \(media.name)", x: textX, y: textY + line, width: textWidth,
                              height: line, size: 5, overflow: "ellipsize"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A page of one X-dimension: a QR code and a Code 128 at `dots` per module, and a line saying
    /// whether the template's preflight takes it. A code that does not fit the media at that size is
    /// left off and the line says so.
    static func codesPage(dots: Int, minimum: Int, template: LabelTemplate, dpi: Int, width: Int, height: Int,
                          engine: TextEngine) throws -> Page {
        let margin = max(2, dpi / 50)
        // Two lines of 6 pt for the verdict; the rest of the label for the codes.
        let line = max(16, dpi * 2 / 9)
        let box = max(1, min(height - line - 3 * margin, width / 2 - 2 * margin))
        let qrData = "LOTBOX-TEST-\(dots)", code128Data = String(format: "10%02d", dots)
        let accepted = dots >= minimum
        let verdict = accepted
            ? "\(template.name) takes it"
            : "refused: \(template.name) needs \(millimetres(minimum, dpi: dpi))"
        let heading = "X \(millimetres(dots, dpi: dpi)) (\(dots) dot\(dots == 1 ? "" : "s")): \(verdict)"
        let qr = "  - {type: barcode, name: qr, symbology: qr, data: \(quoted(qrData)), module: \(dots), x: \(margin), y: \(margin), width: \(box), height: \(box)}"
        let code128 = "  - {type: barcode, name: code128, symbology: code128, data: \(quoted(code128Data)), module: \(dots), x: \(box + 2 * margin), y: \(margin), width: \(max(1, width - box - 3 * margin)), height: \(box)}"
        let tries: [(elements: [String], codes: [Code], left: String)] = [
            ([qr, code128], [Code(symbology: "qr", data: qrData, moduleDots: dots, accepted: accepted),
                             Code(symbology: "code128", data: code128Data, moduleDots: dots, accepted: accepted)], ""),
            ([qr], [Code(symbology: "qr", data: qrData, moduleDots: dots, accepted: accepted)], "; Code 128 does not fit"),
            ([code128], [Code(symbology: "code128", data: code128Data, moduleDots: dots, accepted: accepted)], "; QR does not fit"),
            ([], [], "; neither code fits"),
        ]
        var lastError: (any Error)?
        for overflow in ["shrink", "ellipsize"] {
            for attempt in tries {
                let verdict = text("verdict", heading + attempt.left, x: margin, y: height - line - margin, width: width - 2 * margin,
                                   height: line, size: 6, overflow: overflow)
                let source = ([header("printer-test-\(dots)", width: width, height: height)] + attempt.elements + [verdict])
                    .joined(separator: "\n") + "\n"
                do {
                    return try layOut(source, dpi: dpi, engine: engine, summary: heading + attempt.left, codes: attempt.codes)
                } catch {
                    lastError = error
                }
            }
        }
        throw lastError ?? OutputError(message: "the printer test page at \(dots) dots cannot be laid out")
    }

    static func layOut(_ source: String, dpi: Int, engine: TextEngine, summary: String, codes: [Code]) throws -> Page {
        let template = try TemplateLoader.parse(source, file: "printer-test")
        let label = try LabelLayout.layOut(template, data: .object([:]), dpi: dpi, engine: engine).get()
        return Page(label: label, summary: summary, codes: codes)
    }
}
