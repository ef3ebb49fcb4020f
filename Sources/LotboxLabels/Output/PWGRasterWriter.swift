import CCups

/// A PWG raster black_1 stream written page by page through libcups, so a long batch or a
/// print job never holds all its pages at once. Owns its libcups stream from init to finish
/// (or deinit); use it from one thread at a time.
public final class PWGRasterWriter {
    private let sink = ByteSink()
    private var raster: OpaquePointer?
    private let dpi: Int
    private let mediaName: String?
    private var header = cups_page_header2_t()
    private var headerSize: (width: Int, height: Int)?

    public init(dpi: Int, mediaName: String?) throws(OutputError) {
        self.dpi = dpi
        self.mediaName = mediaName
        let context = Unmanaged.passUnretained(sink).toOpaque()
        raster = cupsRasterOpenIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
            return length
        }, context, CUPS_RASTER_WRITE_PWG)
        guard raster != nil else { throw OutputError(message: "libcups could not open a PWG raster stream") }
    }

    deinit {
        if let raster { cupsRasterClose(raster) }
    }

    /// Appends a page.
    public func write(_ page: MonoBitmap) throws(OutputError) {
        guard let raster else { throw OutputError(message: "the PWG raster stream is already finished") }
        if headerSize.map({ $0 != (page.width, page.height) }) ?? true {
            header = try makeHeader(for: page)
            headerSize = (page.width, page.height)
        }
        guard cupsRasterWriteHeader2(raster, &header) != 0 else {
            throw OutputError(message: "libcups could not write a PWG page header")
        }
        // black_1: 1 is ink, most significant bit first: the bitmap's own layout, row by row.
        let written = page.withRows { rows in rows.baseAddress.map { cupsRasterWritePixels(raster, $0, UInt32(rows.count)) } ?? 0 }
        guard written == UInt32(page.bytesPerRow * page.height) else {
            throw OutputError(message: "libcups wrote \(written) of \(page.bytesPerRow * page.height) bytes of a PWG page")
        }
    }

    /// The bytes written since the stream opened or this was last called: a page is whole in
    /// them once `write` returns (libcups flushes a page's last line), so a printer can be sent
    /// each page as it is made instead of the whole document at the end.
    public func takeWritten() -> [UInt8] {
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }

    /// Closes the stream and returns the document (what `takeWritten` has not taken).
    public func finish() -> [UInt8] {
        if let raster { cupsRasterClose(raster) }
        raster = nil
        return sink.take()
    }

    private func makeHeader(for page: MonoBitmap) throws(OutputError) -> cups_page_header2_t {
        let hundredthsOfMM = { (dots: Int) in Int32((Double(dots) * 2540 / Double(self.dpi)).rounded()) }
        let media = mediaName.flatMap { pwgMediaForPWG($0) } ?? pwgMediaForSize(hundredthsOfMM(page.width), hundredthsOfMM(page.height))
        var header = cups_page_header2_t()
        guard cupsRasterInitPWGHeader(&header, media, "black_1", Int32(dpi), Int32(dpi), "one-sided", nil) != 0 else {
            throw OutputError(message: "libcups refused a black_1 header at \(dpi) dpi: \(String(cString: cupsLastErrorString()))")
        }
        // The bitmap is the truth: its dots, not the media's rounding.
        header.cupsWidth = UInt32(page.width)
        header.cupsHeight = UInt32(page.height)
        header.cupsBytesPerLine = UInt32(page.bytesPerRow)
        return header
    }
}
