/// Whether a sale is to an adult-use customer or a medical patient: taxes and purchase limits
/// can differ between the two.
public enum SaleType: String, Sendable, CaseIterable {
    case adultUse = "adult-use"
    case medical

    /// Reads "adult-use" (also "adult", "recreational", "rec") or "medical" ("med").
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "adult-use", "adult", "recreational", "rec": self = .adultUse
        case "medical", "med": self = .medical
        default: return nil
        }
    }
}
