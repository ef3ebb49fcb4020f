/// A retail product code: UPC-A, EAN-8, EAN-13 or GTIN-14, check digit verified. Kept as a
/// GTIN-14 too, the form products are looked up by, so a UPC-A scan and the same product's
/// GS1 (01) find the same product.
public struct RetailCode: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable {
        case upcA = "upc-a"
        case ean8 = "ean-8"
        case ean13 = "ean-13"
        case gtin14 = "gtin-14"
    }

    public let kind: Kind
    public let digits: String

    /// The 14-digit GTIN with leading zeros.
    public var gtin14: String { String(repeating: "0", count: 14 - digits.count) + digits }

    public init(kind: Kind, digits: String) {
        self.kind = kind
        self.digits = digits
    }

    /// Reads digits of a retail length; nil when the length is not one, throws on a bad check digit.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(ScanRejection) -> RetailCode? {
        guard bytes.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let kind: Kind
        switch bytes.count {
        case 8: kind = .ean8
        case 12: kind = .upcA
        case 13: kind = .ean13
        case 14: kind = .gtin14
        default: return nil
        }
        guard CheckDigit.isValidGS1(bytes) else {
            throw ScanRejection(.badCheckDigit, "\(kind.rawValue) '\(String(decoding: bytes, as: UTF8.self))' has a wrong check digit")
        }
        return RetailCode(kind: kind, digits: String(decoding: bytes, as: UTF8.self))
    }

    /// A GTIN-14 as the shortest retail code that carries it (for showing people).
    public static func fromGTIN(_ gtin: String) -> RetailCode {
        let trimmed = gtin.drop { $0 == "0" }
        if trimmed.count <= 8 && gtin.count == 14 && gtin.hasPrefix("000000") { return RetailCode(kind: .ean8, digits: String(gtin.suffix(8))) }
        if trimmed.count <= 12 && gtin.hasPrefix("00") { return RetailCode(kind: .upcA, digits: String(gtin.suffix(12))) }
        if gtin.hasPrefix("0") { return RetailCode(kind: .ean13, digits: String(gtin.suffix(13))) }
        return RetailCode(kind: .gtin14, digits: gtin)
    }
}
