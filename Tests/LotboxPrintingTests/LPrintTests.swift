import Foundation
import LotboxLabels
@testable import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// LPrint (Debian's lprint, a private instance) as the IPP Everywhere printer in front of a
/// Zebra: its ZPL driver's device is the ZD420 stand-in on loopback. Both ways lotbox can feed
/// it: PWG raster, which LPrint turns into a `~DG` graphic recalled with `^XG`, and ZPL as
/// application/vnd.zebra-zpl, which it passes through. What reached the "printer" is read back
/// by zebrafy and scanned.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LPrintTests {
    func printOne(format: String, settings: ZPLSettings = ZPLSettings()) throws -> (job: [UInt8], lot: String, sent: [UInt8]) {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let lprint = try PrivateLPrint()
        let uri = try lprint.addPrinter("zebra", device: zebra.uri, driver: "zpl_2inch-203dpi-dt", media: "oe_2x1-label_2x1in")
        let (store, ids) = try SocketPrinterTests.storeWithLots(1)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let config = PrinterConfig(name: "zebra", uri: uri, template: "lot-2x1", format: format, zpl: settings)
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        let job = try #require(try store.nextPrintJob(printer: "zebra"))
        let sent = try worker.render(job, format: format)
        #expect(try worker.drain() == 1, "\(lprint.log.suffix(2000))")
        // Where a label stopped, if it did: held (and why), queued for a retry, or still followed.
        let jobs = try store.printJobs()
        #expect(jobs.nonEmptyAllSatisfy { $0.state == "completed" && $0.cupsJobId != nil },
                "\(jobs.map { "\($0.state): \($0.reason ?? "")" }); holds \(worker.holdReasons) \(worker.mediaHolds)")
        let received = zebra.waitForJobs(1, seconds: 20)
        #expect(received.count == 1, "\(lprint.log.suffix(2000))")
        return (try #require(received.first), ids[0], sent)
    }

    @Test func pwgBecomesLPrintsDownloadedGraphic() throws {
        let (job, lot, _) = try printOne(format: "image/pwg-raster")
        let text = String(decoding: job, as: UTF8.self)
        #expect(text.contains("~DG") && text.contains("^XG"), "\(text.prefix(200))")
        let images = try RealDecoder.zplImages(job, dpi: 203)
        #expect(images.count == 1)
        let png = try #require(images.first)
        #expect(try RealDecoder.zbar(png) == ["QR-Code:\(lot)"])
        #expect(try RealDecoder.zxing(png).map(\.text) == [lot])
    }

    @Test func zplPassesThroughUntouched() throws {
        let (job, lot, sent) = try printOne(format: PrinterConfig.zplFormat, settings: ZPLSettings(darkness: 7, compression: .acs))
        let text = String(decoding: job, as: UTF8.self)
        #expect(text.contains(String(decoding: sent, as: UTF8.self)), "\(text.prefix(300))")
        #expect(text.contains("^MD7") && !text.contains("~DG"))
        let png = try #require(try RealDecoder.zplImages(job, dpi: 203).first)
        #expect(try RealDecoder.zbar(png) == ["QR-Code:\(lot)"])
        #expect(try RealDecoder.zxing(png).map(\.text) == [lot])
    }
}
