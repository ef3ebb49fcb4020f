import CPangoCairo

/// Lays text out with pango and draws it on whole dots (cairo A1, no anti-aliasing, full
/// hinting: crisp at 7-10 pt on a 203-dpi head). Each call owns its cairo and pango handles
/// from creation to release; nothing C-owned leaves it.
enum TextPainter {
    struct Result {
        var bitmap: MonoBitmap?
        /// Laid-out size in dots (before rotation).
        var width: Int
        var height: Int
        var lines: Int
        var ellipsized: Bool
        var pointSize: Double
    }

    /// Lays out `text` for a box of `boxWidth` x `boxHeight` dots (the box as seen by the text,
    /// i.e. already swapped for 90/270 rotation) and, if `draw`, paints it.
    static func layout(_ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, boxHeight: Int,
                       dpi: Int, draw: Bool) -> Result {
        let surfaceWidth = max(1, boxWidth), surfaceHeight = max(1, boxHeight)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_A1, Int32(surfaceWidth), Int32(surfaceHeight)) else {
            return Result(bitmap: nil, width: 0, height: 0, lines: 0, ellipsized: false, pointSize: pointSize)
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else {
            return Result(bitmap: nil, width: 0, height: 0, lines: 0, ellipsized: false, pointSize: pointSize)
        }
        defer { cairo_destroy(cr) }
        let options = cairo_font_options_create()
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_NONE)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_FULL)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_ON)
        guard let layout = pango_cairo_create_layout(cr) else {
            return Result(bitmap: nil, width: 0, height: 0, lines: 0, ellipsized: false, pointSize: pointSize)
        }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let context = pango_layout_get_context(layout)
        pango_cairo_context_set_resolution(context, Double(dpi))
        pango_cairo_context_set_font_options(context, options)
        pango_layout_context_changed(layout)
        let description = pango_font_description_from_string(spec.font)
        defer { pango_font_description_free(description) }
        pango_font_description_set_weight(description, spec.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_size(description, Int32((pointSize * Double(lotbox_pango_scale())).rounded()))
        pango_layout_set_font_description(layout, description)
        pango_layout_set_width(layout, Int32(boxWidth) * lotbox_pango_scale())
        switch spec.overflow {
        case .wrap, .shrink:
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        case .ellipsize:
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        case .fail:
            pango_layout_set_width(layout, -1)
        }
        switch spec.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_text(layout, text, -1)
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        let lines = Int(pango_layout_get_line_count(layout))
        let ellipsized = pango_layout_is_ellipsized(layout) != 0
        var result = Result(bitmap: nil, width: Int(width), height: Int(height), lines: lines,
                            ellipsized: ellipsized, pointSize: pointSize)
        guard draw else { return result }
        if spec.overflow == .fail && spec.alignment != .left {
            // An unbounded layout aligns within its own width: place it in the box by hand.
            let offset = spec.alignment == .center ? (boxWidth - Int(width)) / 2 : boxWidth - Int(width)
            cairo_move_to(cr, Double(max(0, offset)), 0)
        } else {
            cairo_move_to(cr, 0, 0)
        }
        pango_cairo_show_layout(cr, layout)
        cairo_surface_flush(surface)
        var bitmap = MonoBitmap(width: surfaceWidth, height: surfaceHeight)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            // A1 on a little-endian machine: pixel x is bit x % 8 of byte x / 8, low bit first.
            for y in 0..<surfaceHeight {
                let row = data + y * stride
                for x in 0..<surfaceWidth where row[x >> 3] & (1 << UInt8(x & 7)) != 0 {
                    bitmap.fill(x: x, y: y, width: 1, height: 1)
                }
            }
        }
        result.bitmap = bitmap
        return result
    }
}
