import CPangoCairo

/// A pango layout of one text, hinted for the 1-bit raster, kept from measuring to drawing so
/// the text is shaped once. Owns its pango layout (made in its engine's shared context) and
/// frees it when it goes. Used by one thread at a time: a label is laid out and painted
/// by the same caller; nothing shares it.
public final class TextLayout: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let lines: Int
    public let ellipsized: Bool
    private let spec: TextSpec
    private let engine: TextEngine
    private let layout: OpaquePointer?

    init(_ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, engine: TextEngine) {
        self.spec = spec
        self.engine = engine
        layout = engine.context.flatMap { pango_layout_new($0) }
        guard let layout else {
            width = 0; height = 0; lines = 0; ellipsized = false
            return
        }
        TextPainter.configureText(layout, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth)
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        self.width = Int(width)
        self.height = Int(height)
        lines = Int(pango_layout_get_line_count(layout))
        ellipsized = pango_layout_is_ellipsized(layout) != 0
    }

    deinit {
        if let layout { g_object_unref(UnsafeMutableRawPointer(layout)) }
    }

    /// Draws the layout at the origin of `cr`, an A1 raster with no rotation (rotated text is
    /// laid out anew, so the shared context keeps the identity matrix it measures with).
    func show(on cr: OpaquePointer, boxWidth: Int) {
        guard let layout else { return }
        TextPainter.show(layout, spec: spec, on: cr, boxWidth: boxWidth)
    }
}
