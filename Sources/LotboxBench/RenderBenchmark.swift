import Foundation
import LotboxCore
import LotboxLabels

/// `lotbox bench render`: 1,000 different lot-4x2 labels (QR and Code 128 of a ULID, three text
/// lines) from a CSV, to 203-dpi PWG raster label by label and to one PDF (each three times, the
/// median reported), plus the time to the first label of a fresh process.
public struct RenderBenchmark: Sendable {
    public var labels: Int
    public var templates: String
    public var template: String
    public var dpi: Int
    /// The lotbox executable to start for the first-label figure.
    public var executable: String

    public init(labels: Int = 1_000, templates: String, template: String = "lot-4x2", dpi: Int = 203, executable: String) {
        self.labels = labels
        self.templates = templates
        self.template = template
        self.dpi = dpi
        self.executable = executable
    }

    public func run() throws -> String {
        let ids = ULIDGenerator()
        var csv = "id,product.name,variety.name,qty,license.code,created\n"
        for index in 0..<labels {
            csv += "\(try ids.next().text),Blue Dream Flower \(index % 37 + 1),Blue Dream,\(index % 900 + 100).5 g,G-412345,2026-11-22\n"
        }
        var start = Stopwatch.now()
        let rows = try LabelValue.rows(fromCSV: csv)
        let csvSeconds = Double(Stopwatch.now() - start) / 1e9
        let labelTemplate = try TemplateLoader.load(template, from: templates)

        // PWG raster, label by label, as the print queue will do it; three passes, the median
        // reported (as the C yardstick's runner does).
        var perLabel: [UInt64] = []
        perLabel.reserveCapacity(rows.count * 3)
        var phases: (layout: UInt64, paint: UInt64, write: UInt64) = (0, 0, 0)
        let engine = TextEngine(dpi: dpi)
        var pwgPasses: [Double] = []
        var pwgBytes = 0
        for _ in 0..<3 {
            let writer = try PWGRasterWriter(dpi: dpi, mediaName: labelTemplate.media.name)
            start = Stopwatch.now()
            for row in rows {
                let t0 = Stopwatch.now()
                let label = try LabelLayout.layOut(labelTemplate, data: row, dpi: dpi, engine: engine).get()
                let t1 = Stopwatch.now()
                let page = RasterPainter.paint(label)
                let t2 = Stopwatch.now()
                try writer.write(page)
                let t3 = Stopwatch.now()
                perLabel.append(t3 - t0)
                phases.layout += t1 - t0
                phases.paint += t2 - t1
                phases.write += t3 - t2
            }
            pwgBytes = writer.finish().count
            pwgPasses.append(Double(Stopwatch.now() - start) / 1e9)
        }
        let pwgSeconds = pwgPasses.sorted()[1]

        // One PDF of all the labels, three times, the median reported.
        var pdfPasses: [Double] = []
        var pdfBytes = 0
        for _ in 0..<3 {
            start = Stopwatch.now()
            let laidOut = try rows.map { try LabelLayout.layOut(labelTemplate, data: $0, dpi: dpi, engine: engine).get() }
            pdfBytes = try PDFPainter.render(laidOut).count
            pdfPasses.append(Double(Stopwatch.now() - start) / 1e9)
        }
        let pdfSeconds = pdfPasses.sorted()[1]
        let labelCount = Double(perLabel.count)

        let firstLabel = try firstLabelOfAFreshProcess()
        return BenchLine.render([
            ("bench", "\"render\""),
            ("template", "\"\(template)\""),
            ("dpi", String(dpi)),
            ("labels", String(rows.count)),
            ("pwg_labels_per_s", BenchLine.number(Double(rows.count) / pwgSeconds, places: 0)),
            ("pwg_p50_ms", BenchLine.number(Double(Stopwatch.quantile(&perLabel, 0.5)) / 1e6, places: 3)),
            ("pwg_p99_ms", BenchLine.number(Double(Stopwatch.quantile(&perLabel, 0.99)) / 1e6, places: 3)),
            ("pwg_passes_labels_per_s", "[" + pwgPasses.map { BenchLine.number(Double(rows.count) / $0, places: 0) }.joined(separator: ",") + "]"),
            ("pwg_bytes", String(pwgBytes)),
            ("pwg_layout_us", BenchLine.number(Double(phases.layout) / labelCount / 1000, places: 1)),
            ("pwg_paint_us", BenchLine.number(Double(phases.paint) / labelCount / 1000, places: 1)),
            ("pwg_write_us", BenchLine.number(Double(phases.write) / labelCount / 1000, places: 1)),
            ("pdf_labels", String(rows.count)),
            ("pdf_s", BenchLine.number(pdfSeconds, places: 3)),
            ("pdf_passes_s", "[" + pdfPasses.map { BenchLine.number($0, places: 3) }.joined(separator: ",") + "]"),
            ("pdf_bytes", String(pdfBytes)),
            ("csv_parse_ms", BenchLine.number(csvSeconds * 1000, places: 1)),
            ("first_label_ms", BenchLine.number(firstLabel.toLabel, places: 1)),
            ("first_label_after_main_ms", BenchLine.number(firstLabel.inProcess, places: 1)),
            ("first_label_process_exit_ms", BenchLine.number(firstLabel.toExit, places: 1)),
        ])
    }

    /// Starts `lotbox bench first-label` and reads how long after the spawn its label was done,
    /// and how much of that came after its code started (the rest is loading the process).
    private func firstLabelOfAFreshProcess() throws -> (toLabel: Double, inProcess: Double, toExit: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench", "first-label", "--templates", templates, "--template", template]
        let output = Pipe()
        process.standardOutput = output
        let spawned = Stopwatch.now()
        process.environment = ProcessInfo.processInfo.environment.merging(["LOTBOX_BENCH_SPAWNED_NS": String(spawned)]) { $1 }
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let exited = Stopwatch.now()
        let times = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
        guard process.terminationStatus == 0, times.count == 2 else {
            throw BenchError.missing("the first-label child failed: \(text)")
        }
        return (Double(times[1] - spawned) / 1e6, Double(times[1] - times[0]) / 1e6, Double(exited - spawned) / 1e6)
    }

    /// In the child: render one label to PWG and print the monotonic times it started and was done.
    public static func firstLabel(templates: String, template: String, dpi: Int = 203) throws -> String {
        let started = Stopwatch.now()
        let labelTemplate = try TemplateLoader.load(template, from: templates)
        let label = try LabelLayout.layOut(labelTemplate, data: SampleLabelData.lot, dpi: dpi).get()
        let writer = try PWGRasterWriter(dpi: dpi, mediaName: labelTemplate.media.name)
        try writer.write(RasterPainter.paint(label))
        _ = writer.finish()
        return "\(started) \(Stopwatch.now())"
    }
}
