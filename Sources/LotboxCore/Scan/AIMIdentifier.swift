/// The symbology identifier a scanner puts before a code when told to (ISO/IEC 15424): `]`,
/// a code letter and a modifier. It is how a GS1 code is told apart from the same digits in a
/// plain Code 128, so lotbox asks integrators to turn AIM prefixes on.
public struct AIMIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let code: Character
    public let modifier: Character

    public init(code: Character, modifier: Character) {
        self.code = code
        self.modifier = modifier
    }

    /// Splits `]Xm` off the front of a scan, if it is there.
    public static func split(_ bytes: [UInt8]) -> (AIMIdentifier?, ArraySlice<UInt8>) {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "]"),
              isAlpha(bytes[1]), isAlnum(bytes[2]) else { return (nil, bytes[...]) }
        return (AIMIdentifier(code: Character(UnicodeScalar(bytes[1])), modifier: Character(UnicodeScalar(bytes[2]))),
                bytes[3...])
    }

    /// GS1 data carriers: GS1-128 (`]C1`), GS1 DataMatrix (`]d2`), GS1 QR (`]Q3`), GS1 DataBar (`]e0`).
    public var isGS1: Bool {
        ["]C1", "]d2", "]Q3", "]e0", "]J1"].contains(description)
    }

    /// The symbology by name, for the scan log.
    public var symbology: String {
        switch code {
        case "C": return modifier == "1" ? "gs1-128" : "code128"
        case "d": return modifier == "2" ? "gs1-datamatrix" : "datamatrix"
        case "Q": return modifier == "3" ? "gs1-qr" : "qr"
        case "e": return "gs1-databar"
        case "E": return modifier == "4" ? "ean-8" : "ean-upc"
        case "L": return "pdf417"
        case "A": return "code39"
        case "I": return "itf"
        default: return "aim-\(code)\(modifier)"
        }
    }

    public var description: String { "]\(code)\(modifier)" }

    static func isAlpha(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isAlnum(_ byte: UInt8) -> Bool { isAlpha(byte) || (48...57).contains(byte) }
}
