/// What a scan says, typed. Stations act on these; the scan log records them.
public enum ScanCode: Hashable, Sendable {
    /// A ULID issued by lotbox or another OpenTHC system (a lot, a transfer, a sale).
    case ulid(ULID)
    /// One of OpenTHC's well-known ids (e.g. the system company); not a ULID.
    case wellKnown(String)
    /// A METRC package or plant tag: `1A4` + 21 hex digits.
    case metrcTag(String)
    /// A METRC Retail ID URL printed as a QR code on a unit; `tag` when the URL carries the package tag.
    case metrcRetailID(url: String, tag: String?, unit: String?)
    /// A BioTrack id: 16 digits.
    case bioTrack(String)
    /// A GS1 element string: GTIN, batch, serial, expiry, weight...
    case gs1(GS1ElementString)
    /// A retail product code (UPC-A, EAN-8, EAN-13, GTIN-14).
    case retail(RetailCode)
    /// A driver's licence or ID card, for an age check. Never stored.
    case licence(AAMVALicence)
    /// A lotbox command barcode.
    case command(LotboxCommand)

    /// The kind, as written to the scan log.
    public var kind: String {
        switch self {
        case .ulid: return "ulid"
        case .wellKnown: return "openthc-well-known"
        case .metrcTag: return "metrc-tag"
        case .metrcRetailID: return "metrc-retail-id"
        case .bioTrack: return "biotrack"
        case .gs1: return "gs1"
        case .retail(let code): return code.kind.rawValue
        case .licence: return "aamva-licence"
        case .command: return "command"
        }
    }

    /// The identifying value, for the log and for lookups. Redacted for a licence.
    public var value: String {
        switch self {
        case .ulid(let id): return id.text
        case .wellKnown(let id), .metrcTag(let id), .bioTrack(let id): return id
        case .metrcRetailID(let url, _, _): return url
        case .gs1(let element): return element.bracketed
        case .retail(let code): return code.digits
        case .licence(let licence): return licence.description
        case .command(let command): return command.code
        }
    }

    /// True when the raw bytes hold personal data and must not be stored.
    public var isPersonal: Bool {
        if case .licence = self { return true }
        return false
    }
}

/// A recognized scan: the most likely reading first, and the others the same bytes also fit
/// (16 digits with no AIM prefix may be a BioTrack id or a GS1 (01) GTIN). Whoever resolves
/// the scan tries them in order.
public struct Recognition: Hashable, Sendable {
    public let code: ScanCode
    public let alternatives: [ScanCode]
    public let aim: AIMIdentifier?

    public init(code: ScanCode, alternatives: [ScanCode] = [], aim: AIMIdentifier?) {
        self.code = code
        self.alternatives = alternatives
        self.aim = aim
    }

    /// Every reading, most likely first.
    public var readings: [ScanCode] { [code] + alternatives }
    public var isAmbiguous: Bool { !alternatives.isEmpty }
}
