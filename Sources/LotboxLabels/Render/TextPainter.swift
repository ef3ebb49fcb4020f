import CPangoCairo

/// Lays text out with pango for a box, the same way for measuring, for the 1-bit raster (cairo
/// A1, no anti-aliasing, full hinting: crisp at 7-10 pt on a 203-dpi head) and for PDF. Each
/// call owns its cairo and pango handles from creation to release; nothing C-owned leaves it.
enum TextPainter {
    struct Measure {
        var width: Int
        var height: Int
        var lines: Int
        var ellipsized: Bool
    }

    /// `text` laid out for a box `boxWidth` dots wide (the box as the text sees it), hinted for
    /// the 1-bit raster; the layout is kept so drawing it does not shape the text again.
    static func measure(_ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, engine: TextEngine) -> TextLayout {
        TextLayout(text, spec: spec, pointSize: pointSize, boxWidth: boxWidth, engine: engine)
    }

    /// Draws every text of a label onto one label-sized A1 surface (one cairo context, one
    /// conversion to the bitmap's bit order), which is where most of a label's time goes.
    static func rasterize(_ texts: [Placed], width: Int, height: Int, dpi: Int) -> MonoBitmap {
        var bitmap = MonoBitmap(width: width, height: height)
        _ = withRasterContext(width: width, height: height) { cr, surface in
            for text in texts { drawPlaced(text, on: cr, dpi: dpi, hinted: true) }
            cairo_surface_flush(surface)
            let stride = Int(cairo_image_surface_get_stride(surface))
            guard let data = cairo_image_surface_get_data(surface) else { return }
            // A1 on a little-endian machine keeps the first pixel in the low bit; the bitmap in the high bit.
            // Only the rows text can reach are converted; the rest of the surface is empty.
            let rows = texts.reduce(into: (first: height, last: 0)) { range, text in
                let sideways = text.spec.rotation == 90 || text.spec.rotation == 270
                range.first = min(range.first, max(0, text.y))
                range.last = max(range.last, min(height, text.y + (sideways ? text.boxWidth : text.boxHeight)))
            }
            guard rows.first < rows.last else { return }
            bitmap.withUnsafeMutableBytes { bytes, bytesPerRow in
                for y in rows.first..<rows.last {
                    let source = data + y * stride
                    for index in 0..<bytesPerRow {
                        bytes[y * bytesPerRow + index] = reversedBits[Int(source[index])]
                    }
                }
            }
        }
        return bitmap
    }

    /// A text placed on a label, as the layout decided it.
    struct Placed {
        var text: String
        var spec: TextSpec
        var pointSize: Double
        var x: Int
        var y: Int
        var boxWidth: Int
        var boxHeight: Int
        /// The hinted layout made while measuring, drawn as it is on the raster.
        var layout: TextLayout?
    }

    /// Draws a placed text turned by its rotation, on any cairo context whose units are dots.
    static func drawPlaced(_ placed: Placed, on cr: OpaquePointer, dpi: Int, hinted: Bool) {
        cairo_save(cr)
        let x = Double(placed.x), y = Double(placed.y)
        switch placed.spec.rotation {
        case 90:
            cairo_translate(cr, x + Double(placed.boxHeight), y)
            cairo_rotate(cr, Double.pi / 2)
        case 180:
            cairo_translate(cr, x + Double(placed.boxWidth), y + Double(placed.boxHeight))
            cairo_rotate(cr, Double.pi)
        case 270:
            cairo_translate(cr, x, y + Double(placed.boxWidth))
            cairo_rotate(cr, -Double.pi / 2)
        default:
            cairo_translate(cr, x, y)
        }
        if hinted, placed.spec.rotation == 0, let layout = placed.layout {
            layout.show(on: cr, boxWidth: placed.boxWidth)
        } else {
            draw(on: cr, placed.text, spec: placed.spec, pointSize: placed.pointSize, boxWidth: placed.boxWidth, dpi: dpi, hinted: hinted)
        }
        cairo_restore(cr)
    }

    static let reversedBits: [UInt8] = (0..<256).map { value in
        var result: UInt8 = 0
        for bit in 0..<8 where value & (1 << bit) != 0 { result |= 0x80 >> UInt8(bit) }
        return result
    }

    /// Draws the text with its box's top-left at the current origin of `cr` (units: dots).
    static func draw(on cr: OpaquePointer, _ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int, dpi: Int,
                     hinted: Bool) {
        withLayout(cr, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth, dpi: dpi, hinted: hinted) { layout in
            show(layout, spec: spec, on: cr, boxWidth: boxWidth)
        }
    }

    /// Shows a configured layout at the origin of `cr`, aligned in its box.
    static func show(_ layout: OpaquePointer, spec: TextSpec, on cr: OpaquePointer, boxWidth: Int) {
        if spec.overflow == .fail && spec.alignment != .left {
            // An unbounded layout aligns within its own width: place it in the box by hand.
            var width: Int32 = 0, height: Int32 = 0
            pango_layout_get_pixel_size(layout, &width, &height)
            let offset = spec.alignment == .center ? (boxWidth - Int(width)) / 2 : boxWidth - Int(width)
            cairo_move_to(cr, Double(max(0, offset)), 0)
        } else {
            cairo_move_to(cr, 0, 0)
        }
        pango_cairo_show_layout(cr, layout)
    }

    static func withRasterContext<T>(width: Int, height: Int, _ body: (OpaquePointer, OpaquePointer) -> T) -> T? {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_A1, Int32(width), Int32(height)) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { return nil }
        defer { cairo_destroy(cr) }
        return body(cr, surface)
    }

    private static func withLayout<T>(_ cr: OpaquePointer, _ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int,
                                      dpi: Int, hinted: Bool, _ body: (OpaquePointer) -> T) -> T? {
        guard let layout = pango_cairo_create_layout(cr) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        configure(layout, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth, dpi: dpi, hinted: hinted)
        return body(layout)
    }

    /// Sets font, size, width, wrapping and alignment on a layout.
    static func configure(_ layout: OpaquePointer, _ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int,
                          dpi: Int, hinted: Bool) {
        setUp(context: pango_layout_get_context(layout), dpi: dpi, hinted: hinted)
        pango_layout_context_changed(layout)
        configureText(layout, text, spec: spec, pointSize: pointSize, boxWidth: boxWidth)
    }

    /// Resolution and, for the 1-bit raster, no anti-aliasing and full hinting.
    static func setUp(context: OpaquePointer?, dpi: Int, hinted: Bool) {
        pango_cairo_context_set_resolution(context, Double(dpi))
        guard hinted else { return }
        let options = cairo_font_options_create()
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_NONE)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_FULL)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_ON)
        pango_cairo_context_set_font_options(context, options)
    }

    /// Font, size, width, wrapping, alignment and text of a layout.
    static func configureText(_ layout: OpaquePointer, _ text: String, spec: TextSpec, pointSize: Double, boxWidth: Int) {
        let description = pango_font_description_from_string(spec.font)
        defer { pango_font_description_free(description) }
        pango_font_description_set_weight(description, spec.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_size(description, Int32((pointSize * Double(lotbox_pango_scale())).rounded()))
        pango_layout_set_font_description(layout, description)
        switch spec.overflow {
        case .wrap, .shrink, .shrinkEllipsize:
            pango_layout_set_width(layout, Int32(boxWidth) * lotbox_pango_scale())
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        case .ellipsize:
            pango_layout_set_width(layout, Int32(boxWidth) * lotbox_pango_scale())
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
    }
}
