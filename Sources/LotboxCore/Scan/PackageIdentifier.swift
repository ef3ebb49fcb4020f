/// The forms of the identifiers other systems print on packages. The scan recognizer reads
/// scans with these and the store checks a lot's identifiers with them: one definition of each.
extension ScanRecognizer {
    /// A BioTrack id: exactly 16 digits.
    public static func bioTrackID<S: StringProtocol>(_ text: S) -> String? {
        guard text.utf8.count == 16, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return String(text)
    }

    /// A GTIN of 8, 12, 13 or 14 digits with a good check digit, as the GTIN-14 products are
    /// looked up by.
    public static func gtin<S: StringProtocol>(_ text: S) -> String? {
        guard let code = try? RetailCode.parse(Array(text.utf8)[...]) else { return nil }
        return code.gtin14
    }
}

extension ExternalIDKind {
    /// The value in the form the store keeps it (a METRC tag upper case, a GTIN as GTIN-14), or
    /// nil when it is not this kind's form. A sender's lot id (`origin`) may be anything.
    public func normalized(_ value: String) -> String? {
        switch self {
        case .metrc: return ScanRecognizer.metrcTag(value)
        case .biotrack: return ScanRecognizer.bioTrackID(value)
        case .gtin: return ScanRecognizer.gtin(value)
        case .origin: return value.isEmpty ? nil : value
        }
    }

    /// What a value of this kind looks like, for refusals.
    public var expectedForm: String {
        switch self {
        case .metrc: return "a METRC tag: 1A4 followed by 21 hex digits (24 characters)"
        case .biotrack: return "a BioTrack id: 16 digits"
        case .gtin: return "a GTIN: 8, 12, 13 or 14 digits with a good check digit"
        case .origin: return "the sender's lot id"
        }
    }

    /// Kinds that name one package: no two lots carry the same one as their own.
    public var namesOnePackage: Bool { self == .metrc || self == .biotrack }
}
