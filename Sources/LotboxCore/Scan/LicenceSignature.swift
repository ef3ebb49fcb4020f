/// Whether bytes are (or may be) licence data, decided from what they say rather than from how
/// a reader cut them: a scanner with the AIM prefix on, a keyboard wedge that types LF as Ctrl+J
/// or Alt+0010, a version 1 header or a jurisdiction's own layout all still carry either the
/// AAMVA header or the standard's element ids at the start of lines.
public enum LicenceSignature {
    /// AAMVA element ids common to every version of the standard: names, dates, address, number.
    static let elementNames: [String] = [
        "DAA", "DAB", "DAC", "DAD", "DAE", "DAF", "DAG", "DAH", "DAI", "DAJ", "DAK", "DAL", "DAM", "DAN", "DAO",
        "DAP", "DAQ", "DAR", "DAS", "DAT", "DAU", "DAV", "DAW", "DAX", "DAY", "DAZ", "DBA", "DBB", "DBC", "DBD",
        "DBE", "DBF", "DBG", "DBH", "DBI", "DBJ", "DBK", "DBL", "DBM", "DBN", "DBO", "DBP", "DBQ", "DBR", "DBS",
        "DCA", "DCB", "DCD", "DCE", "DCF", "DCG", "DCH", "DCI", "DCJ", "DCK", "DCL", "DCM", "DCN", "DCO", "DCP",
        "DCQ", "DCR", "DCS", "DCT", "DCU", "DDA", "DDB", "DDC", "DDD", "DDE", "DDF", "DDG", "DDH", "DDI", "DDJ", "DDK", "DDL",
    ]
    /// The ids packed three bytes to an integer: looked up at every line start of every scan.
    static let elementIDs: Set<UInt32> = Set(elementNames.map { pack(Array($0.utf8)[...]) })

    static func pack(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.reduce(0) { $0 << 8 | UInt32($1) } }

    /// How many distinct element ids at line starts make bytes a licence without a header: one
    /// or two turn up by chance in other text, three do not.
    public static let elementThreshold = 3

    /// LF and CR however they were typed (Ctrl+J and Alt+0010 arrive as LF, Ctrl+M as CR), and
    /// the record separator that follows the compliance indicator.
    public static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D || byte == 0x1E }

    /// True when `bytes` hold the AAMVA header (`ANSI ` or `AAMVA` and a 6-digit issuer) anywhere,
    /// or at least three distinct element ids each at the start of the bytes or of a line.
    public static func matches<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let array = Array(bytes)
        return headerOffset(array) != nil || elementCount(array, stoppingAt: elementThreshold) >= elementThreshold
    }

    /// Where the issuer number starts, after `ANSI ` or `AAMVA`, when the header is there.
    public static func headerOffset(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 11 else { return nil }
        let ansi = Array("ANSI ".utf8), aamva = Array("AAMVA".utf8)
        for start in 0...(bytes.count - 11) where bytes[start] == 0x41 {
            let tag = bytes[start..<(start + 5)]
            guard tag.elementsEqual(ansi) || tag.elementsEqual(aamva) else { continue }
            if bytes[(start + 5)..<(start + 11)].allSatisfy(isDigit) { return start + 5 }
        }
        return nil
    }

    /// Distinct known element ids at line starts (a subfile's `DL`/`ID`/`ZC` type may come first).
    static func elementCount(_ bytes: [UInt8], stoppingAt limit: Int = .max) -> Int {
        var seen: Set<UInt32> = []
        for start in lineStarts(bytes) {
            if let id = elementID(bytes, at: start) {
                seen.insert(id)
                if seen.count >= limit { break }
            }
        }
        return seen.count
    }

    /// The offsets of each line's first byte.
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = bytes.isEmpty ? [] : [0]
        for index in bytes.indices where isLineBreak(bytes[index]) && index + 1 < bytes.count && !isLineBreak(bytes[index + 1]) {
            starts.append(index + 1)
        }
        return starts
    }

    /// The known element id at `start` (after an optional subfile type), if there is one.
    static func elementID(_ bytes: [UInt8], at start: Int) -> UInt32? {
        // Every id starts with "D": most lines are passed over on their first byte.
        guard start < bytes.count, bytes[start] == 0x44 || bytes[start] == 0x49 || bytes[start] == 0x5A else { return nil }
        for skip in [0, 2] where start + skip + 3 <= bytes.count {
            if skip == 2 {
                let type = pack(bytes[start..<(start + 2)])
                guard subfileTypes.contains(type) else { continue }
            }
            let id = pack(bytes[(start + skip)..<(start + skip + 3)])
            if elementIDs.contains(id) { return id }
        }
        return nil
    }

    /// "DL", "ID", "ZC", "ZA": a subfile's type before its first element.
    static let subfileTypes: Set<UInt32> = Set(["DL", "ID", "ZC", "ZA"].map { pack(Array($0.utf8)[...]) })

    /// True when the bytes so far open licence data, so a reader must hold its framing: the
    /// compliance indicator `@` (after an AIM prefix or not), the header, or a first line that
    /// starts with an element id. No code lotbox reads starts any of these ways.
    public static func opens<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let array = Array(bytes)
        var body = array[...]
        if AIMIdentifier.split(array).0 != nil { body = array.dropFirst(3) }
        if body.first == 0x40 { return true }
        return headerOffset(array) != nil || elementID(Array(body), at: 0) != nil
    }

    /// True when bytes that are not a whole code of another kind may still hold a person's
    /// data: a licence, one opened but cut short, or a PDF417 (`]L`) scan.
    public static func mayHold<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let array = Array(bytes)
        return opensOrIsPDF417(array) || matches(array)
    }

    /// `opens`, or a PDF417 AIM prefix (`]L`): for bytes already known not to `match`.
    public static func opensOrIsPDF417(_ bytes: [UInt8]) -> Bool {
        AIMIdentifier.split(bytes).0?.code == "L" || opens(bytes)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
