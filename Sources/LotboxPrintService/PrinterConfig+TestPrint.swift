import Foundation
import LotboxLabels
import LotboxPrinting

/// `lotbox printer test`: the calibration sheet, sent to a printer as one job outside the label
/// queue (it is nobody's label, so nothing is recorded), in the form that printer takes.
extension PrinterConfig {
    /// What a printer test found and did.
    public struct TestPrint: Sendable {
        public let pages: [CalibrationSheet.Page]
        public let media: Media
        /// Where the media came from: the printer's own report, or the template.
        public let mediaSource: String
        public let format: String
        /// The job's end as far as it was followed ("completed", or "queued as job 12 on Zebra").
        public let outcome: String
    }

    /// The loaded media when the printer says which (IPP `media-ready` with a size), else the
    /// template's: the sheet's frame then shows the real stock's edges.
    public func testMedia(template: LabelTemplate, status: PrinterStatus?) -> (media: Media, source: String) {
        let ready = (status?.mediaReady ?? []).compactMap { try? Media(ippName: $0) }
        if ready.count == 1, let loaded = ready.first { return (loaded, "the printer's media-ready") }
        return (template.media, "template \(template.name)")
    }

    /// The document type this printer is sent: its configured format, else the best it offers
    /// that holds several labels (PWG raster, then PDF).
    public func testFormat(status: PrinterStatus?) throws(PrintError) -> String {
        if let format { return format }
        let offered = status?.documentFormats ?? []
        if offered.isEmpty { return "image/pwg-raster" }
        guard let best = ["image/pwg-raster", "application/pdf"].first(where: offered.contains) else {
            throw PrintError(printer: name, reason: "takes \(offered.joined(separator: ", ")); a printer test needs PWG raster, PDF or ZPL (set format)")
        }
        return best
    }

    /// Lays the sheet out and sends it; blocking. A printer that says it cannot print is refused
    /// before anything is sent; a printer reached directly is followed to the job's end.
    public func printTest(templates: String, timeout: Double = 30) throws -> TestPrint {
        let template = try TemplateLoader.load(self.template, from: templates)
        let status = try currentStatus(timeout: 5)
        let stopped = status.conditions.filter { ["media-empty", "media-jam", "media-needed", "cover-open", "door-open", "paused",
                                                  "offline", "head-open", "ribbon-empty", "marker-supply-empty"].contains($0) }
        if status.state == "stopped" || !stopped.isEmpty {
            throw PrintError(printer: name, reason: "cannot print now (\(status.state): \(status.reasons.joined(separator: ", "))); nothing was sent")
        }
        let (media, source) = testMedia(template: template, status: status)
        let format = try testFormat(status: status)
        let pages = try CalibrationSheet.pages(title: name, media: media, dpi: dpi, judgedBy: template)
        let document = try encode(pages.map(\.label), media: media, format: format, tracking: template.mediaTracking)
        if isSocket, let uri {
            try SocketPrinter(uri: uri, timeout: 5).send(document)
            return TestPrint(pages: pages, media: media, mediaSource: source, format: format, outcome: "sent to \(uri)")
        }
        let printer = try IPPPrinter(uri: uri, name: queue, server: server)
        let wire = format == PrinterConfig.zplFormat && queue != nil ? "application/vnd.cups-raw" : format
        let job = try printer.submit(document, format: wire, jobName: "lotbox-printer-test")
        if let queue { return TestPrint(pages: pages, media: media, mediaSource: source, format: format, outcome: "queued as job \(job) on \(queue)") }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let state = try printer.job(job)
            if state.state == "completed" {
                return TestPrint(pages: pages, media: media, mediaSource: source, format: format, outcome: "printed (job \(job))")
            }
            if state.isFinal {
                throw PrintError(printer: name, reason: "ended the test job \(job) as \(state.state) (\(state.reasons.joined(separator: ", ")))", jobID: job)
            }
            usleep(50_000)
        }
        return TestPrint(pages: pages, media: media, mediaSource: source, format: format, outcome: "job \(job) still printing after \(Int(timeout)) s")
    }

    /// The sheet as `format` (a MIME type or pdf/pwg/zpl) with this printer's ZPL settings and offset.
    public func encode(_ labels: [LaidOutLabel], media: Media, format: String, tracking: MediaTracking) throws -> [UInt8] {
        switch format {
        case PrinterConfig.zplFormat, "zpl": return try LabelFormat.zpl.encode(labels, media: media, settings: zpl, tracking: tracking)
        case "application/pdf", "pdf": return try LabelFormat.pdf.encode(labels, media: media, settings: zpl)
        default: return try LabelFormat.pwg.encode(labels, media: media, settings: zpl)
        }
    }
}
