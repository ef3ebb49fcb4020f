import CPangoCairo

/// PNG images (a logo, the state's universal symbol) scaled to their box and turned to ink
/// where they are dark and opaque.
enum ImageLoader {
    static func load(_ path: String, width: Int, height: Int) -> MonoBitmap? {
        guard width > 0, height > 0, let surface = cairo_image_surface_create_from_png(path) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else { return nil }
        let sourceWidth = Int(cairo_image_surface_get_width(surface))
        let sourceHeight = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard sourceWidth > 0, sourceHeight > 0, let data = cairo_image_surface_get_data(surface) else { return nil }
        var bitmap = MonoBitmap(width: width, height: height)
        for y in 0..<height {
            let sourceY = y * sourceHeight / height
            for x in 0..<width {
                let sourceX = x * sourceWidth / width
                let pixel = (data + sourceY * stride + sourceX * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                let alpha = format == CAIRO_FORMAT_ARGB32 ? (pixel >> 24) & 0xFF : 0xFF
                let red = (pixel >> 16) & 0xFF, green = (pixel >> 8) & 0xFF, blue = pixel & 0xFF
                // Premultiplied: dark and opaque means low colour with high alpha.
                let luminance = (299 * red + 587 * green + 114 * blue) / 1000
                if alpha > 127 && luminance * 255 < alpha * 128 {
                    bitmap.fill(x: x, y: y, width: 1, height: 1)
                }
            }
        }
        return bitmap
    }
}
