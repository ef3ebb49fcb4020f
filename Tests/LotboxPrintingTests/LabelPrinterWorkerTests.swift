import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// New lots in a real store, queued from the change feed, printed by the worker to a real IPP
/// printer, and read back from the printer's spool.
@Suite(.serialized, .timeLimit(.minutes(10))) struct LabelPrinterWorkerTests {
    static let templates = IPPPrinterTests.templates

    @Test func everyNewLotIsPrintedOnceAndScans() throws {
        let virtual = try VirtualLabelPrinter()
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let ids = try store.createLots((0..<5).map { NewLot(licenseKey: license.id, productKey: product.id, qty: "\($0 + 1) g") }, actor: "t")
        let config = PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-4x2")
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-4x2")])
        let worker = LabelPrinterWorker(config: config, store: store, templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 5)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" && $0.cupsJobId != nil })
        // Queued together, the five go as one job: one document of five pages, in order.
        let files = virtual.received()
        #expect(files.count == 1)
        let batch = try #require(try store.printJobs().first?.batchId)
        // ippeveprinter lower-cases the job name in its spool file name; ULIDs ignore case.
        #expect(files.first?.lowercased().hasSuffix("-lotbox-\(batch.lowercased()).pwg") == true, "\(files)")
        let pages = try virtual.receivedPages().map(\.page)
        #expect(pages.count == 5)
        for (index, page) in pages.enumerated() {
            let png = try RealDecoder.write(page, dpi: 203, name: "job-\(index)")
            #expect(try RealDecoder.zbar(png).sorted() == ["CODE-128:\(ids[index])", "QR-Code:\(ids[index])"])
        }
        // Nothing more to print, nothing printed twice.
        #expect(try worker.drain() == 0)
        #expect(virtual.received().count == 1)
    }

    /// A lot voided after its label was queued: the worker does not print it, holds the job and says why.
    @Test func aLotVoidedAfterQueueingIsNotPrinted() throws {
        let virtual = try VirtualLabelPrinter()
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let ids = try store.createLots((0..<2).map { NewLot(licenseKey: license.id, productKey: product.id, qty: "\($0 + 1) g") }, actor: "t")
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-4x2")])
        _ = try store.voidLot(ids[1], actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-4x2"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        _ = try worker.drain()
        #expect(virtual.received().count == 1)
        let jobs = try store.printJobs()
        #expect(jobs.map(\.state) == ["completed", "held"], "\(jobs)")  // held for a person, never retried
        #expect(jobs.last?.reason?.contains("\(ids[1]) is void requested") == true, "\(jobs)")
    }

    @Test func aCommittedSalePrintsItsReceipt() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.receiptRoll])
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        _ = try store.addLicense(name: "Corner Shop", code: "R-9", typeKey: "retail", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Eighth", typeKey: "Flower/Bagged", packageType: .each, unit: "3.5 g", unitPrice: "35"), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: "R-9", productKey: product.id, qty: "9"), actor: "t")
        let saleID = try store.openSale(license: "R-9", station: "kiosk", employee: "ana", actor: "t")
        for _ in 0..<5 { _ = try store.addToSale(saleID, lot: lot.id, quantity: nil, limit: nil, actor: "t") }
        _ = try store.commitSale(saleID, taxes: [], receipt: LabelRoute(printer: "front", template: "receipt"), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "front", uri: virtual.uri, template: "receipt"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 1)
        let file = try #require(virtual.received().first)
        let page = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))).first)
        // Five lines: four rows more than the template's one-line length.
        let template = try TemplateLoader.load("receipt", from: LabelPrinterWorkerTests.templates)
        #expect(page.height == template.media.height.dots(at: 203) + 4 * Length(8, .mm).dots(at: 203) - Length(4.5, .mm).dots(at: 203))
        #expect(try RealDecoder.zbar(try RealDecoder.write(page, dpi: 203, name: "receipt")) == ["QR-Code:\(saleID)"])
    }

    @Test func aPrinterThatIsDownKeepsTheJobsWithTheReason() throws {
        let virtual = try VirtualLabelPrinter()
        let uri = virtual.uri
        virtual.stop()
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        _ = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-4x2")])
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: uri, template: "lot-4x2"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        let job = try #require(try store.printJobs().first)
        #expect(job.state == "queued")
        #expect(job.nextAttemptAt != nil)
        #expect(job.reason?.hasPrefix("printer \(uri): does not answer") == true, "\(job.reason ?? "")")
    }

    @Test func aLabelTheTemplateRefusesIsHeldWithTheReason() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        // A license without a code, and a template that prints the license number and never leaves it out.
        try "media: oe_2x1-label_2x1in\nelements:\n  - {type: text, name: license-number, text: 'Lic. {{license.code}}', x: 0.1in, y: 0.1in, width: 1.8in, height: 0.3in}\n"
            .write(toFile: folder + "/needs-code.yaml", atomically: true, encoding: .utf8)
        let license = try store.addLicense(name: "Farm", code: nil, typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        _ = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "needs-code")])
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "needs-code"), store: store,
                                        templates: folder, timeZone: .utc)
        _ = try worker.drain()
        let job = try #require(try store.printJobs().first)
        #expect(job.state == "held")
        #expect(job.reason == "needs-code.yaml: text 'license-number' needs field 'license.code', which this label does not have")
        #expect(virtual.received().isEmpty)
    }
}

/// What the worker does after a crash, against a real printer.
@Suite(.serialized, .timeLimit(.minutes(10))) struct LabelPrinterRecoveryTests {
    func setUp(_ virtual: VirtualLabelPrinter) throws -> (LotStore, PrintJob, LabelPrinterWorker) {
        let folder = try TemporaryFolder.make()
        let store = try LotStore(path: folder + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        _ = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        let job = try #require(try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1")]).first)
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        return (store, job, worker)
    }

    @Test func aJobThePrinterHasIsFollowedNotSentAgain() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let (store, job, worker) = try setUp(virtual)
        // The crash came after the job reached the printer and before its id was recorded.
        try store.markPrintJobSending(job.id)
        let printer = try IPPPrinter(uri: virtual.uri)
        let sent = try printer.submit(Array("raster".utf8), format: "image/pwg-raster", jobName: "lotbox-\(job.id)")
        usleep(300_000)
        #expect(try worker.drain() == 0)
        let after = try #require(try store.printJobs().first)
        #expect(after.state == "completed")
        #expect(after.cupsJobId == sent)
        #expect(!after.possibleDuplicate)
        #expect(virtual.received().count == 1)
    }

    @Test func aJobThePrinterDoesNotKnowIsSentAgainAsAPossibleDuplicate() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let (store, job, worker) = try setUp(virtual)
        // The crash came while sending, to a printer that keeps no record of it.
        try store.markPrintJobSending(job.id)
        #expect(try worker.drain() == 1)
        let after = try #require(try store.printJobs().first)
        #expect(after.state == "completed")
        #expect(after.possibleDuplicate)
        #expect(after.attempts == 2)
        #expect(virtual.received().count == 1)
    }
}
