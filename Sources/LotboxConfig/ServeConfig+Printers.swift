import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting

extension ServeConfig {
    /// One `[[printers]]` table, checked: where the printer is, its format, and its ZPL settings
    /// (each range checked; a ZPL setting on a printer not sent ZPL is refused, not ignored).
    static func printer(_ printer: File.Printer, index: Int, file: String, cupsServer: String?) throws(ConfigError) -> PrinterConfig {
        let where_ = "printers[\(index)] '\(printer.name)'"
        func fail(_ reason: String) -> ConfigError { ConfigError(file: file, reason: "\(where_) \(reason)") }
        guard (printer.uri == nil) != (printer.queue == nil) else {
            throw fail("needs exactly one of uri (an IPP printer, or socket://host:9100 for a Zebra on its raw port) or queue (a CUPS queue)")
        }
        let isSocket = printer.uri.map { $0.lowercased().hasPrefix("socket:") } ?? false
        if isSocket, let uri = printer.uri, SocketPrinter.parse(uri) == nil {
            throw fail("uri '\(uri)' is not a socket URI; expected socket://host or socket://host:port (port 1-65535)")
        }
        let dpi = printer.dpi ?? 203
        guard [203, 300, 600].contains(dpi) else { throw fail("dpi \(dpi) is not 203, 300 or 600") }
        let copies = printer.copies ?? 1
        guard (1...100).contains(copies) else { throw fail("copies \(copies) is not between 1 and 100") }
        var format: String?
        if let text = printer.format {
            let names = ["zpl": PrinterConfig.zplFormat, "pwg": "image/pwg-raster", "png": "image/png", "pdf": "application/pdf"]
            guard let known = names[text] ?? (names.values.contains(text) ? text : nil) else {
                throw fail("format '\(text)' is not zpl, pwg, png or pdf")
            }
            format = known
        }
        if isSocket {
            guard format == nil || format == PrinterConfig.zplFormat else {
                throw fail("format '\(printer.format ?? "")': a socket:// printer is sent ZPL only; leave format out or set format = \"zpl\"")
            }
            format = PrinterConfig.zplFormat
        }
        let sendsZPL = format == PrinterConfig.zplFormat
        func zplOnly(_ key: String, _ value: Any?) throws(ConfigError) {
            if value != nil && !sendsZPL { throw fail("\(key) is a ZPL setting; this printer is not sent ZPL (set format = \"zpl\")") }
        }
        try zplOnly("darkness", printer.darkness)
        try zplOnly("set_darkness", printer.setDarkness)
        try zplOnly("speed", printer.speed)
        try zplOnly("head_width_dots", printer.headWidthDots)
        try zplOnly("zpl_compression", printer.zplCompression)
        var zpl = ZPLSettings()
        if let darkness = printer.darkness {
            guard (-30...30).contains(darkness) else { throw fail("darkness \(darkness) is not between -30 and 30 (^MD, relative to the printer's)") }
            zpl.darkness = darkness
        }
        if let set = printer.setDarkness {
            guard (0...30).contains(set) else { throw fail("set_darkness \(set) is not between 0 and 30 (~SD)") }
            zpl.setDarkness = set
        }
        if let speed = printer.speed {
            guard (1...14).contains(speed) else { throw fail("speed \(speed) is not between 1 and 14 (^PR)") }
            zpl.speed = speed
        }
        for (key, value) in [("offset_x_mm", printer.offsetXMm), ("offset_y_mm", printer.offsetYMm)] {
            if let value, !(value.isFinite && (0...25).contains(value)) {
                throw fail("\(key) \(value) is not between 0 and 25 (mm right or down; ^LH cannot move a label left or up)")
            }
        }
        zpl.offsetX = Int(((printer.offsetXMm ?? 0) * Double(dpi) / 25.4).rounded())
        zpl.offsetY = Int(((printer.offsetYMm ?? 0) * Double(dpi) / 25.4).rounded())
        if let head = printer.headWidthDots {
            guard (8...5000).contains(head) else { throw fail("head_width_dots \(head) is not between 8 and 5000") }
            zpl.headWidth = head
        }
        if let text = printer.zplCompression {
            guard let compression = ZPLSettings.Compression(rawValue: text) else {
                throw fail("zpl_compression '\(text)' is not z64, acs or none")
            }
            zpl.compression = compression
        }
        let batchLabels = printer.batchLabels ?? PrinterConfig.defaultBatchLabels
        guard (1...1000).contains(batchLabels) else { throw fail("batch_labels \(batchLabels) is not between 1 and 1000 (labels in one job)") }
        if isSocket && printer.batchLabels != nil {
            throw fail("batch_labels is for CUPS queues and IPP printers; a socket:// printer streams its labels in runs of 50 a connection")
        }
        return PrinterConfig(name: printer.name, uri: printer.uri, queue: printer.queue,
                             server: printer.queue == nil ? nil : cupsServer,
                             template: printer.template ?? "lot-4x2", dpi: dpi, copies: copies, format: format, zpl: zpl,
                             batchLabels: batchLabels)
    }
}
