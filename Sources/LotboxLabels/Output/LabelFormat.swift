/// The documents lotbox writes labels as.
public enum LabelFormat: String, CaseIterable, Sendable {
    /// 1-bit PNG at the printer's dpi: previews, printers that take PNG. One label per file.
    case png
    /// PWG raster black_1: IPP Everywhere label printers.
    case pwg
    /// Vector PDF: office printers and sheets.
    case pdf
    /// ZPL with each label as a ^GFA graphic field: Zebra printers on raw queues, LPrint.
    case zpl

    /// Writes laid-out labels, each `copies` times, as one printer wants them: `settings` are
    /// ZPL's, but their offset moves the label in PWG and PDF too (one offset per printer,
    /// whatever it is sent). `tracking` is ZPL's `^MN`; nil: continuous for a roll, else gap.
    public func encode(_ labels: [LaidOutLabel], media: Media, copies: Int = 1, settings: ZPLSettings = ZPLSettings(),
                       tracking: MediaTracking? = nil) throws -> [UInt8] {
        let copies = max(1, copies)
        var labels = labels
        if self != .zpl && (settings.offsetX != 0 || settings.offsetY != 0) {
            labels = labels.map { $0.shifted(x: settings.offsetX, y: settings.offsetY) }
        }
        guard let first = labels.first else { throw OutputError(message: "no labels to write") }
        switch self {
        case .png:
            guard labels.count == 1, copies == 1 else { throw OutputError(message: "a PNG holds one label; use pdf, pwg or zpl for several") }
            return try PNGEncoder.encode(RasterPainter.paint(first), dpi: first.dpi)
        case .pwg:
            let pages = labels.map(RasterPainter.paint).flatMap { Array(repeating: $0, count: copies) }
            return try PWGRaster.encode(pages, dpi: first.dpi, mediaName: media.name.hasPrefix("custom_") ? nil : media.name)
        case .pdf:
            return try PDFPainter.render(labels.flatMap { Array(repeating: $0, count: copies) })
        case .zpl:
            return try ZPL.encode(labels.map(RasterPainter.paint), copies: copies, settings: settings,
                                  tracking: tracking ?? (media.isRoll ? .continuous : .gap))
        }
    }
}
