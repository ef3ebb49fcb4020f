import LotboxLabels

/// One job's document, written label by label as each is laid out: PWG raster or PDF a page at a
/// time (each copy a page of its own), or a ZPL block a label (its copies in `^PQ`), handed back
/// as bytes to send at once, so a batch never sits whole in memory (a PDF's fonts and
/// cross-reference come at `finish`). PNG holds one label. Used from the printer's thread only.
final class BatchDocument {
    private let format: String
    private let media: Media
    private let settings: ZPLSettings
    private let tracking: MediaTracking
    private var raster: PWGRasterWriter?
    private var pdf: PDFStreamWriter?
    private var pngs = 0

    /// The MIME types that hold more than one label.
    static func holdsMany(_ format: String) -> Bool { format != "image/png" }

    init(format: String, template: LabelTemplate, settings: ZPLSettings) {
        self.format = format
        self.media = template.media
        self.settings = settings
        self.tracking = template.mediaTracking
    }

    /// The label's bytes, to send now.
    func add(_ label: LaidOutLabel, copies: Int) throws -> [UInt8] {
        let copies = max(1, copies)
        switch format {
        case PrinterConfig.zplFormat:
            // ZPL carries its copies (^PQ): the printer, not the queue, repeats the label.
            return try LabelFormat.zpl.encode([label], media: media, copies: copies, settings: settings, tracking: tracking)
        case "application/pdf":
            let page = shifted(label)
            let writer = try pdf ?? PDFStreamWriter(first: page)
            pdf = writer
            for _ in 0..<copies { writer.write(page) }
            return writer.takeWritten()
        case "image/png":
            guard pngs == 0 else { throw OnePNGALabel() }
            pngs += 1
            return try LabelFormat.png.encode([shifted(label)], media: media, settings: settings)
        default:
            let writer: PWGRasterWriter
            if let raster {
                writer = raster
            } else {
                writer = try PWGRasterWriter(dpi: label.dpi, mediaName: media.name.hasPrefix("custom_") ? nil : media.name)
                raster = writer
            }
            let page = RasterPainter.paint(shifted(label))
            for _ in 0..<copies { try writer.write(page) }
            return writer.takeWritten()
        }
    }

    /// The document's last bytes.
    func finish() throws -> [UInt8] {
        switch format {
        case "application/pdf": return try pdf?.finish() ?? []
        case PrinterConfig.zplFormat, "image/png": return []
        default: return raster?.finish() ?? []
        }
    }

    /// One offset per printer: ZPL moves the label with ^LH; PWG, PDF and PNG move its dots.
    private func shifted(_ label: LaidOutLabel) -> LaidOutLabel {
        settings.offsetX == 0 && settings.offsetY == 0 ? label : label.shifted(x: settings.offsetX, y: settings.offsetY)
    }
}

/// A second label for a PNG document (a PNG printer is sent one label a job).
struct OnePNGALabel: Error, CustomStringConvertible {
    var description: String { "a PNG holds one label; a PNG printer is sent one label a job" }
}
