/// Draws a laid-out label as 1-bit dots: all text through pango on one A1 surface with
/// anti-aliasing off, then barcodes, boxes and images straight into the bitmap on whole dots.
public enum RasterPainter {
    public static func paint(_ label: LaidOutLabel) -> MonoBitmap {
        let texts = label.items.compactMap { item -> TextPainter.Placed? in
            guard case .text(let text, let spec, let pointSize, let x, let y, let boxWidth, let boxHeight, let layout) = item else { return nil }
            return TextPainter.Placed(text: text, spec: spec, pointSize: pointSize, x: x, y: y, boxWidth: boxWidth,
                                      boxHeight: boxHeight, layout: layout)
        }
        var bitmap = texts.isEmpty ? MonoBitmap(width: label.width, height: label.height)
            : TextPainter.rasterize(texts, width: label.width, height: label.height, dpi: label.dpi)
        for item in label.items {
            switch item {
            case .barcode(let symbol, let x, let y, let placement):
                bitmap.draw(symbol, x: x, y: y, placement: placement)
            case .fill(let x, let y, let width, let height):
                bitmap.fill(x: x, y: y, width: width, height: height)
            case .image(let image, let x, let y):
                bitmap.blit(image, x: x, y: y)
            case .erase(let x, let y, let width, let height):
                bitmap.erase(x: x, y: y, width: width, height: height)
            case .text:
                continue
            }
        }
        return bitmap
    }
}
