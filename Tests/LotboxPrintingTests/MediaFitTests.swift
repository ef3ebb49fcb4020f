import LotboxLabels
import LotboxPrintService
import LotboxPrinting
import Testing

/// The one rule for whether a template fits the loaded media (MediaFit), on the shipped templates.
@Suite(.timeLimit(.minutes(5))) struct MediaFitTests {
    func template(_ name: String) throws -> LabelTemplate { try TemplateLoader.load(name, from: LabelPrinterWorkerTests.templates) }
    func ipp(_ media: [String]) -> PrinterStatus {
        PrinterStatus(state: "idle", reasons: [], documentFormats: [], resolutions: [], mediaReady: media, isAcceptingJobs: true)
    }
    func zebra(_ dots: Int) -> PrinterStatus {
        PrinterStatus(state: "idle", reasons: [], documentFormats: [], resolutions: [], mediaReady: [], isAcceptingJobs: true, labelLengthDots: dots)
    }

    @Test func labelsNeedTheirSizeWhateverTheName() throws {
        #expect(MediaFit.of(try template("lot-2x1"), on: ipp(["oe_2x1-label_2x1in"]), dpi: 203) == .fits)
        // Another name for the same stock, and one roll among several loaded.
        #expect(MediaFit.of(try template("package-4x6"), on: ipp(["oe_4x6-label_4x6in"]), dpi: 203) == .fits)
        #expect(MediaFit.of(try template("lot-2x1"), on: ipp(["na_index-4x6_4x6in", "om_2x1-label_50.8x25.4mm"]), dpi: 300) == .fits)
        #expect(MediaFit.of(try template("lot-2x1"), on: ipp(["na_index-4x6_4x6in"]), dpi: 203) == .mismatch("4x6 in loaded; lot-2x1 needs 2x1 in"))
        #expect(MediaFit.of(try template("lot-4x2"), on: ipp(["oe_4x6-label_4x6in", "oe_2x1-label_2x1in"]), dpi: 203)
                    == .mismatch("4x6 in, 2x1 in loaded; lot-4x2 needs 4x2 in"))
        #expect(MediaFit.of(try template("lot-4x2"), on: ipp([]), dpi: 203) == .unknown("reports no loaded media; lot-4x2's 4x2 in cannot be checked"))
    }

    @Test func aRollFitsARollOfItsWidthAnyLength() throws {
        let receipt = try template("receipt")
        #expect(MediaFit.of(receipt, on: ipp(["roll_current_80x3276mm"]), dpi: 203) == .fits)
        #expect(MediaFit.of(receipt, on: ipp(["roll_current_72x100mm"]), dpi: 203) == .fits)
        #expect(MediaFit.of(receipt, on: ipp(["roll_current_58x3276mm"]), dpi: 203) == .mismatch("58x3276 mm loaded; receipt needs a 72-82 mm wide roll"))
        #expect(MediaFit.of(receipt, on: ipp(["oe_4x2-label_4x2in"]), dpi: 203) == .mismatch("4x2 in loaded; receipt needs a 72-82 mm wide roll"))
        // A Zebra's ~HS says only the label length: a roll is not judged by it.
        #expect(MediaFit.of(receipt, on: zebra(406), dpi: 203) == .fits)
    }

    @Test func aZebraIsJudgedByTheLabelLengthItMeasures() throws {
        #expect(MediaFit.of(try template("lot-2x1"), on: zebra(203), dpi: 203) == .fits)
        #expect(MediaFit.of(try template("lot-2x1"), on: zebra(208), dpi: 203) == .fits)
        #expect(MediaFit.of(try template("lot-2x1"), on: zebra(406), dpi: 203)
                    == .mismatch("labels 2 in long loaded (406 dots at 203 dpi); lot-2x1 needs 2x1 in"))
        #expect(MediaFit.of(try template("lot-4x2"), on: zebra(600), dpi: 300) == .fits)
        #expect(MediaFit.of(try template("lot-4x2"), on: zebra(300), dpi: 300)
                    == .mismatch("labels 1 in long loaded (300 dots at 300 dpi); lot-4x2 needs 4x2 in"))
    }
}
