import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// A Zebra on its raw port, as lotbox meets it: a real TCP listener on loopback that records
/// each job and answers ~HS as a ZD420 does. What it received is read back by zebrafy (not
/// lotbox's own ZPL reader) and its barcodes by zbar and zxing-cpp.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SocketPrinterTests {
    static let templates = IPPPrinterTests.templates

    @Test func aZD420sHostStatusIsReadInIPPsWords() throws {
        var flags = ZebraListener.Flags()
        flags.labelLengthDots = 406
        let idle = try #require(ZebraHostStatus(ZebraListener.hostStatus(flags)))
        #expect(idle.labelLengthDots == 406 && !idle.paperOut && !idle.headUp && idle.thermalTransfer && idle.printMode == 2)
        #expect(idle.printerStatus.state == "idle" && idle.printerStatus.reasons.isEmpty)
        flags.paperOut = true
        flags.headUp = true
        flags.paused = true
        let stopped = try #require(ZebraHostStatus(ZebraListener.hostStatus(flags)))
        #expect(stopped.printerStatus.state == "stopped")
        #expect(stopped.reasons == ["media-empty-error", "cover-open-error", "paused"])
        #expect(stopped.printerStatus.conditions == ["media-empty", "cover-open", "paused"])
        // Two of the three strings, or fields that are not flags, are no answer.
        let answer = ZebraListener.hostStatus(flags)
        let cut = answer.count - 9
        #expect(ZebraHostStatus(Array(answer[0..<cut])) == nil)
        #expect(ZebraHostStatus(Array("\u{02}030,x,0,0203,000,0,0,0,000,0,0,0\u{03}\u{02}001,0,0,0,1,2,6,0,00000000,1,000\u{03}\u{02}1234,0\u{03}".utf8)) == nil)
    }

    @Test func statusComesFromTildeHSAndSilenceIsUnknown() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let printer = try SocketPrinter(uri: zebra.uri, timeout: 2)
        let ready = try printer.status()
        #expect(ready.state == "idle" && ready.reasons.isEmpty && ready.labelLengthDots == 203)
        zebra.set { $0.paperOut = true }
        let empty = try printer.status()
        #expect(empty.state == "stopped" && empty.reasons == ["media-empty-error"])
        zebra.set { $0.answersStatus = false }
        let started = Date()
        let silent = try printer.status(answerWithin: 0.3)
        #expect(silent.state == "unknown" && silent.reasons.isEmpty && silent.labelLengthDots == nil)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(zebra.statusQueryCount == 3)
        // The same path `printer status` and the API use.
        zebra.set { $0.answersStatus = true; $0.paperOut = false; $0.headUp = true }
        let viaConfig = try PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1").currentStatus(timeout: 2)
        #expect(viaConfig.reasons == ["cover-open-error"])
        zebra.stop()
    }

    @Test func aPrinterThatIsNotThereIsAnErrorNamingIt() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let port = zebra.port
        zebra.stop()
        usleep(50_000)
        // Nothing listens on the port any more: refused, in one line naming the printer.
        do {
            try SocketPrinter(uri: "socket://127.0.0.1:\(port)", timeout: 1).send(Array("^XA^XZ".utf8))
            Issue.record("a send to a closed port succeeded")
        } catch {
            #expect(!error.partlySent && error.description.contains("socket://127.0.0.1:\(port)"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: PrintError.self) { try SocketPrinter(uri: "ipp://127.0.0.1:631/ipp/print") }
        #expect(throws: PrintError.self) { try SocketPrinter(uri: "socket://127.0.0.1:9100/queue") }
        #expect(throws: PrintError.self) { try SocketPrinter(uri: "socket://127.0.0.1:70000") }
        #expect(SocketPrinter.parse("socket://zebra.lan")?.port == 9100)
        #expect(SocketPrinter.parse("socket://[::1]:9101")?.host == "::1")
    }

    @Test func aJobArrivesWholeAndABrokenConnectionSaysPartOfItWent() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let printer = try SocketPrinter(uri: zebra.uri, timeout: 2)
        let job = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try printer.send(job)
        #expect(zebra.waitForJobs(1, seconds: 30) == [job])
        zebra.set { $0.resetAfterBytes = 1000 }
        do {
            try printer.send((0..<4_000_000).map { UInt8(truncatingIfNeeded: $0) })
            Issue.record("a connection reset part-way was taken for a printed job")
        } catch {
            #expect(error.partlySent, "\(error)")
            #expect(error.description.contains(zebra.uri), "\(error)")
        }
    }

    /// New lots printed through the worker to the listener, with the printer's ZPL settings in
    /// the bytes, each compression read back by zebrafy, and the barcodes scanning.
    @Test(arguments: [ZPLSettings.Compression.none, .acs, .z64])
    func lotsPrintAsZPLThatZebrafyReadsBack(compression: ZPLSettings.Compression) throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let (store, ids) = try SocketPrinterTests.storeWithLots(2)
        let settings = ZPLSettings(darkness: -4, speed: 3, offsetX: 8, offsetY: 16, headWidth: 832, compression: compression)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat, zpl: settings)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 2)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" && !$0.possibleDuplicate })
        // Both labels went in one connection, each a ^XA…^XZ of its own.
        let jobs = zebra.waitForJobs(1, seconds: 30)
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        let labels = String(decoding: job, as: UTF8.self).components(separatedBy: "^XA").dropFirst()
        #expect(labels.count == 2)
        for text in labels {
            // lot-2x1 at 203 dpi is 406 dots wide: centred under an 832-dot head, then 8 dots right.
            for command in ["^MNY", "^MD-4", "^PR3", "^PW832", "^LL203", "^LH221,16", "^PQ1", "^XZ"] {
                #expect(text.contains(command), "\(command) missing from \(text.prefix(120))")
            }
            #expect(!text.contains("~SD"))
            #expect(text.contains(":Z64:") == (compression == .z64))
        }
        let images = try RealDecoder.zplImages(job, dpi: 203)
        #expect(images.count == 2)
        for (index, png) in images.enumerated() {
            #expect(try RealDecoder.zbar(png).sorted() == ["QR-Code:\(ids[index])"], "\(png)")
            #expect(try RealDecoder.zxing(png).map(\.text) == [ids[index]])
        }
        // The bytes are lotbox's own render, dot for dot.
        let ours = try ZPL.decodeGraphicFields(job)
        #expect(ours.count == 2 && ours.nonEmptyAllSatisfy { $0.width == 408 && $0.height == 203 })
        #expect(zebra.statusQueryCount >= 1)
    }

    /// A batch goes in runs of `batch_labels` labels a connection, every label once, in order.
    @Test func aBatchStreamsInRunsAndEveryLabelArrivesOnce() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let (store, ids) = try SocketPrinterTests.storeWithLots(120)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat,
                                   zpl: ZPLSettings(compression: .acs), batchLabels: 50)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 120)
        #expect(try store.printJobs(limit: 1000).nonEmptyAllSatisfy { $0.state == "completed" && !$0.possibleDuplicate })
        let jobs = zebra.waitForJobs(3, seconds: 30)
        #expect(jobs.map { String(decoding: $0, as: UTF8.self).components(separatedBy: "^XA").count - 1 } == [50, 50, 20])
        var read: [String] = []
        for job in jobs {
            for png in try RealDecoder.zplImages(job, dpi: 203) { read += try RealDecoder.zbar(png) }
        }
        #expect(read == ids.map { "QR-Code:\($0)" })
    }

    @Test func aStreamBrokenPartWayResendsWhatWentAsPossibleDuplicates() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        zebra.set { $0.resetAfterBytes = 30_000 }
        let (store, ids) = try SocketPrinterTests.storeWithLots(3)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        let failed = try store.printJobs()
        #expect(failed.nonEmptyAllSatisfy { $0.state == "queued" && $0.nextAttemptAt != nil }, "\(failed)")
        // The first label had gone whole before the reset: it may have printed.
        #expect(failed.first?.possibleDuplicate == true, "\(failed)")
        zebra.set { $0.resetAfterBytes = nil }
        var printed = 0
        let deadline = Date().addingTimeInterval(10)
        while printed < 3 && Date() < deadline {
            usleep(200_000)
            printed += try worker.drain()
        }
        #expect(printed == 3)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" })
        let last = try #require(zebra.waitForJobs(2, seconds: 30).last)
        var read: [String] = []
        for png in try RealDecoder.zplImages(last, dpi: 203) { read += try RealDecoder.zbar(png) }
        #expect(read == ids.map { "QR-Code:\($0)" })
    }

    @Test func aPrinterOutOfPaperKeepsItsLabelsUntilItIsFixed() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        zebra.set { $0.paperOut = true }
        let (store, _) = try SocketPrinterTests.storeWithLots(1)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        #expect(worker.holdReasons == ["media-empty-error"])
        #expect(try store.printJobs().map(\.state) == ["queued"])
        #expect(zebra.received.isEmpty)
        zebra.set { $0.paperOut = false }
        #expect(try worker.drain() == 1)
        #expect(worker.holdReasons.isEmpty)
        #expect(zebra.waitForJobs(1, seconds: 30).count == 1)
    }

    @Test func aConnectionDroppedPartWayIsSentAgainMarkedPossibleDuplicate() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        zebra.set { $0.resetAfterBytes = 500 }
        let (store, ids) = try SocketPrinterTests.storeWithLots(1)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        let failed = try #require(try store.printJobs().first)
        #expect(failed.state == "queued" && failed.possibleDuplicate && failed.nextAttemptAt != nil, "\(failed)")
        #expect(failed.reason?.contains(zebra.uri) == true, "\(failed)")
        zebra.set { $0.resetAfterBytes = nil }
        // The retry is due after its backoff.
        var printed = 0
        let deadline = Date().addingTimeInterval(10)
        while printed == 0 && Date() < deadline {
            usleep(200_000)
            printed = try worker.drain()
        }
        #expect(printed == 1)
        let job = try #require(try store.printJobs().first)
        #expect(job.state == "completed" && job.possibleDuplicate)
        let received = zebra.waitForJobs(2, seconds: 30)
        let last = try #require(received.last)
        let png = try #require(try RealDecoder.zplImages(last, dpi: 203).first)
        #expect(try RealDecoder.zbar(png) == ["QR-Code:\(ids[0])"])
    }

    @Test func lotboxStoppingMidSendResendsAsPossibleDuplicate() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let (store, _) = try SocketPrinterTests.storeWithLots(1)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let job = try #require(try store.nextPrintJob(printer: "zebra"))
        // As a crash leaves it: recorded as being sent, never finished.
        try store.markPrintJobSending(job.id)
        let config = PrinterConfig(name: "zebra", uri: zebra.uri, template: "lot-2x1", format: PrinterConfig.zplFormat)
        let worker = LabelPrinterWorker(config: config, store: store, templates: SocketPrinterTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 1)
        let after = try #require(try store.printJobs().first)
        #expect(after.state == "completed" && after.possibleDuplicate)
        #expect(zebra.waitForJobs(1, seconds: 30).count == 1)
    }

    static func storeWithLots(_ count: Int) throws -> (LotStore, [String]) {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let ids = try store.createLots((0..<count).map { NewLot(licenseKey: license.id, productKey: product.id, qty: "\($0 + 1) g") }, actor: "t")
        return (store, ids)
    }
}
