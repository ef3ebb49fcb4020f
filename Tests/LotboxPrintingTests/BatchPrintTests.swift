import Foundation
import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import LotboxStore
import LotboxTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A batch is one job: the labels due at a CUPS queue or an IPP printer go as one document, every
/// label tracked. Real parts: a private cupsd with a raw queue to the ZD420 stand-in, and
/// ippeveprinter; what arrived is read back by zebrafy or libcups' raster reader and scanned by
/// zbar and zxing-cpp.
@Suite(.serialized, .timeLimit(.minutes(10))) struct BatchPrintTests {
    static let templates = IPPPrinterTests.templates

    /// Drains until every job is completed (a CUPS queue reports its jobs' ends on later passes,
    /// and a retry waits out its backoff), or `seconds` pass.
    static func drainUntilPrinted(_ worker: LabelPrinterWorker, _ store: LotStore, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            _ = try worker.drain()
            if try store.printJobs(limit: 10_000).nonEmptyAllSatisfy({ $0.state == "completed" }) { return }
            usleep(100_000)
        }
    }

    /// The QR codes zbar reads on each label of a ZPL job, in order (zebrafy renders the ^GFA fields).
    static func scanned(_ zpl: [UInt8]) throws -> [String] {
        var read: [String] = []
        for png in try RealDecoder.zplImages(zpl, dpi: 203) { read += try RealDecoder.zbar(png).filter { $0.hasPrefix("QR-Code:") } }
        return read
    }

    @Test func twoHundredLotsGoThroughARawCupsQueueAsOneJob() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri)
        let (store, ids) = try SocketPrinterTests.storeWithLots(200)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let config = PrinterConfig(name: "zebra", queue: "Zebra_Raw", server: cups.server, template: "lot-2x1", format: PrinterConfig.zplFormat,
                                   zpl: ZPLSettings(compression: .acs))
        let worker = LabelPrinterWorker(config: config, store: store, templates: BatchPrintTests.templates, timeZone: .utc)
        // cupsd takes the whole batch at once.
        #expect(try worker.drain() == 200)
        try BatchPrintTests.drainUntilPrinted(worker, store, seconds: 60)
        let jobs = try store.printJobs(limit: 1000)
        #expect(jobs.count == 200 && jobs.nonEmptyAllSatisfy { $0.state == "completed" && !$0.possibleDuplicate })
        // One CUPS job: one batch, one job id, every label in its place.
        let batch = try #require(jobs.first?.batchId)
        #expect(jobs.nonEmptyAllSatisfy { $0.batchId == batch && $0.cupsJobId == jobs[0].cupsJobId })
        #expect(try store.printBatchLabels(batch).map(\.printJobId) == jobs.map(\.id))
        #expect(try store.printBatch(batch)?.state == "completed")
        // One connection at the printer, every label in it once, in order.
        let received = zebra.waitForJobs(1, seconds: 10)
        #expect(received.count == 1)
        let job = try #require(received.first)
        #expect(String(decoding: job, as: UTF8.self).components(separatedBy: "^XA").count - 1 == 200)
        let read = try BatchPrintTests.scanned(job)
        #expect(read == ids.map { "QR-Code:\($0)" })
        // zxing-cpp agrees on the first and the last label.
        let images = try RealDecoder.zplImages(job, dpi: 203)
        for index in [0, images.count - 1] {
            #expect(try RealDecoder.zxing(images[index]).map(\.text) == [ids[index]])
        }
    }

    /// PWG raster to an IPP printer: one multi-page document, each label's copies pages of their
    /// own, under the batch's job name.
    @Test func aBatchIsOneMultiPageDocumentAtAnIPPPrinter() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let (store, ids) = try SocketPrinterTests.storeWithLots(6)
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1", copies: 2)])
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: BatchPrintTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 6)
        let jobs = try store.printJobs()
        #expect(jobs.nonEmptyAllSatisfy { $0.state == "completed" && $0.cupsJobId != nil && $0.batchId == jobs[0].batchId })
        let files = virtual.received()
        #expect(files.count == 1)
        let file = try #require(files.first)
        // ippeveprinter lower-cases the job name in its spool file name; ULIDs ignore case.
        #expect(file.lowercased().hasSuffix("-lotbox-\((jobs[0].batchId ?? "").lowercased()).pwg"), "\(file)")
        let pages = try virtual.receivedPages().map(\.page)
        #expect(pages.count == 12)
        var read: [String] = []
        for (index, page) in pages.enumerated() {
            read += try RealDecoder.zbar(try RealDecoder.write(page, dpi: 203, name: "batch-\(index)")).filter { $0.hasPrefix("QR-Code:") }
        }
        #expect(read == ids.flatMap { ["QR-Code:\($0)", "QR-Code:\($0)"] })
        #expect(try RealDecoder.zxing(try RealDecoder.write(pages[11], dpi: 203, name: "batch-last")).map(\.text) == [ids[5]])
        // Nothing more to print, nothing printed twice.
        #expect(try worker.drain() == 0)
        #expect(virtual.received().count == 1)
    }

    /// PDF, page by page: cairo hands back each label's page as it is drawn, so most of a
    /// 200-page document has left before its end (the fonts and cross-reference come last) and a
    /// batch is never whole in memory.
    @Test func aPDFIsWrittenAPageAtATime() throws {
        let template = try TemplateLoader.load("lot-2x1", from: BatchPrintTests.templates)
        let label = try LabelLayout.layOut(template, data: SampleLabelData.lot, dpi: 203).get()
        let writer = try PDFStreamWriter(first: label)
        var takes: [Int] = []
        for _ in 0..<200 {
            writer.write(label)
            takes.append(writer.takeWritten().count)
        }
        let tail = try writer.finish().count
        let streamed = takes.reduce(0, +)
        #expect(takes.filter { $0 > 0 }.count >= 199, "pages that left as drawn: \(takes.filter { $0 > 0 }.count) of 200")
        #expect(streamed >= 9 * tail, "\(streamed) bytes as the pages were drawn, \(tail) at the end")
    }

    /// A PDF batch to a printer that takes PDF: one job, one document of a page a label copy,
    /// read back by poppler and scanned by zbar.
    @Test func aPDFBatchIsOneDocumentOfAPageALabelCopy() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne], formats: ["application/pdf", "image/pwg-raster"])
        let (store, ids) = try SocketPrinterTests.storeWithLots(5)
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1", copies: 2)])
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1", format: "application/pdf"),
                                        store: store, templates: BatchPrintTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 5)
        #expect(try store.printJobs().nonEmptyAllSatisfy { $0.state == "completed" })
        let files = virtual.received()
        #expect(files.count == 1, "\(files)")
        let file = try #require(files.first)
        let info = try RealDecoder.run("/usr/bin/pdfinfo", [file])
        #expect(info.out.split(separator: "\n").contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 10") }, "\(info.out)\(info.err)")
        let folder = try TemporaryFolder.make()
        let raster = try RealDecoder.run("/usr/bin/pdftoppm", ["-r", "203", "-mono", file, folder + "/page"])
        #expect(raster.status == 0, "\(raster.err)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pbm") }.sorted()
        #expect(pages.count == 10)
        var read: [String] = []
        for page in pages { read += try RealDecoder.zbar(folder + "/" + page).filter { $0.hasPrefix("QR-Code:") } }
        #expect(read == ids.flatMap { ["QR-Code:\($0)", "QR-Code:\($0)"] })
    }

    /// An IPP printer that counts pages stops part-way (a jam after 3 labels): the 3 are done,
    /// only the other 5 are printed again, not marked duplicates.
    @Test func anIPPJobStoppedPartWayReprintsOnlyTheRest() throws {
        let folder = try TemporaryFolder.make()
        // ippeveprinter runs this for each job: the first reports 3 pages done and fails.
        let script = folder + "/jam-once.sh"
        try """
            #!/bin/sh
            if [ ! -e "\(folder)/jammed" ]; then
              touch "\(folder)/jammed"
              echo "ATTR: job-impressions-completed=3" >&2
              exit 1
            fi
            exit 0
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let virtual = try VirtualLabelPrinter(command: script, media: [VirtualLabelPrinter.twoByOne])
        let (store, ids) = try SocketPrinterTests.storeWithLots(8)
        try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1")])
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: BatchPrintTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 0)
        let stopped = try store.printJobs()
        #expect(stopped.map(\.state) == Array(repeating: "completed", count: 3) + Array(repeating: "queued", count: 5), "\(stopped)")
        #expect(stopped.nonEmptyAllSatisfy { !$0.possibleDuplicate })
        #expect(stopped[3].reason?.contains("as aborted") == true && stopped[3].reason?.contains("after 3 of 8") == true, "\(stopped[3])")
        let first = try #require(stopped[0].batchId)
        #expect(try store.printBatch(first)?.state == "stopped" && store.printBatch(first)?.impressionsCompleted == 3)
        try BatchPrintTests.drainUntilPrinted(worker, store, seconds: 30)
        let done = try store.printJobs()
        #expect(done.nonEmptyAllSatisfy { $0.state == "completed" && !$0.possibleDuplicate })
        #expect(done.dropFirst(3).nonEmptyAllSatisfy { $0.batchId != first && $0.batchId == done[3].batchId })
        // The second document holds exactly the five labels the printer did not finish.
        let files = virtual.received()
        #expect(files.count == 2)
        let second = try PWGRaster.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: try #require(files.last)))))
        var read: [String] = []
        for (index, page) in second.enumerated() {
            read += try RealDecoder.zbar(try RealDecoder.write(page, dpi: 203, name: "rest-\(index)")).filter { $0.hasPrefix("QR-Code:") }
        }
        #expect(read == ids.dropFirst(3).map { "QR-Code:\($0)" })
    }

    /// The Zebra behind a raw queue drops the connection part-way (the queue's error policy is
    /// abort-job): raw ZPL is one impression, so every label of the job is sent again in a new
    /// one, marked a possible duplicate, and each arrives whole.
    @Test func aRawQueueJobCutOffPartWayIsSentAgainAsPossibleDuplicates() throws {
        let zebra = try ZebraListener()
        defer { zebra.stop() }
        // Hexadecimal ZPL, 20 kB a label: far more than the socket buffers hold when the link drops.
        zebra.set { $0.resetAfterBytes = 30_000 }
        let cups = try PrivateCups()
        try cups.addRawQueue("Zebra_Raw", uri: zebra.uri, errorPolicy: "abort-job")
        let (store, ids) = try SocketPrinterTests.storeWithLots(200)
        try store.queueNewLots(routes: [LabelRoute(printer: "zebra", template: "lot-2x1")])
        let config = PrinterConfig(name: "zebra", queue: "Zebra_Raw", server: cups.server, template: "lot-2x1", format: PrinterConfig.zplFormat)
        let worker = LabelPrinterWorker(config: config, store: store, templates: BatchPrintTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 200)
        let first = try #require(try store.printJobs().first?.batchId)
        // cupsd aborts the job; lotbox notices on a later pass.
        let deadline = Date().addingTimeInterval(60)
        while try store.printBatch(first)?.state == "submitted" && Date() < deadline {
            usleep(200_000)
            _ = try worker.drain()
        }
        let cut = try #require(try store.printBatch(first))
        #expect(cut.state == "stopped", "\(cut)")
        #expect(cut.reason?.contains("as aborted") == true && cut.reason?.contains("possibly twice") == true, "\(cut)")
        let requeued = try store.printJobs(limit: 1000)
        #expect(requeued.nonEmptyAllSatisfy { ($0.state == "queued" || $0.state == "submitted") && $0.possibleDuplicate }, "\(requeued.prefix(2))")
        let partial = try #require(zebra.received.first)
        #expect(partial.count < 200 * 20_000)
        zebra.set { $0.resetAfterBytes = nil }
        try BatchPrintTests.drainUntilPrinted(worker, store, seconds: 60)
        let done = try store.printJobs(limit: 1000)
        #expect(done.nonEmptyAllSatisfy { $0.state == "completed" && $0.possibleDuplicate && $0.batchId != first })
        // The cut connection, then the job sent again whole: every label in it once, in order. (A
        // connection that cupsd's socket backend itself opens again after the cut carries part of
        // the first job at most; it is never whole.)
        let received = zebra.waitForJobs(2, seconds: 10)
        let ends = received.map { String(decoding: $0, as: UTF8.self).components(separatedBy: "^XZ").count - 1 }
        #expect(ends.first.map { $0 < 200 } == true, "labels ended in each connection: \(ends)")
        let whole = received.filter { String(decoding: $0, as: UTF8.self).components(separatedBy: "^XZ").count - 1 == 200 }
        #expect(whole.count == 1, "labels ended in each connection: \(ends)")
        if let job = whole.first {
            #expect(try BatchPrintTests.scanned(job) == ids.map { "QR-Code:\($0)" })
        } else {
            Issue.record("no connection carried the whole job: \(ends)")
        }
    }

    /// After a crash: a batch the printer took whole is followed and never sent twice; one lotbox
    /// was still sending when it stopped may lack labels even if the printer completed it (a
    /// printer prints what reached it), so it is sent again marked a possible duplicate, as is one
    /// the printer does not know.
    @Test func aBatchInFlightAtACrashIsLookedUpByName() throws {
        let virtual = try VirtualLabelPrinter(media: [VirtualLabelPrinter.twoByOne])
        let (store, _) = try SocketPrinterTests.storeWithLots(4)
        let jobs = try store.queueNewLots(routes: [LabelRoute(printer: "dock", template: "lot-2x1")])
        let printer = try IPPPrinter(uri: virtual.uri)
        // Sent whole, recorded so; the crash came before lotbox saw the job end.
        let whole = try store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: jobs.prefix(2).map { ($0.id, 1) })
        let sent = try printer.submit(Array("raster".utf8), format: "image/pwg-raster", jobName: whole.jobName)
        try store.markPrintBatchSubmitted(whole.id, cupsJobID: sent)
        // The printer takes one job at a time.
        try VirtualLabelPrinter.wait("the printer to finish job \(sent)", seconds: 10) { (try? printer.job(sent).isFinal) == true }
        // The crash came while sending: the printer has a job under the batch's name, ended.
        let cut = try store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: [(jobs[2].id, 1)])
        let part = try printer.submit(Array("ras".utf8), format: "image/pwg-raster", jobName: cut.jobName)
        // And one never reached it.
        let lost = try store.startPrintBatch(printer: "dock", format: "image/pwg-raster", labels: [(jobs[3].id, 1)])
        for job in [sent, part] {
            try VirtualLabelPrinter.wait("the printer to finish job \(job)", seconds: 10) { (try? printer.job(job).isFinal) == true }
        }
        let worker = LabelPrinterWorker(config: PrinterConfig(name: "dock", uri: virtual.uri, template: "lot-2x1"), store: store,
                                        templates: BatchPrintTests.templates, timeZone: .utc)
        #expect(try worker.drain() == 2)
        let after = try store.printJobs()
        #expect(after.map(\.state) == ["completed", "completed", "completed", "completed"])
        #expect(after.map(\.possibleDuplicate) == [false, false, true, true])
        #expect(after[0].cupsJobId == sent && after[1].cupsJobId == sent)
        #expect(try store.printBatch(whole.id)?.state == "completed" && store.printBatch(lost.id)?.state == "abandoned")
        #expect(try store.printBatch(cut.id)?.state == "stopped" && store.printBatch(cut.id)?.reason?.contains("before lotbox had sent all of it") == true)
        #expect(virtual.received().count == 3)
    }
}
