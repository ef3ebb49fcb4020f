import CPangoCairo

/// One pango context for laying out a stream of labels at one dpi for the 1-bit raster: making
/// a context (and its font lookups) per text costs more than shaping the text. Owns the context;
/// used by one thread at a time (a batch, a print queue's worker).
public final class TextEngine: @unchecked Sendable {
    public let dpi: Int
    let context: OpaquePointer?

    public init(dpi: Int) {
        self.dpi = dpi
        context = pango_font_map_create_context(pango_cairo_font_map_get_default())
        TextPainter.setUp(context: context, dpi: dpi, hinted: true)
    }

    deinit {
        if let context { g_object_unref(UnsafeMutableRawPointer(context)) }
    }
}
