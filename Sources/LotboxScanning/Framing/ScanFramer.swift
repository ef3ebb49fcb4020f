import LotboxCore

/// Cuts a reader's byte stream into scans. A scan ends at a terminator (Enter, Tab, CR/LF) or,
/// with no terminator configured, when the scanner goes quiet. Licence data (AAMVA) contains
/// CR and LF itself, so once a scan starts like one the framer reads to the length its header
/// declares instead of stopping at the first line break.
public struct ScanFramer: Sendable {
    public let terminators: Set<UInt8>
    public let maximumLength: Int

    private var buffer: [UInt8] = []
    private var overflow = 0
    private var damage: String?
    private var readingLicence = false
    /// For licence data: the declared end once the header is in.
    private var licenceEnd: Int?

    public init(terminators: Set<UInt8>, maximumLength: Int = ScanRecognizer.maximumLength) {
        self.terminators = terminators
        self.maximumLength = maximumLength
    }

    /// True when part of a scan is waiting for its end.
    public var hasPending: Bool { !buffer.isEmpty || overflow > 0 || damage != nil }

    /// Feeds bytes; returns the scans they complete, in order.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [ScanFrame] where S.Element == UInt8 {
        var frames: [ScanFrame] = []
        for byte in bytes { feed(byte, into: &frames) }
        return frames
    }

    public mutating func feed(_ byte: UInt8, into frames: inout [ScanFrame]) {
        if readingLicence {
            append(byte)
            if licenceEnd == nil {
                switch AAMVALicence.declaredLength(buffer[...]) {
                case .none: return                       // header still arriving
                case .some(.none): return abandonLicence(into: &frames)
                case .some(.some(let end)): licenceEnd = end
                }
            }
            if let end = licenceEnd, buffer.count >= end { frames.append(finish()) }
            return
        }
        guard terminators.contains(byte) else { return append(byte) }
        // A line break right after "@" is the start of licence data, not the end of a scan.
        if buffer == [0x40], overflow == 0, byte == 0x0A || byte == 0x0D {
            readingLicence = true
            return append(byte)
        }
        if hasPending { frames.append(finish()) } // else: the LF of CR LF, or Enter on its own
    }

    /// Ends the scan in hand because the input stopped (timeout, end of file, device gone).
    /// With no terminator configured this is how every scan ends, and it is whole.
    public mutating func flush(reason: String) -> ScanFrame? {
        guard hasPending else { return nil }
        let whole = terminators.isEmpty && !readingLicence
        // A licence whose length could not be read (or was declared wrong) ends when the scanner goes quiet.
        let unmeasuredLicence = readingLicence && buffer.count >= 21
        if whole || unmeasuredLicence || damage != nil { return finish() }
        let frame = ScanFrame(bytes: buffer, problem: .incomplete(reason))
        reset()
        return frame
    }

    /// Marks the scan in hand as missing characters (the kernel dropped events).
    public mutating func markDamaged(_ reason: String) {
        damage = reason
    }

    private mutating func append(_ byte: UInt8) {
        if buffer.count < maximumLength { buffer.append(byte) } else { overflow += 1 }
    }

    private mutating func finish() -> ScanFrame {
        let problem: ScanFrame.Problem?
        if let damage { problem = .damaged(damage) }
        else if overflow > 0 { problem = .overlong(buffer.count + overflow) }
        else { problem = nil }
        let frame = ScanFrame(bytes: buffer, problem: problem)
        reset()
        return frame
    }

    /// A scan that began "@" and a line break but whose header is not a licence's: cut what
    /// arrived at its terminators after all.
    private mutating func abandonLicence(into frames: inout [ScanFrame]) {
        let pending = buffer
        let damaged = damage
        reset()
        damage = damaged
        for byte in pending {
            if terminators.contains(byte) {
                if hasPending { frames.append(finish()) }
            } else {
                append(byte)
            }
        }
    }

    private mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        overflow = 0
        damage = nil
        licenceEnd = nil
        readingLicence = false
    }
}
