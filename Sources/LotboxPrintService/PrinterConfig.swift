/// One printer as the configuration names it: where it is, and what its labels look like.
public struct PrinterConfig: Sendable, Equatable {
    public var name: String
    /// An IPP printer by URI (ipp://host:port/ipp/print), or nil for the CUPS queue `queue`.
    public var uri: String?
    public var queue: String?
    /// The CUPS server of `queue` ("host:port"; default: the system's).
    public var server: String?
    public var template: String
    public var dpi: Int
    public var copies: Int
    /// image/pwg-raster, image/png or application/pdf; nil picks from what the printer supports.
    public var format: String?

    public init(name: String, uri: String? = nil, queue: String? = nil, server: String? = nil, template: String,
                dpi: Int = 203, copies: Int = 1, format: String? = nil) {
        self.name = name
        self.uri = uri
        self.queue = queue
        self.server = server
        self.template = template
        self.dpi = dpi
        self.copies = copies
        self.format = format
    }
}
