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

    public init(name: String, uri: String? = nil, queue: String? = nil, server: String? = nil, template: String,
                dpi: Int = 203, copies: Int = 1, format: String? = nil, zpl: ZPLSettings = ZPLSettings()) {
        self.name = name
        self.uri = uri
        self.queue = queue
        self.server = server
        self.template = template
        self.dpi = dpi
        self.copies = copies
        self.format = format
        self.zpl = zpl
    }

    /// ZPL's media type: what LPrint and the configuration call it.
    public static let zplFormat = "application/vnd.zebra-zpl"

    /// A ZPL printer on its raw TCP port: no IPP, no job ids, ZPL only.
    public var isSocket: Bool { uri.map { $0.lowercased().hasPrefix("socket:") } ?? false }
}
