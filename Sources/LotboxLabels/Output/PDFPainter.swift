import CPangoCairo
import Foundation

/// Labels as a vector PDF (office printers, sheets, archives), one page a label at the media's
/// size. Barcode modules keep their dot grid, and each dark run is drawn a quarter dot narrower
/// on each edge: a rasterizer at the printer's dpi then fills exactly the dots it should (without
/// it, bars grow by a dot and thin Code 128 spaces close).
public enum PDFPainter {
    static let edgeInset = 0.25

    public static func render(_ labels: [LaidOutLabel]) throws(OutputError) -> [UInt8] {
        guard let first = labels.first else { throw OutputError(message: "a PDF needs at least one label") }
        let writer = try PDFStreamWriter(first: first)
        var document: [UInt8] = []
        for label in labels {
            writer.write(label)
            document += writer.takeWritten()
        }
        return document + (try writer.finish())
    }

    /// One label on the current page, in points.
    static func paint(_ label: LaidOutLabel, on cr: OpaquePointer) {
        cairo_save(cr)
        cairo_scale(cr, 72 / Double(label.dpi), 72 / Double(label.dpi))
        cairo_set_source_rgb(cr, 0, 0, 0)
        for item in label.items { draw(item, on: cr, dpi: label.dpi) }
        cairo_restore(cr)
    }

    private static func draw(_ item: LaidOutLabel.Item, on cr: OpaquePointer, dpi: Int) {
        switch item {
        case .barcode(let symbol, let x, let y, let placement):
            let dots = placement.moduleDots
            let left = x + symbol.quietZone * dots
            let top = symbol.symbology.isLinear ? y : y + symbol.quietZone * dots
            let rows = symbol.symbology.isLinear ? 1 : symbol.rows
            for row in 0..<rows {
                var column = 0
                while column < symbol.columns {
                    guard symbol.isDark(row: row, column: column) else { column += 1; continue }
                    var end = column
                    while end < symbol.columns && symbol.isDark(row: row, column: end) { end += 1 }
                    let height = symbol.symbology.isLinear ? placement.barHeightDots : dots
                    cairo_rectangle(cr, Double(left + column * dots) + edgeInset, Double(top + row * dots),
                                    Double((end - column) * dots) - 2 * edgeInset, Double(height))
                    column = end
                }
            }
            cairo_fill(cr)
        case .text(let text, let spec, let pointSize, let x, let y, let boxWidth, let boxHeight, _):
            // Vector text is laid out anew without the raster's hinting.
            TextPainter.drawPlaced(TextPainter.Placed(text: text, spec: spec, pointSize: pointSize, x: x, y: y,
                                                      boxWidth: boxWidth, boxHeight: boxHeight), on: cr, dpi: dpi, hinted: false)
        case .fill(let x, let y, let width, let height):
            cairo_rectangle(cr, Double(x), Double(y), Double(width), Double(height))
            cairo_fill(cr)
        case .erase(let x, let y, let width, let height):
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_rectangle(cr, Double(x), Double(y), Double(width), Double(height))
            cairo_fill(cr)
            cairo_set_source_rgb(cr, 0, 0, 0)
        case .image(let image, let x, let y):
            for row in 0..<image.height {
                for column in 0..<image.width where image.isInked(x: column, y: row) {
                    cairo_rectangle(cr, Double(x + column), Double(y + row), 1, 1)
                }
            }
            cairo_fill(cr)
        }
    }
}
