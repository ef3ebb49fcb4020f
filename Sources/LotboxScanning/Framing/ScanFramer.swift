import LotboxCore

/// Cuts a reader's byte stream into scans. A scan ends at a terminator (Enter, Tab, CR/LF) or,
/// with no terminator configured, when the scanner goes quiet. Licence data contains line
/// breaks of its own, typed in more ways than a framer can tell from a scanner's Enter (LF,
/// CR, Ctrl+J, Ctrl+M, Alt+0010): so once a scan opens like a licence (`LicenceSignature.opens`)
/// the framer holds it until the scanner goes quiet, and none of its lines becomes a scan.
public struct ScanFramer: Sendable {
    public let terminators: Set<UInt8>
    public let maximumLength: Int

    private var buffer: [UInt8] = []
    private var overflow = 0
    private var damage: String?
    private var readingLicence = false

    public init(terminators: Set<UInt8>, maximumLength: Int = ScanRecognizer.maximumLength) {
        self.terminators = terminators
        self.maximumLength = maximumLength
    }

    /// True when part of a scan is waiting for its end.
    public var hasPending: Bool { !buffer.isEmpty || overflow > 0 || damage != nil }

    /// True while a scan that opened like a licence waits for the scanner to go quiet: the
    /// reader ends it with `flush` after its quiet gap, not at a terminator.
    public var isHoldingLicence: Bool { readingLicence }

    /// Feeds bytes; returns the scans they complete, in order.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [ScanFrame] where S.Element == UInt8 {
        var frames: [ScanFrame] = []
        for byte in bytes { feed(byte, into: &frames) }
        return frames
    }

    public mutating func feed(_ byte: UInt8, into frames: inout [ScanFrame]) {
        if readingLicence { return append(byte) }
        // At any line break (a terminator or not: a Tab-terminated scanner still sends a
        // licence's LF and CR), bytes that open a licence start the hold.
        if terminators.contains(byte) || LicenceSignature.isLineBreak(byte), opensLicence {
            readingLicence = true
            return append(byte)
        }
        guard terminators.contains(byte) else { return append(byte) }
        if hasPending { frames.append(finish()) } // else: the LF of CR LF, or Enter on its own
    }

    /// Ends the scan in hand because the input stopped (a quiet gap, timeout, end of file,
    /// device gone). With no terminator configured this is how every scan ends, and it is whole;
    /// so is held licence data, which ends only this way.
    public mutating func flush(reason: String) -> ScanFrame? {
        guard hasPending else { return nil }
        if terminators.isEmpty || readingLicence || damage != nil || opensLicence { return finish() }
        let frame = ScanFrame(bytes: buffer, problem: .incomplete(reason))
        reset()
        return frame
    }

    /// Marks the scan in hand as missing characters (the kernel dropped events).
    public mutating func markDamaged(_ reason: String) {
        damage = reason
    }

    private var opensLicence: Bool {
        !buffer.isEmpty && overflow == 0 && (LicenceSignature.opens(buffer) || LicenceSignature.matches(buffer))
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

    private mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        overflow = 0
        damage = nil
        readingLicence = false
    }
}
