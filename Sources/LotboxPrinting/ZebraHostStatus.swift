/// A Zebra printer's answer to `~HS` (host status): three strings, each `<STX>…<ETX><CR><LF>`,
/// of comma-separated fields. Only the fields that say whether a label can print, and the label
/// length the printer measured, are kept.
public struct ZebraHostStatus: Sendable, Equatable {
    public var paperOut: Bool
    public var paused: Bool
    /// The label length the printer has set or measured, in dots.
    public var labelLengthDots: Int
    /// Formats received and not yet printed.
    public var formatsInBuffer: Int
    public var bufferFull: Bool
    public var underTemperature: Bool
    public var overTemperature: Bool
    public var headUp: Bool
    public var ribbonOut: Bool
    public var thermalTransfer: Bool
    /// 0 rewind, 1 peel-off, 2 tear-off, 3 cutter, 4 applicator ...
    public var printMode: Int
    public var labelsRemaining: Int

    /// The three strings, in order, once all three have arrived; nil until then (or for bytes
    /// that are not a `~HS` answer).
    public init?(_ bytes: [UInt8]) {
        var strings: [[Substring]] = []
        var current: [UInt8]?
        for byte in bytes {
            switch byte {
            case 0x02: current = []
            case 0x03:
                if let fields = current { strings.append(String(decoding: fields, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)) }
                current = nil
            default: current?.append(byte)
            }
        }
        guard strings.count >= 3, strings[0].count >= 12, strings[1].count >= 11 else { return nil }
        let first = strings[0], second = strings[1]
        func flag(_ field: Substring) -> Bool? { field == "1" ? true : field == "0" ? false : nil }
        guard let paperOut = flag(first[1]), let paused = flag(first[2]), let length = Int(first[3]),
              let formats = Int(first[4]), let bufferFull = flag(first[5]),
              let under = flag(first[10]), let over = flag(first[11]),
              let headUp = flag(second[2]), let ribbonOut = flag(second[3]), let thermal = flag(second[4]),
              let mode = Int(second[5]), let remaining = Int(second[8]) else { return nil }
        self.paperOut = paperOut
        self.paused = paused
        self.labelLengthDots = length
        self.formatsInBuffer = formats
        self.bufferFull = bufferFull
        self.underTemperature = under
        self.overTemperature = over
        self.headUp = headUp
        self.ribbonOut = ribbonOut
        self.thermalTransfer = thermal
        self.printMode = mode
        self.labelsRemaining = remaining
    }

    /// True once three `<ETX>`s have arrived: the whole answer.
    static func isComplete(_ bytes: [UInt8]) -> Bool { bytes.lazy.filter { $0 == 0x03 }.count >= 3 }

    /// The same conditions in IPP's words (printer-state-reasons), so `printer status`, the API
    /// and the queue treat a Zebra like any other printer. A ribbon is only missed in thermal
    /// transfer mode.
    public var reasons: [String] {
        var reasons: [String] = []
        if paperOut { reasons.append("media-empty-error") }
        if headUp { reasons.append("cover-open-error") }
        if ribbonOut && thermalTransfer { reasons.append("marker-supply-empty-error") }
        if paused { reasons.append("paused") }
        if bufferFull { reasons.append("spool-area-full-report") }
        if overTemperature { reasons.append("head-over-temperature-error") }
        if underTemperature { reasons.append("head-under-temperature-warning") }
        return reasons
    }

    /// A condition a person must fix before anything prints.
    public var stopsPrinting: Bool { paperOut || headUp || (ribbonOut && thermalTransfer) || paused || overTemperature }

    public var printerStatus: PrinterStatus {
        PrinterStatus(state: stopsPrinting ? "stopped" : (formatsInBuffer > 0 || labelsRemaining > 0) ? "processing" : "idle",
                      reasons: reasons, documentFormats: ["application/vnd.zebra-zpl"], resolutions: [], mediaReady: [],
                      isAcceptingJobs: true, labelLengthDots: labelLengthDots)
    }
}
