import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// A printer that reports other media loaded than a template needs holds that template's labels
/// with the reason until the media is changed (ippeveprinter restarted with another
/// `media-ready`), when they print by themselves; a label a person released prints on the
/// loaded stock and is not held again; labels of a template that fits print meanwhile.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MediaMismatchHoldTests {
    @Test func labelsWaitForTheirMediaOrAPersonsRelease() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.fourBySix])
        let store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        let small = try store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        let other = try store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        let fits = try store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "package-4x6"), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        // The 4x6 label fits the loaded stock and prints; the 2x1 ones are held with the reason.
        #expect(try worker.drain() == 1)
        var jobs = Dictionary(uniqueKeysWithValues: try store.printJobs().map { ($0.id, $0) })
        #expect(jobs[fits.id]?.state == "completed")
        for id in [small.id, other.id] {
            #expect(jobs[id]?.state == "held", "\(String(describing: jobs[id]))")
            #expect(jobs[id]?.reason?.hasPrefix("4x6 in loaded; lot-2x1 needs 2x1 in") == true, "\(String(describing: jobs[id]?.reason))")
        }
        #expect(worker.mediaHolds == ["lot-2x1": "4x6 in loaded; lot-2x1 needs 2x1 in"])
        #expect(worker.lastPass.mediaHeld == 2)
        #expect(try worker.drain() == 0)
        #expect(virtual.received().count == 1)

        // A person releases one: it prints on the loaded stock, and is not held again.
        _ = try store.releasePrintJob(other.id, actor: "ana")
        #expect(try worker.drain() == 1)
        jobs = Dictionary(uniqueKeysWithValues: try store.printJobs().map { ($0.id, $0) })
        #expect(jobs[other.id]?.state == "completed" && jobs[small.id]?.state == "held")

        // The roll changed to 2x1: the held label goes by itself, on 2x1 in pages.
        try virtual.restart(media: [VirtualLabelPrinter.twoByOne])
        #expect(try IPPPrinter(uri: virtual.uri).status().mediaReady == [VirtualLabelPrinter.twoByOne])
        #expect(try worker.drain() == 1)
        #expect(worker.mediaHolds.isEmpty)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" })
        let last = try #require(virtual.received().last)
        let page = try #require(try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: last)))).first)
        #expect(page.width == 406 && page.height == 203, "\(page.width)x\(page.height)")
    }

    /// A printer that tells its loaded media only by size (`media-col-ready`) is checked the
    /// same way: a 2x1 in label on a 4x2 in roll is held, and goes when 2x1 in stock is loaded.
    @Test func aPrinterThatTellsOnlyTheSizeOfItsMediaIsCheckedToo() throws {
        let virtual = try VirtualLabelPrinter(media: [])
        try virtual.restart(mediaSizes: [(width: 10160, length: 5080)])
        let told = try IPPPrinter(uri: virtual.uri).status()
        #expect(told.mediaReady.isEmpty)
        #expect(told.mediaSizesReady == [LoadedMediaSize(width: 10160, length: 5080)])
        let store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        let small = try store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        let held = try #require(try store.printJobs().first { $0.id == small.id })
        #expect(held.state == "held")
        #expect(held.reason?.hasPrefix("101.6x50.8 mm loaded; lot-2x1 needs 2x1 in") == true, "\(String(describing: held.reason))")
        #expect(worker.mediaWarning == nil)
        #expect(virtual.received().isEmpty)

        // A roll as wide as the label is not a label of its length: still held.
        try virtual.restart(mediaSizes: [(width: 5080, length: nil)])
        #expect(try IPPPrinter(uri: virtual.uri).status().mediaSizesReady == [LoadedMediaSize(width: 5080, length: nil)])
        #expect(try worker.drain() == 0)
        let restated = try #require(try store.printJobs().first { $0.id == small.id })
        #expect(restated.state == "held")
        #expect(restated.reason?.hasPrefix("a 50.8 mm roll loaded; lot-2x1 needs 2x1 in") == true, "\(String(describing: restated.reason))")
        #expect(worker.mediaHolds["lot-2x1"]?.hasPrefix("a 50.8 mm roll loaded; lot-2x1 needs 2x1 in") == true, "\(worker.mediaHolds)")

        // 2x1 in stock loaded (51 x 25 mm as the printer rounds it): the label goes by itself.
        try virtual.restart(mediaSizes: [(width: 5100, length: 2500)])
        #expect(try worker.drain() == 1)
        #expect(worker.mediaHolds.isEmpty)
        #expect(try store.printJobs().first { $0.id == small.id }?.state == "completed")
        #expect(virtual.received().count == 1)
    }

    /// A printer that says nothing of its media is not second-guessed: its labels print, and
    /// the worker has a warning for the log.
    @Test func aPrinterThatReportsNoMediaPrintsWithAWarning() throws {
        let virtual = try VirtualLabelPrinter(media: [])
        let store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        _ = try store.queueReprint(lot.id, route: LabelRoute(printer: "dock", template: "lot-2x1"), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 1)
        #expect(worker.mediaHolds.isEmpty)
        #expect(worker.mediaWarning == "reports no loaded media; lot-2x1's 2x1 in cannot be checked", "\(String(describing: worker.mediaWarning))")
    }
}
