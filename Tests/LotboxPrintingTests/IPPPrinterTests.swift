import Foundation
import LotboxLabels
import LotboxPrinting
import LotboxTestSupport
import Testing

/// Printing to a real IPP Everywhere printer (ippeveprinter) on loopback, reading back what it
/// received, and decoding the barcodes on it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct IPPPrinterTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates").path

    func waitForEnd(_ printer: IPPPrinter, job: Int) throws -> JobStatus {
        let deadline = Date().addingTimeInterval(15)
        while true {
            let status = try printer.job(job)
            if status.isFinal || Date() > deadline { return status }
            usleep(20_000)
        }
    }

    @Test func aLabelPrintedByURIArrivesAndScans() throws {
        let virtual = try VirtualLabelPrinter()
        let printer = try IPPPrinter(uri: virtual.uri)
        let status = try printer.status()
        #expect(status.state == "idle")
        #expect(status.documentFormats.contains("image/pwg-raster"))
        #expect(status.resolutions.contains(203))
        #expect(status.mediaReady == ["oe_4x2-label_4x2in"])

        let template = try TemplateLoader.load("lot-4x2", from: IPPPrinterTests.templates)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: 203).get()
        let document = try LabelFormat.pwg.encode([label], media: template.media)
        let job = try printer.submit(document, format: "image/pwg-raster", jobName: "lotbox-job-1")
        #expect(job > 0)
        #expect(try waitForEnd(printer, job: job).state == "completed")
        let files = virtual.received()
        #expect(files.count == 1)
        #expect(files.first?.hasSuffix("/\(job)-lotbox-job-1.pwg") == true, "\(files)")
        let received = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try #require(files.first))))
        #expect(received == document)
        let page = try #require(try PWGRaster.decode(received).first)
        let png = try RealDecoder.write(page, dpi: 203, name: "printed")
        #expect(try RealDecoder.zbar(png).sorted() == ["CODE-128:01M80GN4FPK1GTC9FJS9JNVGKP", "QR-Code:01M80GN4FPK1GTC9FJS9JNVGKP"])
    }

    @Test func printerStateReasonsComeFromTheRealPrinter() throws {
        let script = try TemporaryFolder.make() + "/out-of-labels.sh"
        try "#!/bin/sh\necho 'STATE: +media-empty' >&2\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let virtual = try VirtualLabelPrinter(command: script)
        let printer = try IPPPrinter(uri: virtual.uri)
        #expect(try printer.status().reasons.isEmpty)
        let job = try printer.submit(Array("not really a raster".utf8), format: "image/pwg-raster", jobName: "lotbox-job-2")
        _ = try waitForEnd(printer, job: job)
        let reasons = try printer.status()
        #expect(reasons.conditions.contains("media-empty"), "\(reasons.reasons)")
    }

    @Test func aPrinterThatIsNotThereIsAClearErrorQuickly() throws {
        let virtual = try VirtualLabelPrinter()
        let uri = virtual.uri
        virtual.stop()
        let started = Date()
        do {
            let printer = try IPPPrinter(uri: uri, timeout: 2)
            _ = try printer.status()
            Issue.record("a stopped printer answered")
        } catch {
            #expect(error.description.hasPrefix("printer \(uri): "), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
