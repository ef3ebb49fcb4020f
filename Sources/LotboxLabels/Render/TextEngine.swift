import CPangoCairo

/// One pango context for laying out a stream of labels at one dpi for the 1-bit raster: making
/// a context (and its font lookups) per text costs more than shaping the text. Owns its context
/// and, for a long-lived engine, a font map of its own, so engines on different threads (one
/// per printer) share nothing; pango's default font map belongs to the thread that asked for it.
/// Used by one thread at a time.
public final class TextEngine: @unchecked Sendable {
    public let dpi: Int
    let context: OpaquePointer?
    private let fontMap: UnsafeMutablePointer<PangoFontMap>?

    /// - Parameter ownFontMap: give the engine a font map of its own: for an engine that lives
    ///   long or may be used on another thread than the one that made it.
    public init(dpi: Int, ownFontMap: Bool = false) {
        self.dpi = dpi
        fontMap = ownFontMap ? pango_cairo_font_map_new() : nil
        context = pango_font_map_create_context(fontMap ?? pango_cairo_font_map_get_default())
        TextPainter.setUp(context: context, dpi: dpi, hinted: true)
    }

    deinit {
        if let context { g_object_unref(UnsafeMutableRawPointer(context)) }
        if let fontMap { g_object_unref(UnsafeMutableRawPointer(fontMap)) }
    }
}
