/// What a printer says about itself: enough to choose a document format and to tell a person
/// why nothing is coming out.
public struct PrinterStatus: Sendable, Equatable {
    /// idle, processing or stopped (IPP printer-state 3, 4, 5).
    public var state: String
    /// printer-state-reasons without "none": media-empty, media-jam, cover-open, offline-report, paused...
    public var reasons: [String]
    public var documentFormats: [String]
    public var resolutions: [Int]
    public var mediaReady: [String]
    /// The sizes of the loaded media from IPP `media-col-ready`, which a printer may report
    /// beside `media-ready` or instead of it.
    public var mediaSizesReady: [LoadedMediaSize]
    public var isAcceptingJobs: Bool
    /// The label length a Zebra reports in its `~HS` answer, in dots; nil for IPP printers.
    public var labelLengthDots: Int?
    /// The copies one job may ask the printer for (IPP `copies-supported`); nil where it does not
    /// say. It binds only where lotbox asks for copies (a PNG label, one page): other formats carry
    /// their copies as pages or `^PQ` and ask for one.
    public var copiesSupported: ClosedRange<Int>?

    public init(state: String, reasons: [String], documentFormats: [String], resolutions: [Int], mediaReady: [String],
                isAcceptingJobs: Bool, labelLengthDots: Int? = nil, copiesSupported: ClosedRange<Int>? = nil,
                mediaSizesReady: [LoadedMediaSize] = []) {
        self.state = state
        self.reasons = reasons
        self.documentFormats = documentFormats
        self.resolutions = resolutions
        self.mediaReady = mediaReady
        self.mediaSizesReady = mediaSizesReady
        self.isAcceptingJobs = isAcceptingJobs
        self.labelLengthDots = labelLengthDots
        self.copiesSupported = copiesSupported
    }

    /// The conditions (reasons without their severity) under which a printer cannot print:
    /// its labels wait until they clear. offline, connecting-to-device and timed-out are how
    /// IPP printers and CUPS queues report a device they cannot reach.
    public static let holdingConditions: Set<String> = [
        "media-empty", "media-jam", "media-needed", "cover-open", "door-open", "paused", "offline",
        "connecting-to-device", "timed-out", "shutdown", "input-tray-missing", "output-area-full",
    ]

    /// Why the printer cannot print now, as it says it (its reasons, with their severity); empty
    /// when it can. A stopped printer or queue (a CUPS queue disabled, by a person or by its
    /// error policy) and one not accepting jobs hold too, whatever their reasons.
    public var holdReasons: [String] {
        var held = zip(reasons, conditions).filter { Self.holdingConditions.contains($0.1) }.map(\.0)
        if state == "stopped" && held.isEmpty { held.append(reasons.first ?? "stopped") }
        if !isAcceptingJobs { held.append("not-accepting-jobs") }
        return held
    }

    /// The reasons without their severity suffix (-report, -warning, -error): "media-empty".
    public var conditions: [String] {
        reasons.map { reason in
            for suffix in ["-report", "-warning", "-error"] where reason.hasSuffix(suffix) {
                return String(reason.dropLast(suffix.count))
            }
            return reason
        }
    }
}

/// One loaded medium's size as IPP's `media-size` gives it, in hundredths of a millimetre.
public struct LoadedMediaSize: Sendable, Equatable {
    public var width: Int
    /// nil for a roll, whose length is a range (`y-dimension` as rangeOfInteger).
    public var length: Int?

    public init(width: Int, length: Int?) {
        self.width = width
        self.length = length
    }
}

/// A job as the printer sees it.
public struct JobStatus: Sendable, Equatable {
    /// pending, pending-held, processing, processing-stopped, canceled, aborted, completed (IPP job-state 3-9).
    public var state: String
    public var reasons: [String]
    /// Pages (impressions) the printer says it finished, where it reports them
    /// (job-impressions-completed); a job of several labels is settled label by label from it.
    public var impressionsCompleted: Int?

    public init(state: String, reasons: [String], impressionsCompleted: Int? = nil) {
        self.state = state
        self.reasons = reasons
        self.impressionsCompleted = impressionsCompleted
    }

    /// The job will not change any more.
    public var isFinal: Bool { ["canceled", "aborted", "completed"].contains(state) }
}
