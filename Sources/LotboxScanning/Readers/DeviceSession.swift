/// What a reader knows about the device it has open: for evdev, the half-read event record,
/// the keyboard state and whether events are being dropped. Made fresh each time the device
/// is opened, so a reopened scanner starts with no stuck Shift.
struct DeviceSession {
    let kind: ScannerConfig.Kind
    private var parser = InputEventParser()
    private let keyboard: KeyboardDecoder?
    /// Between SYN_DROPPED and the next SYN_REPORT every event is discarded (evdev's rule).
    private var dropping = false

    init(config: ScannerConfig) throws(ScannerError) {
        kind = config.kind
        keyboard = config.kind == .evdev
            ? try KeyboardDecoder(layout: KeyboardLayout(layout: config.layout, variant: config.variant)) : nil
    }

    /// Cuts scans from a chunk read off the device, each with the time of the key event that
    /// ended it (for evdev; nil for byte streams).
    mutating func frames(from chunk: UnsafeRawBufferPointer, framer: inout ScanFramer) -> [(frame: ScanFrame, keyMicros: Int64?)] {
        guard let keyboard else { return framer.feed(chunk).map { ($0, nil) } }
        var frames: [ScanFrame] = []
        var timed: [(frame: ScanFrame, keyMicros: Int64?)] = []
        for event in parser.events(in: chunk) {
            switch event.type {
            case InputEventParser.synchronize where event.code == InputEventParser.synDropped:
                dropping = true
                framer.markDamaged("the kernel dropped key events (SYN_DROPPED); scan again")
                keyboard.reset()
            case InputEventParser.synchronize where event.code == InputEventParser.synReport:
                dropping = false
            case InputEventParser.key where !dropping:
                for byte in keyboard.key(code: event.code, value: event.value) {
                    framer.feed(byte, into: &frames)
                }
                timed += frames.map { ($0, event.micros) }
                frames.removeAll(keepingCapacity: true)
            default:
                break
            }
        }
        return timed
    }

    /// Forgets a half-typed scan's keyboard state (a scan abandoned mid-way).
    mutating func reset() {
        keyboard?.reset()
        dropping = false
    }
}
