import CPangoCairo

/// A pango layout of one text, hinted for the 1-bit raster, kept from measuring to drawing so
/// the text is shaped once. Owns its pango layout and the small cairo surface it was made on,
/// and frees them when it goes. Used by one thread at a time: a label is laid out and painted
/// by the same caller; nothing shares it.
public final class TextLayout: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let lines: Int
    public let ellipsized: Bool
    private let spec: TextSpec
    private let surface: OpaquePointer?
    private let context: OpaquePointer?
    private let layout: OpaquePointer?

    init(_ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, dpi: Int) {
        self.spec = spec
        surface = cairo_image_surface_create(CAIRO_FORMAT_A1, 1, 1)
        context = surface.flatMap { cairo_create($0) }
        layout = context.flatMap { pango_cairo_create_layout($0) }
        guard let layout else {
            width = 0; height = 0; lines = 0; ellipsized = false
            return
        }
        TextPainter.configure(layout, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth, dpi: dpi, hinted: true)
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        self.width = Int(width)
        self.height = Int(height)
        lines = Int(pango_layout_get_line_count(layout))
        ellipsized = pango_layout_is_ellipsized(layout) != 0
    }

    deinit {
        if let layout { g_object_unref(UnsafeMutableRawPointer(layout)) }
        if let context { cairo_destroy(context) }
        if let surface { cairo_surface_destroy(surface) }
    }

    /// Draws the layout at the origin of `cr` (another A1 raster, any transform).
    func show(on cr: OpaquePointer, boxWidth: Int) {
        guard let layout else { return }
        pango_cairo_update_layout(cr, layout)
        TextPainter.show(layout, spec: spec, on: cr, boxWidth: boxWidth)
    }
}
