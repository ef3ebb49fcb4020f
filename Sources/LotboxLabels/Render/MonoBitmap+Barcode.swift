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
    /// moduleDots x moduleDots whole dots, no anti-aliasing.
    public mutating func draw(_ symbol: BarcodeSymbol, x: Int, y: Int, placement: BarcodePlacement) {
        let dots = placement.moduleDots
        let left = x + symbol.quietZone * dots
        if symbol.symbology.isLinear {
            // Runs of dark modules become one bar each.
            var column = 0
            while column < symbol.columns {
                guard symbol.isDark(row: 0, column: column) else { column += 1; continue }
                var end = column
                while end < symbol.columns && symbol.isDark(row: 0, column: end) { end += 1 }
                fill(x: left + column * dots, y: y, width: (end - column) * dots, height: placement.barHeightDots)
                column = end
            }
            return
        }
        let top = y + symbol.quietZone * dots
        for row in 0..<symbol.rows {
            for column in 0..<symbol.columns where symbol.isDark(row: row, column: column) {
                fill(x: left + column * dots, y: top + row * dots, width: dots, height: dots)
            }
        }
    }
}
