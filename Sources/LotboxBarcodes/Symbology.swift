/// The barcode symbologies a label can carry.
public enum Symbology: String, CaseIterable, Sendable, Codable {
    case qr
    case code128
    /// Code 128 with FNC1 and GS1 application identifiers, e.g. "[01]09501101530003[10]AB-123".
    case gs1_128 = "gs1-128"
    case datamatrix
    /// Data Matrix carrying GS1 element strings.
    case gs1DataMatrix = "gs1-datamatrix"
    case pdf417

    /// One row of bars (Code 128, GS1-128) rather than a matrix of modules.
    public var isLinear: Bool { self == .code128 || self == .gs1_128 }

    /// Whether the input is bracketed GS1 application identifiers.
    public var isGS1: Bool { self == .gs1_128 || self == .gs1DataMatrix }

    /// Light modules each side that scanners need: 10 for Code 128 (ISO/IEC 15417), 4 for QR,
    /// 1 for Data Matrix, 2 for PDF417.
    public var standardQuietZone: Int {
        switch self {
        case .qr: return 4
        case .code128, .gs1_128: return 10
        case .datamatrix, .gs1DataMatrix: return 1
        case .pdf417: return 2
        }
    }

    /// The AIM symbology identifier a scanner reports for it.
    public var aimIdentifier: String {
        switch self {
        case .qr: return "]Q1"
        case .code128: return "]C0"
        case .gs1_128: return "]C1"
        case .datamatrix: return "]d1"
        case .gs1DataMatrix: return "]d2"
        case .pdf417: return "]L2"
        }
    }
}
