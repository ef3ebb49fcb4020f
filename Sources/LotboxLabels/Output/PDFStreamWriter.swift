import CPangoCairo

/// A PDF written a page at a time: each label's page is handed back as bytes once cairo has
/// written it (`takeWritten`), so a batch of a thousand labels is never whole in memory; only
/// the fonts' subsets and the cross-reference wait for `finish`. Owns its cairo surface; used
/// from one thread.
public final class PDFStreamWriter {
    private let sink = ByteSink()
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private var pages = 0
    private var finished = false

    /// A PDF whose first page is `first`'s size (each later page takes its own label's size).
    public init(first: LaidOutLabel) throws(OutputError) {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream({ context, data, length in
            guard let context, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, context, PDFStreamWriter.points(first.width, first.dpi), PDFStreamWriter.points(first.height, first.dpi)) else {
            throw OutputError(message: "cairo could not create a PDF surface")
        }
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw OutputError(message: "cairo could not draw on the PDF surface")
        }
        self.surface = surface
        self.cr = cr
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    static func points(_ dots: Int, _ dpi: Int) -> Double { Double(dots) * 72 / Double(dpi) }

    /// Draws `label` as the next page.
    public func write(_ label: LaidOutLabel) {
        if pages > 0 {
            cairo_pdf_surface_set_size(surface, PDFStreamWriter.points(label.width, label.dpi), PDFStreamWriter.points(label.height, label.dpi))
        }
        PDFPainter.paint(label, on: cr)
        cairo_show_page(cr)
        pages += 1
    }

    /// What cairo has written since the last call: the pages so far.
    public func takeWritten() -> [UInt8] {
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }

    /// Ends the document: its last bytes (fonts, cross-reference, trailer).
    public func finish() throws(OutputError) -> [UInt8] {
        guard pages > 0 else { throw OutputError(message: "a PDF needs at least one label") }
        if !finished {
            finished = true
            cairo_surface_finish(surface)
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw OutputError(message: "cairo could not finish the PDF: \(String(cString: cairo_status_to_string(cairo_surface_status(surface))))")
        }
        return takeWritten()
    }
}
