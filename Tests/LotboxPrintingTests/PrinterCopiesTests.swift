import Foundation
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// A printer's `copies-supported` binds only the copies lotbox asks it for: a PNG label's (one
/// page, its copies the job's IPP copies) go as several jobs within the range; PWG carries its
/// copies as pages and asks for one, so the range does not limit it. Every copy asked for prints.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrinterCopiesTests {
    /// A real ippeveprinter that says it takes 1-4 copies a job, recording the copies each job
    /// asked for (ippeveprinter hands its command the job's attributes as IPP_* variables).
    func printer() throws -> (VirtualLabelPrinter, log: String) {
        let folder = try TemporaryFolder.make()
        let log = folder + "/copies.txt"
        let script = folder + "/record-copies.sh"
        try "#!/bin/sh\necho \"${IPP_COPIES:-1}\" >> '\(log)'\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        return (try VirtualLabelPrinter(command: script, moreAttributes: "ATTR rangeOfInteger copies-supported 1-4"), log)
    }

    func store() throws -> (LotStore, lot: String) {
        let store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let lot = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "3 g"), actor: "t")
        return (store, lot.id)
    }

    func asked(_ log: String) -> [Int] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
    }

    @Test func theStatusReadsTheRange() throws {
        let (virtual, _) = try printer()
        #expect(try IPPPrinter(uri: virtual.uri).status().copiesSupported == 1...4)
        // The standard test printer does not say: nothing is assumed.
        let plain = try VirtualLabelPrinter()
        #expect(try IPPPrinter(uri: plain.uri).status().copiesSupported == nil)
    }

    @Test func pngCopiesAboveTheRangeGoAsSeveralJobsWithinIt() throws {
        let (virtual, log) = try printer()
        let (store, lot) = try store()
        let queued = try store.queueReprint(lot, route: LabelRoute(printer: "dock", template: "lot-4x2", copies: 10), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-4x2", format: "image/png"),
                                        store: store, templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 3)
        let jobs = try store.printJobs()
        #expect(jobs.map(\.copies) == [4, 4, 2], "\(jobs)")
        #expect(jobs.first?.id == queued.id)
        #expect(jobs.nonEmptyAllSatisfy { $0.state == "completed" && $0.objectId == lot }, "\(jobs)")
        // What the printer was asked: three jobs, each within 1-4, ten copies in all.
        #expect(asked(log) == [4, 4, 2])
        #expect(virtual.received().count == 3)
        #expect(virtual.received().nonEmptyAllSatisfy { $0.hasSuffix(".png") }, "\(virtual.received())")
    }

    @Test func pwgCopiesArePagesAndTheRangeDoesNotLimitThem() throws {
        let (virtual, log) = try printer()
        let (store, lot) = try store()
        _ = try store.queueReprint(lot, route: LabelRoute(printer: "dock", template: "lot-4x2", copies: 10), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-4x2", format: "image/pwg-raster"),
                                        store: store, templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 1)
        #expect(try store.printJobs().map(\.copies) == [10])
        #expect(asked(log) == [1])
        #expect(try virtual.receivedPages().count == 10)
    }
}
