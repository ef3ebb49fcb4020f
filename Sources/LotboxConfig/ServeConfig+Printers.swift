import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore

extension ServeConfig {
    /// One `[[printers]]` table, checked: where the printer is, its format, and its ZPL settings
    /// (each range checked; a ZPL setting on a printer not sent ZPL is refused, not ignored).
    /// Every bad key is its own line, so one run of `lotbox config check` shows them all.
    static func printer(_ printer: File.Printer, index: Int, file: String, cupsServer: String?) throws(ConfigProblems) -> PrinterConfig {
        let where_ = "printers[\(index)] '\(printer.name)'"
        var problems = ConfigProblems(file: file)
        func fail(_ reason: String) { problems.add("\(where_) \(reason)") }
        if (printer.uri == nil) == (printer.queue == nil) {
            fail("needs exactly one of uri (an IPP printer, or socket://host:9100 for a Zebra on its raw port) or queue (a CUPS queue)")
        }
        let isSocket = printer.uri.map { $0.lowercased().hasPrefix("socket:") } ?? false
        if isSocket, let uri = printer.uri, SocketPrinter.parse(uri) == nil {
            fail("uri '\(uri)' is not a socket URI; expected socket://host or socket://host:port (port 1-65535)")
        }
        let dpi = printer.dpi ?? 203
        if ![203, 300, 600].contains(dpi) { fail("dpi \(dpi) is not 203, 300 or 600") }
        let copies = printer.copies ?? 1
        if !LabelRoute.copiesLimit.contains(copies) { fail(LabelRoute.copiesRefusal(copies)) }
        var format: String?
        if let text = printer.format {
            let names = ["zpl": PrinterConfig.zplFormat, "pwg": "image/pwg-raster", "png": "image/png", "pdf": "application/pdf"]
            if let known = names[text] ?? (names.values.contains(text) ? text : nil) {
                format = known
            } else {
                fail("format '\(text)' is not zpl, pwg, png or pdf")
            }
        }
        if isSocket {
            if format != nil && format != PrinterConfig.zplFormat {
                fail("format '\(printer.format ?? "")': a socket:// printer is sent ZPL only; leave format out or set format = \"zpl\"")
            }
            format = PrinterConfig.zplFormat
        }
        let sendsZPL = format == PrinterConfig.zplFormat
        /// A ZPL setting on a printer not sent ZPL is one line; its range is then beside the point.
        func zplOnly(_ key: String, _ value: (some Any)?) -> Bool {
            guard value != nil else { return false }
            if !sendsZPL { fail("\(key) is a ZPL setting; this printer is not sent ZPL (set format = \"zpl\")") }
            return sendsZPL
        }
        var zpl = ZPLSettings()
        if zplOnly("darkness", printer.darkness), let darkness = printer.darkness {
            if (-30...30).contains(darkness) { zpl.darkness = darkness } else { fail("darkness \(darkness) is not between -30 and 30 (^MD, relative to the printer's)") }
        }
        if zplOnly("set_darkness", printer.setDarkness), let set = printer.setDarkness {
            if (0...30).contains(set) { zpl.setDarkness = set } else { fail("set_darkness \(set) is not between 0 and 30 (~SD)") }
        }
        if zplOnly("speed", printer.speed), let speed = printer.speed {
            if (1...14).contains(speed) { zpl.speed = speed } else { fail("speed \(speed) is not between 1 and 14 (^PR)") }
        }
        for (key, value) in [("offset_x_mm", printer.offsetXMm), ("offset_y_mm", printer.offsetYMm)] {
            if let value, !(value.isFinite && (0...25).contains(value)) {
                fail("\(key) \(value) is not between 0 and 25 (mm right or down; ^LH cannot move a label left or up)")
            }
        }
        func dots(_ mm: Double?) -> Int {
            guard let mm, mm.isFinite, (0...25).contains(mm) else { return 0 }
            return Int((mm * Double(dpi) / 25.4).rounded())
        }
        zpl.offsetX = dots(printer.offsetXMm)
        zpl.offsetY = dots(printer.offsetYMm)
        if zplOnly("head_width_dots", printer.headWidthDots), let head = printer.headWidthDots {
            if (8...5000).contains(head) { zpl.headWidth = head } else { fail("head_width_dots \(head) is not between 8 and 5000") }
        }
        if zplOnly("zpl_compression", printer.zplCompression), let text = printer.zplCompression {
            if let compression = ZPLSettings.Compression(rawValue: text) {
                zpl.compression = compression
            } else {
                fail("zpl_compression '\(text)' is not z64, acs or none")
            }
        }
        let batchLabels = printer.batchLabels ?? PrinterConfig.defaultBatchLabels
        if isSocket && printer.batchLabels != nil {
            fail("batch_labels is for CUPS queues and IPP printers; a socket:// printer streams its labels in runs of 50 a connection")
        } else if !(1...1000).contains(batchLabels) {
            fail("batch_labels \(batchLabels) is not between 1 and 1000 (labels in one job)")
        }
        if let stale = printer.staleAfterMinutes, !(1...10_080).contains(stale) {
            fail("stale_after_minutes \(stale) is not between 1 and 10080 (a week): labels queued longer ago wait for a person's release")
        }
        guard problems.errors.isEmpty else { throw problems }
        return PrinterConfig(name: printer.name, uri: printer.uri, queue: printer.queue,
                             server: printer.queue == nil ? nil : cupsServer,
                             template: printer.template ?? "lot-4x2", dpi: dpi, copies: copies, format: format, zpl: zpl,
                             batchLabels: batchLabels, staleAfterMinutes: printer.staleAfterMinutes)
    }
}
