import LotboxBarcodes

/// Where a barcode lands on the dots of a label.
public struct BarcodePlacement: Sendable, Equatable {
    /// Dots a module takes: a whole number, so every bar edge falls on a dot edge.
    public var moduleDots: Int
    /// Height of a linear code's bars, in dots.
    public var barHeightDots: Int

    public init(moduleDots: Int, barHeightDots: Int = 0) {
        self.moduleDots = moduleDots
        self.barHeightDots = barHeightDots
    }

    /// Dots the symbol covers including its quiet zones.
    public func size(of symbol: BarcodeSymbol) -> (width: Int, height: Int) {
        let width = symbol.totalColumns * moduleDots
        let height = symbol.symbology.isLinear ? barHeightDots : symbol.totalRows * moduleDots
        return (width, height)
    }
}

extension MonoBitmap {
    /// Draws `symbol` with its top-left quiet-zone corner at (x, y): each module a block of
    /// moduleDots x moduleDots whole dots, no anti-aliasing. A row of modules is drawn once and
    /// then OR-ed into every dot row it covers.
    public mutating func draw(_ symbol: BarcodeSymbol, x: Int, y: Int, placement: BarcodePlacement) {
        let dots = placement.moduleDots
        let left = x + symbol.quietZone * dots
        let top = symbol.symbology.isLinear ? y : y + symbol.quietZone * dots
        let rows = symbol.symbology.isLinear ? 1 : symbol.rows
        let height = symbol.symbology.isLinear ? placement.barHeightDots : dots
        var pattern = MonoBitmap(width: width, height: 1)
        for row in 0..<rows {
            if row > 0 { pattern.clear() }
            var column = 0
            while column < symbol.columns {
                guard symbol.isDark(row: row, column: column) else { column += 1; continue }
                var end = column
                while end < symbol.columns && symbol.isDark(row: row, column: end) { end += 1 }
                pattern.fill(x: left + column * dots, y: 0, width: (end - column) * dots, height: 1)
                column = end
            }
            for dotRow in (top + row * dots)..<(top + row * dots + height) {
                or(pattern, intoRow: dotRow)
            }
        }
    }

    /// OR-s the first row of `pattern` (as wide as this bitmap) into row `y`.
    mutating func or(_ pattern: MonoBitmap, intoRow y: Int) {
        guard y >= 0, y < height, pattern.bytesPerRow == bytesPerRow else { return }
        let base = y * bytesPerRow
        pattern.bytes.withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBufferPointer { target in
                for index in 0..<bytesPerRow where source[index] != 0 {
                    target[base + index] |= source[index]
                }
            }
        }
    }
}
