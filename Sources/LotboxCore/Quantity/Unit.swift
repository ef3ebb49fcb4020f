/// What a quantity measures. Each has one base unit the store keeps: OpenTHC stores weight in
/// grams and volume in liters, to four places; counts are whole `ea`.
public enum Dimension: String, Codable, Sendable, CaseIterable {
    case mass = "g"
    case volume = "l"
    case count = "ea"

    /// The unit the store keeps quantities of this dimension in.
    public var baseUnit: MeasureUnit {
        switch self {
        case .mass: return .g
        case .volume: return .l
        case .count: return .ea
        }
    }
}

/// The units a person may type, per OpenTHC's `uom` codes.
public enum MeasureUnit: String, Codable, Sendable, CaseIterable {
    case g, mg, kg, lb, oz, l, ml
    case flOz = "fl oz"
    case ea

    public var dimension: Dimension {
        switch self {
        case .g, .mg, .kg, .lb, .oz: return .mass
        case .l, .ml, .flOz: return .volume
        case .ea: return .count
        }
    }

    /// Exact size in the base unit, as decimal digits and scale: 1 lb = 453.59237 g is
    /// (45359237, 5); 1 US fl oz = 29.5735295625 ml = 0.0295735295625 l is (295735295625, 13).
    public var factor: (digits: Int128, scale: Int) {
        switch self {
        case .g, .l, .ea: return (1, 0)
        case .mg, .ml: return (1, 3)
        case .kg: return (1000, 0)
        case .lb: return (45_359_237, 5)
        case .oz: return (28_349_523_125, 9)
        case .flOz: return (295_735_295_625, 13)
        }
    }

    /// Every accepted spelling, lower-case, spaces collapsed.
    static let spellings: [String: MeasureUnit] = [
        "g": .g, "gm": .g, "gram": .g, "grams": .g,
        "mg": .mg, "kg": .kg,
        "lb": .lb, "lbs": .lb, "oz": .oz,
        "l": .l, "liter": .l, "liters": .l, "litre": .l, "litres": .l,
        "ml": .ml,
        "fl oz": .flOz, "floz": .flOz, "fl. oz": .flOz, "fl.oz": .flOz,
        "ea": .ea, "each": .ea,
    ]

    /// Looks a unit up by any accepted spelling.
    public init?(spelling: String) {
        let key = spelling.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard let unit = MeasureUnit.spellings[key] else { return nil }
        self = unit
    }

    /// For error messages: the units a quantity may be given in.
    public static let allowedList = "g, mg, kg, lb, oz, l, ml, fl oz, ea"
}
