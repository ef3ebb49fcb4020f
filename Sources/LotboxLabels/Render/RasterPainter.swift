/// Draws a laid-out label as 1-bit dots: barcodes module by module, text through pango with
/// anti-aliasing off.
public enum RasterPainter {
    public static func paint(_ label: LaidOutLabel) -> MonoBitmap {
        var bitmap = MonoBitmap(width: label.width, height: label.height)
        for item in label.items {
            switch item {
            case .barcode(let symbol, let x, let y, let placement):
                bitmap.draw(symbol, x: x, y: y, placement: placement)
            case .text(let text, let spec, let pointSize, let x, let y, let boxWidth, let boxHeight):
                guard let ink = TextPainter.rasterize(text, spec: spec, pointSize: pointSize, boxWidth: boxWidth,
                                                      boxHeight: boxHeight, dpi: label.dpi) else { continue }
                bitmap.blit(ink.rotated(clockwise: spec.rotation), x: x, y: y)
            case .fill(let x, let y, let width, let height):
                bitmap.fill(x: x, y: y, width: width, height: height)
            case .image(let image, let x, let y):
                bitmap.blit(image, x: x, y: y)
            }
        }
        return bitmap
    }
}
