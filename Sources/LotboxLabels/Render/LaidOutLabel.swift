import LotboxBarcodes

/// A label with its data filled in and every element placed on whole dots at one dpi: what the
/// raster, PDF and ZPL outputs all draw from, so they cannot disagree about the layout.
public struct LaidOutLabel: Sendable {
    public let width: Int
    public let height: Int
    public let dpi: Int
    public let items: [Item]

    public init(width: Int, height: Int, dpi: Int, items: [Item]) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.items = items
    }

    public enum Item: Sendable {
        /// A symbol with the top-left corner of its quiet zone at (x, y).
        case barcode(BarcodeSymbol, x: Int, y: Int, placement: BarcodePlacement)
        /// Text in a box whose top-left is (x, y) on the label; `boxWidth` x `boxHeight` is the box
        /// as the text sees it (swapped for 90 and 270 degrees).
        case text(String, spec: TextSpec, pointSize: Double, x: Int, y: Int, boxWidth: Int, boxHeight: Int, layout: TextLayout)
        /// Solid ink: boxes and lines.
        case fill(x: Int, y: Int, width: Int, height: Int)
        case image(MonoBitmap, x: Int, y: Int)
        /// No ink: clears whatever was drawn before it (the VOID mark's band).
        case erase(x: Int, y: Int, width: Int, height: Int)
    }
}
