/// The mark across a label printed for a void lot (`label render --force`): a white band through
/// the middle with VOID in block letters, a frame round the label, and every barcode struck out.
/// It is drawn over any template's layout, so no template has to know about voids; the barcodes
/// are struck out on purpose, so a void label cannot be scanned into a sale or a count.
public enum VoidMark {
    /// V, O, I and D on a 5 x 7 grid, row by row: the mark needs no font, so it prints the same
    /// in every output and on every box.
    public static let glyphs: [[String]] = [
        ["X...X", "X...X", "X...X", "X...X", "X...X", ".X.X.", "..X.."],
        [".XXX.", "X...X", "X...X", "X...X", "X...X", "X...X", ".XXX."],
        ["XXXXX", "..X..", "..X..", "..X..", "..X..", "..X..", "XXXXX"],
        ["XXXX.", "X...X", "X...X", "X...X", "X...X", "X...X", "XXXX."],
    ]

    /// Where the band lies and how large its letters are, for a label of this size.
    public struct Geometry: Equatable, Sendable {
        public let bandTop: Int
        public let bandHeight: Int
        /// Dots per grid cell of a letter.
        public let scale: Int
        public let lettersLeft: Int
        public let lettersTop: Int
        public let rule: Int
    }

    public static func geometry(width: Int, height: Int) -> Geometry {
        let bandHeight = max(18, height / 3)
        // 4 letters of 5 cells and 3 gaps of 1, within 80% of the width and 70% of the band.
        let scale = max(1, min(bandHeight * 7 / 10 / 7, width * 8 / 10 / 23))
        let bandTop = (height - bandHeight) / 2
        return Geometry(bandTop: bandTop, bandHeight: bandHeight, scale: scale,
                        lettersLeft: (width - 23 * scale) / 2, lettersTop: bandTop + (bandHeight - 7 * scale) / 2,
                        rule: max(2, scale / 2))
    }

    /// The label with the mark drawn over everything on it.
    public static func apply(to label: LaidOutLabel) -> LaidOutLabel {
        let mark = geometry(width: label.width, height: label.height)
        var items = label.items
        for case .barcode(let symbol, let x, let y, let placement) in label.items {
            let size = placement.size(of: symbol)
            // A stripe down the middle of a linear code cuts every bar; a cross through a 2D code
            // takes more than any error correction level restores.
            // Two dots past each end: a PDF rasterized at another scale must not keep a sliver of
            // bars, which a scanner reads as a whole one-line symbol.
            items.append(.erase(x: x + size.width * 3 / 8, y: y - 2, width: max(1, size.width / 4), height: size.height + 4))
            if !symbol.symbology.isLinear {
                items.append(.erase(x: x - 2, y: y + size.height * 3 / 8, width: size.width + 4, height: max(1, size.height / 4)))
            }
        }
        items.append(.erase(x: 0, y: mark.bandTop, width: label.width, height: mark.bandHeight))
        items.append(.fill(x: 0, y: mark.bandTop, width: label.width, height: mark.rule))
        items.append(.fill(x: 0, y: mark.bandTop + mark.bandHeight - mark.rule, width: label.width, height: mark.rule))
        items.append(.fill(x: 0, y: 0, width: label.width, height: mark.rule))
        items.append(.fill(x: 0, y: label.height - mark.rule, width: label.width, height: mark.rule))
        items.append(.fill(x: 0, y: 0, width: mark.rule, height: label.height))
        items.append(.fill(x: label.width - mark.rule, y: 0, width: mark.rule, height: label.height))
        for (index, glyph) in glyphs.enumerated() {
            let left = mark.lettersLeft + index * 6 * mark.scale
            for (row, line) in glyph.enumerated() {
                for (column, cell) in line.enumerated() where cell == "X" {
                    items.append(.fill(x: left + column * mark.scale, y: mark.lettersTop + row * mark.scale,
                                       width: mark.scale, height: mark.scale))
                }
            }
        }
        return LaidOutLabel(width: label.width, height: label.height, dpi: label.dpi, items: items)
    }
}
