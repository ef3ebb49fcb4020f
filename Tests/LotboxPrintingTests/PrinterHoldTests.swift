import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

/// An IPP printer that says it cannot print (here out of labels: ippeveprinter's job command
/// reports `STATE: +media-empty`) keeps its labels queued in lotbox, untouched, with the reason;
/// when it recovers (switched off and on) they print by themselves.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrinterHoldTests {
    @Test func aPrinterOutOfLabelsHoldsItsLabelsUntilItRecovers() throws {
        let script = try TemporaryFolder.make() + "/out-of-labels.sh"
        try "#!/bin/sh\necho 'STATE: +media-empty' >&2\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let virtual = try VirtualLabelPrinter(command: script)
        let store = try LotStore(path: try TemporaryFolder.make() + "/store.sqlite", create: true)
        let license = try store.addLicense(name: "Farm", code: "G-1", typeKey: "grower", actor: "t")
        let product = try store.addProduct(NewProduct(name: "Flower", typeKey: "Flower/Dry", packageType: .bulk), actor: "t")
        let first = try store.createLot(NewLot(licenseKey: license.id, productKey: product.id, qty: "1 g"), actor: "t")
        _ = try store.queueReprint(first.id, route: LabelRoute(printer: "dock", template: "lot-4x2"), actor: "t")
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-4x2"), store: store,
                                        templates: LabelPrinterWorkerTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 1)
        #expect(worker.holdReasons.isEmpty)
        #expect(try IPPPrinter(uri: virtual.uri).status().holdReasons.contains { $0.hasPrefix("media-empty") })
        // While things go well the worker asks at most every 2 s (LabelPrinterWorker.statusInterval);
        // wait that out so the next label meets the question.
        usleep(UInt32(LabelPrinterWorker.statusInterval * 1_000_000) + 200_000)
        let second = try store.queueReprint(first.id, route: LabelRoute(printer: "dock", template: "lot-4x2"), actor: "t")
        for _ in 0..<3 {
            #expect(try worker.drain() == 0)
            #expect(worker.holdReasons.contains { $0.hasPrefix("media-empty") }, "\(worker.holdReasons)")
        }
        let waiting = try #require(try store.printJobs().first { $0.id == second.id })
        #expect(waiting.state == "queued" && waiting.attempts == 0 && waiting.reason == nil, "\(waiting)")
        #expect(virtual.received().count == 1)
        // Switched off and on: it has labels again; the held label prints by itself.
        try virtual.restart()
        #expect(try worker.drain() == 1)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" })
        #expect(virtual.received().count == 2)
    }

    @Test func whatHoldsAPrinterIsReadFromItsStatus() {
        func status(_ state: String, _ reasons: [String], accepting: Bool = true) -> PrinterStatus {
            PrinterStatus(state: state, reasons: reasons, documentFormats: [], resolutions: [], mediaReady: [], isAcceptingJobs: accepting)
        }
        #expect(status("idle", []).holdReasons.isEmpty)
        #expect(status("idle", ["media-low-warning"]).holdReasons.isEmpty)
        #expect(status("processing", ["connecting-to-device"]).holdReasons == ["connecting-to-device"])
        #expect(status("idle", ["offline-report"]).holdReasons == ["offline-report"])
        #expect(status("stopped", ["cover-open-error", "media-low-warning"]).holdReasons == ["cover-open-error"])
        #expect(status("stopped", ["paused"]).holdReasons == ["paused"])
        #expect(status("stopped", []).holdReasons == ["stopped"])
        #expect(status("idle", [], accepting: false).holdReasons == ["not-accepting-jobs"])
        #expect(status("processing", ["timed-out-error", "media-jam-error"]).holdReasons == ["timed-out-error", "media-jam-error"])
    }
}
