extension LaidOutLabel {
    /// The same label moved right and down by whole dots on media of the same size: a printer's
    /// offset for PWG and PDF, where ZPL has `^LH`. What moves past the edge is cut off, as the
    /// printer would.
    public func shifted(x dx: Int, y dy: Int) -> LaidOutLabel {
        LaidOutLabel(width: width, height: height, dpi: dpi, items: items.map { item in
            switch item {
            case .barcode(let symbol, let x, let y, let placement): return .barcode(symbol, x: x + dx, y: y + dy, placement: placement)
            case .text(let text, let spec, let size, let x, let y, let boxWidth, let boxHeight, let layout):
                return .text(text, spec: spec, pointSize: size, x: x + dx, y: y + dy, boxWidth: boxWidth, boxHeight: boxHeight, layout: layout)
            case .fill(let x, let y, let width, let height): return .fill(x: x + dx, y: y + dy, width: width, height: height)
            case .image(let image, let x, let y): return .image(image, x: x + dx, y: y + dy)
            case .erase(let x, let y, let width, let height): return .erase(x: x + dx, y: y + dy, width: width, height: height)
            }
        })
    }
}
