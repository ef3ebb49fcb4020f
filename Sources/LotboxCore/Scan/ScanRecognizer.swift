/// Turns the bytes of one scan into a typed code, or a rejection with its reason. Pure and
/// total: any input at all (random bytes, half a code, a novel) gets an answer, never a crash.
public enum ScanRecognizer {
    /// Longer than any code lotbox reads (a licence is under 1 KB, a PDF417 at most ~1.8 KB).
    public static let maximumLength = 4096

    public static func recognize(_ bytes: [UInt8]) -> Result<Recognition, ScanRejection> {
        do throws(ScanRejection) {
            return .success(try read(bytes))
        } catch {
            return .failure(error)
        }
    }

    /// The longest unrecognised scan whose bytes are kept: every code lotbox reads but a
    /// licence fits, and longer text may be anything, a person's data included.
    public static let longestKeptUnknown = 64

    /// True when a scan's bytes must never be stored, logged or printed: a licence, bytes that
    /// open one, or an unrecognised scan longer than `longestKeptUnknown`. The one rule every
    /// writer asks, whether the scan arrived whole or not.
    public static func withholds(_ bytes: [UInt8]) -> Bool {
        switch recognize(bytes) {
        case .success(let recognition): return recognition.code.isPersonal
        case .failure(let rejection): return rejection.withheld
        }
    }

    /// Recognition, not framing, decides what a licence is: whatever no other kind reads whole
    /// is tested for the licence signature, wherever the reader cut it.
    static func read(_ raw: [UInt8]) throws(ScanRejection) -> Recognition {
        guard raw.count <= maximumLength else {
            throw ScanRejection(.tooLong, "scan of \(raw.count) bytes is longer than \(maximumLength); not shown", withheld: true)
        }
        var bytes = raw[...]
        while let last = bytes.last, last == 0x0D || last == 0x0A || last == 0x20 { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { throw ScanRejection(.empty, "scan is empty") }
        do throws(ScanRejection) {
            return try readOtherKind(bytes)
        } catch {
            let array = Array(bytes)
            if LicenceSignature.matches(array) {
                return Recognition(code: .licence(try AAMVALicence(array)), aim: AIMIdentifier.split(array).0)
            }
            if LicenceSignature.opensOrIsPDF417(array) {
                throw ScanRejection(.incomplete, "scan of \(bytes.count) bytes starts like licence data but is not a whole licence; not shown",
                                    withheld: true)
            }
            if bytes.count > longestKeptUnknown {
                throw ScanRejection(error.kind, "unrecognised scan of \(bytes.count) bytes (over \(longestKeptUnknown)); kept without its bytes",
                                    withheld: true)
            }
            throw error
        }
    }

    /// Every kind but a licence; throws unless the bytes are one of them, whole.
    static func readOtherKind(_ bytes: ArraySlice<UInt8>) throws(ScanRejection) -> Recognition {
        let (aim, body) = AIMIdentifier.split(Array(bytes))
        guard !body.isEmpty else { throw ScanRejection(.empty, "scan holds only the symbology prefix \(aim?.description ?? "")") }
        if aim?.isGS1 == true || body.first == 0x1D {
            return Recognition(code: .gs1(try GS1ElementString(scanned: body)), aim: aim)
        }
        if let bad = body.first(where: { $0 < 0x20 || $0 > 0x7E }) {
            throw ScanRejection(.malformed, "scan '\(ScanText.printable(body))' holds the byte \(ScanText.printable([bad])), which no code lotbox reads contains")
        }
        let text = String(decoding: body, as: UTF8.self)
        let upper = text.uppercased()
        if upper.hasPrefix(LotboxCommand.prefix) {
            return Recognition(code: .command(try LotboxCommand(parsing: text)), aim: aim)
        }
        if upper.hasPrefix("HTTP://") || upper.hasPrefix("HTTPS://") {
            return Recognition(code: try webAddress(text), aim: aim)
        }
        if body.first == UInt8(ascii: "("), body.count > 3, (48...57).contains(body[body.startIndex + 1]) {
            return Recognition(code: .gs1(try GS1ElementString(scanned: body)), aim: aim)
        }
        if let code = identifier(upper) { return Recognition(code: code, aim: aim) }
        if body.allSatisfy({ (48...57).contains($0) }) {
            return try digits(body, aim: aim)
        }
        throw ScanRejection(.unknownFormat,
                            "'\(ScanText.printable(body))' is not a code lotbox reads (ULID, METRC tag, BioTrack id, GS1, UPC/EAN, licence or LOTBOX: command)")
    }

    /// A ULID, an OpenTHC well-known id or a METRC tag, from uppercased text.
    static func identifier(_ upper: String) -> ScanCode? {
        let count = upper.utf8.count
        if count == 26 && upper.hasPrefix(WellKnown.prefix) && upper.utf8.allSatisfy(isAlnum) {
            return .wellKnown(upper)
        }
        if count == 26, let id = try? ULID(parsing: upper) { return .ulid(id) }
        if let tag = metrcTag(upper) { return .metrcTag(tag) }
        return nil
    }

    /// `1A4` followed by 21 hex digits.
    public static func metrcTag<S: StringProtocol>(_ text: S) -> String? {
        let upper = text.uppercased()
        guard upper.utf8.count == 24, upper.hasPrefix("1A4"),
              upper.utf8.dropFirst(3).allSatisfy({ (48...57).contains($0) || (65...70).contains($0) }) else { return nil }
        return upper
    }

    static func digits(_ body: ArraySlice<UInt8>, aim: AIMIdentifier?) throws(ScanRejection) -> Recognition {
        if let id = bioTrackID(String(decoding: body, as: UTF8.self)) {
            // "01" + a GTIN-14 with a good check digit is also a GS1 element string whose FNC1
            // was lost: unless the AIM prefix says plain Code 128, both readings stand.
            if aim == nil, body.prefix(2).elementsEqual("01".utf8), CheckDigit.isValidGS1(body.dropFirst(2)),
               let gs1 = try? GS1ElementString(scanned: body) {
                return Recognition(code: .bioTrack(id), alternatives: [.gs1(gs1)], aim: aim)
            }
            return Recognition(code: .bioTrack(id), aim: aim)
        }
        if let retail = try RetailCode.parse(body) { return Recognition(code: .retail(retail), aim: aim) }
        throw ScanRejection(.unknownFormat,
                            "\(body.count) digits '\(ScanText.printable(body))' are not a BioTrack id (16), UPC-A (12) or EAN (8, 13, 14)")
    }

    /// METRC Retail ID links (`https://1a4.com/...`, `https://app.1a4.com/landingpage/TAG/N`) and
    /// GS1 Digital Link (`https://example.com/01/GTIN/10/BATCH`).
    static func webAddress(_ text: String) throws(ScanRejection) -> ScanCode {
        let afterScheme = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard afterScheme.count == 3 else { throw ScanRejection(.malformed, "web address '\(text)' has no host") }
        let rest = afterScheme[2].split(separator: "?", maxSplits: 1)[0]
        let parts = rest.split(separator: "/")
        guard let host = parts.first?.lowercased(), !host.isEmpty else {
            throw ScanRejection(.malformed, "web address '\(text)' has no host")
        }
        let path = Array(parts.dropFirst())
        if host == "1a4.com" || host.hasSuffix(".1a4.com") {
            guard !path.isEmpty else { throw ScanRejection(.malformed, "METRC Retail ID link '\(text)' has no code") }
            let tagIndex = path.firstIndex { metrcTag($0) != nil }
            let tag = tagIndex.flatMap { metrcTag(path[$0]) }
            let unit = tagIndex.flatMap { $0 + 1 < path.count ? String(path[$0 + 1]) : nil }
            return .metrcRetailID(url: text, tag: tag, unit: unit)
        }
        if let gtinAt = path.firstIndex(of: "01"), gtinAt + 1 < path.count {
            var bracketed = ""
            var index = gtinAt
            while index + 1 < path.count {
                bracketed += "(\(path[index]))\(path[index + 1])"
                index += 2
            }
            return .gs1(try GS1ElementString(scanned: Array(bracketed.utf8)[...]))
        }
        throw ScanRejection(.unknownFormat, "web address '\(ScanText.printable(text.utf8))' is neither a METRC Retail ID nor a GS1 Digital Link")
    }

    static func isAlnum(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (65...90).contains(byte) }
}
