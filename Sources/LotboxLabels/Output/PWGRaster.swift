import CCups

/// PWG raster (black_1) through libcups, the format IPP Everywhere label printers take:
/// written for printing, read back for checking what would print.
public enum PWGRaster {
    /// One PWG raster document holding `pages`, for media `mediaName` (an IPP/PWG name such as
    /// oe_4x2-label_4x2in, or nil for a custom size taken from the first page).
    public static func encode(_ pages: [MonoBitmap], dpi: Int, mediaName: String?) throws(OutputError) -> [UInt8] {
        guard !pages.isEmpty else { throw OutputError(message: "PWG raster needs at least one page") }
        let writer = try PWGRasterWriter(dpi: dpi, mediaName: mediaName)
        for page in pages { try writer.write(page) }
        return writer.finish()
    }

    /// The pages of a PWG raster black_1 document, read with libcups' raster reader.
    public static func decode(_ bytes: [UInt8]) throws(OutputError) -> [MonoBitmap] {
        let source = ByteSource(bytes)
        let context = Unmanaged.passUnretained(source).toOpaque()
        guard let raster = cupsRasterOpenIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            return Unmanaged<ByteSource>.fromOpaque(context).takeUnretainedValue().read(into: buffer, length: length)
        }, context, CUPS_RASTER_READ) else {
            throw OutputError(message: "libcups could not open the PWG raster for reading")
        }
        defer { cupsRasterClose(raster) }
        var pages: [MonoBitmap] = []
        var header = cups_page_header2_t()
        while cupsRasterReadHeader2(raster, &header) != 0 {
            guard header.cupsBitsPerPixel == 1, header.cupsWidth > 0, header.cupsHeight > 0 else {
                throw OutputError(message: "PWG page is \(header.cupsBitsPerPixel) bits per pixel; expected black_1")
            }
            var page = MonoBitmap(width: Int(header.cupsWidth), height: Int(header.cupsHeight))
            var row = [UInt8](repeating: 0, count: Int(header.cupsBytesPerLine))
            for y in 0..<page.height {
                guard cupsRasterReadPixels(raster, &row, UInt32(row.count)) == UInt32(row.count) else {
                    throw OutputError(message: "PWG raster ends early at line \(y)")
                }
                for x in 0..<page.width where row[x >> 3] & (0x80 >> UInt8(x & 7)) != 0 {
                    page.fill(x: x, y: y, width: 1, height: 1)
                }
            }
            pages.append(page)
        }
        return pages
    }
}

/// Why an output could not be written.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Collects what a C writer callback hands over; used within one encode call only.
final class ByteSink {
    var bytes: [UInt8] = []
    func take() -> [UInt8] { bytes }
}

/// Feeds a C reader callback; used within one decode call only.
final class ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutablePointer<UInt8>, length: Int) -> Int {
        let count = min(length, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            buffer.update(from: base + offset, count: count)
        }
        offset += count
        return count
    }
}
