import Foundation
import LotboxLabels
import LotboxPrinting
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Printing through a real, private cupsd queue in front of a real IPP label printer.
@Suite(.serialized, .timeLimit(.minutes(10))) struct CupsQueueTests {
    @Test func aCupsQueueByNamePrintsAndFaultsAreClear() throws {
        let printer = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let cups = try PrivateCups()
        try cups.addQueue("Labels", uri: printer.uri)
        let queue = try IPPPrinter(name: "Labels", server: cups.server)
        let template = try TemplateLoader.load("lot-2x1", from: IPPPrinterTests.templates)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: 203).get()
        let document = try LabelFormat.pwg.encode([label], media: template.media)
        let job = try queue.submit(document, format: "image/pwg-raster", jobName: "lotbox-CUPS-1")
        let deadline = Date().addingTimeInterval(30)
        while try !queue.job(job).isFinal && Date() < deadline { usleep(50_000) }
        #expect(try queue.job(job).state == "completed")
        // cupsd keeps the job in its history, findable by name after the fact.
        #expect(try queue.job(named: "lotbox-CUPS-1")?.id == job)
        try VirtualLabelPrinter.wait("the document at the printer", seconds: 30) { !printer.received().isEmpty }
        let file = try #require(printer.received().first)
        let page = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))).first)
        #expect(try RealDecoder.zxing(try RealDecoder.write(page, dpi: 203, name: "cups")).map(\.text) == ["01M80GN4FPK1GTC9FJS9JNVGKP"])

        // cupsreject: the queue says it is not accepting, and a job is refused with the reason.
        try cups.tool("/usr/sbin/cupsreject", ["Labels"])
        let rejecting = try IPPPrinter(name: "Labels", server: cups.server)
        #expect(try rejecting.status().isAcceptingJobs == false)
        do {
            _ = try rejecting.submit(document, format: "image/pwg-raster", jobName: "lotbox-CUPS-2")
            Issue.record("a rejecting queue took a job")
        } catch {
            #expect(error.description.hasPrefix("printer Labels: refused the job"), "\(error)")
        }

        // A queue that does not exist.
        do {
            _ = try IPPPrinter(name: "NoSuchQueue", server: cups.server)
            Issue.record("a missing queue was found")
        } catch {
            #expect(error.description.hasPrefix("printer NoSuchQueue: "), "\(error)")
        }
    }
}
