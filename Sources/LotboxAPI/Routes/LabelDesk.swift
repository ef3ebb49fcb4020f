/// The label side of `lotbox serve`, as the API reaches it: its printers, their states, and a
/// lot's label rendered from a template. The executable wires it in, so this module does not
/// know templates, renderers or libcups.
public protocol LabelDesk: Sendable {
    var printers: [PrinterSummary] { get }
    /// Asks each printer how it is (blocks: a network round trip each).
    func printerStates() -> [String: PrinterState]
    /// A lot's label as PNG or PDF (blocks: store read and render).
    func render(lot: String, template: String?, format: String) throws -> (bytes: [UInt8], contentType: String)
    /// Why each printer holds its labels now (empty: it prints), as its worker last saw it.
    /// Does not block: /events asks it on every poll.
    func printerHolds() -> [String: [String]]
}

extension LabelDesk {
    public func printerHolds() -> [String: [String]] { [:] }
}

public struct PrinterSummary: Sendable, Equatable {
    public let name: String
    public let template: String
    public let dpi: Int

    public init(name: String, template: String, dpi: Int) {
        self.name = name
        self.template = template
        self.dpi = dpi
    }
}

public struct PrinterState: Sendable, Equatable {
    public let state: String
    public let reasons: [String]

    public init(state: String, reasons: [String]) {
        self.state = state
        self.reasons = reasons
    }
}
