import LotboxLabels

/// One printer as the configuration names it: where it is, and what its labels look like.
public struct PrinterConfig: Sendable, Equatable {
    public var name: String
    /// An IPP printer by URI (ipp://host:port/ipp/print), a ZPL printer on its raw port
    /// (socket://host:9100), or nil for the CUPS queue `queue`.
    public var uri: String?
    public var queue: String?
    /// The CUPS server of `queue` ("host:port"; default: the system's).
    public var server: String?
    public var template: String
    public var dpi: Int
    public var copies: Int
    /// image/pwg-raster, image/png, application/pdf or application/vnd.zebra-zpl; nil picks
    /// from what the printer supports.
    public var format: String?
    /// Darkness, speed, offset, head width and compression: ZPL's, but the offset moves PWG and
    /// PDF labels too.
    public var zpl: ZPLSettings
    /// The most labels one job carries (CUPS queues and IPP printers; see `defaultBatchLabels`).
    public var batchLabels: Int
    /// Labels queued longer ago than this many minutes wait for a person's release instead of
    /// printing by themselves (`stale_after_minutes`; nil: they always print). After an outage
    /// a shop does not want hundreds of labels for lots long since shelved.
    public var staleAfterMinutes: Int?

    /// A batch is one job, up to 200 labels: enough that a CUPS queue, which starts a job at a
    /// time, drains at the printer's speed (a job's overhead is spread over 200 labels), and few
    /// enough that a job the printer cannot account for sends at most 200 labels again marked
    /// possible duplicates, that a 4x6 in 300 dpi batch stays a few MB in the spool, and that the
    /// first labels are marked printed while a long run is still going.
    public static let defaultBatchLabels = 200

    public init(name: String, uri: String? = nil, queue: String? = nil, server: String? = nil, template: String,
                dpi: Int = 203, copies: Int = 1, format: String? = nil, zpl: ZPLSettings = ZPLSettings(),
                batchLabels: Int = PrinterConfig.defaultBatchLabels, staleAfterMinutes: Int? = nil) {
        self.name = name
        self.uri = uri
        self.queue = queue
        self.server = server
        self.template = template
        self.dpi = dpi
        self.copies = copies
        self.format = format
        self.zpl = zpl
        self.batchLabels = batchLabels
        self.staleAfterMinutes = staleAfterMinutes
    }

    /// ZPL's media type: what LPrint and the configuration call it.
    public static let zplFormat = "application/vnd.zebra-zpl"

    /// A ZPL printer on its raw TCP port: no IPP, no job ids, ZPL only.
    public var isSocket: Bool { uri.map { $0.lowercased().hasPrefix("socket:") } ?? false }
}
