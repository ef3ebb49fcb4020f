/// One value from a certificate of analysis, as a lab prints it: an amount in percent, mg per
/// gram or mg per unit (edibles), or "ND" when the analyte was not detected or was below the
/// limit of quantitation. An ND counts as zero in a total but is never shown as "0%": a label
/// that says 0% THC claims a measurement the lab did not make.
public struct LabMeasure: Hashable, Sendable, CustomStringConvertible {
    /// OpenTHC's lab uom codes for the units a potency is given in.
    public enum Unit: String, Sendable, CaseIterable {
        case percent = "pct"
        case milligramsPerGram = "mgg"
        case milligramsPerUnit = "mgp"

        /// How a person writes it after a number.
        public var symbol: String {
            switch self {
            case .percent: return "%"
            case .milligramsPerGram: return " mg/g"
            case .milligramsPerUnit: return " mg"
            }
        }

        /// The largest value that makes sense: a percent is of 100, mg/g of 1,000.
        var maximum: Fixed4? {
            switch self {
            case .percent: return Fixed4(whole: 100)
            case .milligramsPerGram: return Fixed4(whole: 1000)
            case .milligramsPerUnit: return nil
            }
        }

        /// The unit a stored uom names (also the spellings other systems export).
        public init?(code: String) {
            switch code.lowercased() {
            case "pct", "percent", "%": self = .percent
            case "mgg", "mg/g": self = .milligramsPerGram
            case "mgp", "mgs", "mg", "mg/unit", "mg/piece", "mg/serving": self = .milligramsPerUnit
            default: return nil
            }
        }
    }

    public var value: Fixed4
    /// Nil only for an ND given without a unit: it takes the unit of what it is added to.
    public var unit: Unit?
    public var notDetected: Bool

    public init(value: Fixed4, unit: Unit?, notDetected: Bool = false) {
        self.value = value
        self.unit = unit
        self.notDetected = notDetected
    }

    public static func notDetected(_ unit: Unit?) -> LabMeasure { LabMeasure(value: .zero, unit: unit, notDetected: true) }

    /// Spellings of "not detected / below the limit of quantitation" on COAs.
    static let belowLimit: Set<String> = ["nd", "n/d", "<loq", "< loq", "loq", "blq", "bql", "<lod", "< lod", "below loq",
                                          "below lod", "not detected", "lt-loq", "lt-lod"]

    /// Parses "22.51%", "0.8 %", "225.1 mg/g", "10 mg" (per unit), "ND", "<LOQ".
    public init(parsing text: String) throws(LabMeasureError) {
        let trimmed = text.trimmingWhitespace()
        let lowered = trimmed.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if LabMeasure.belowLimit.contains(lowered) {
            self = .notDetected(nil)
            return
        }
        let numberEnd = trimmed.firstIndex(where: { !("0"..."9").contains($0) && $0 != "." && $0 != "-" && $0 != "+" }) ?? trimmed.endIndex
        let number = String(trimmed[..<numberEnd])
        let unitText = String(trimmed[numberEnd...]).trimmingWhitespace()
        guard !number.isEmpty else { throw LabMeasureError(text: text, reason: .notANumber) }
        guard !unitText.isEmpty else { throw LabMeasureError(text: text, reason: .missingUnit) }
        guard let unit = Unit(code: unitText) else { throw LabMeasureError(text: text, reason: .unknownUnit(unitText)) }
        let value: Fixed4
        do {
            value = try Fixed4(parsing: number)
        } catch {
            throw LabMeasureError(text: text, reason: error == .negative(number) ? .negative : error == .overflow(number) ? .tooLarge(nil) : .notANumber)
        }
        if let maximum = unit.maximum, value > maximum { throw LabMeasureError(text: text, reason: .tooLarge(maximum.description + unit.symbol)) }
        self.init(value: value, unit: unit)
    }

    /// "22.51%", "12.5 mg/g", "10 mg", or "ND".
    public var description: String {
        notDetected ? "ND" : "\(value)\((unit ?? .percent).symbol)"
    }

    /// A total as OpenTHC defines it: the neutral form plus 0.877 × the acid form (the mass
    /// the acid keeps when it decarboxylates), exact to four places, rounded once. Nil when
    /// neither was measured; ND when neither was detected.
    public static func total(neutral: LabMeasure?, acid: LabMeasure?) throws(LabMeasureError) -> LabMeasure? {
        guard neutral != nil || acid != nil else { return nil }
        let units = [neutral?.unit, acid?.unit].compactMap { $0 }
        if let first = units.first, units.contains(where: { $0 != first }) {
            throw LabMeasureError(text: "\(neutral?.description ?? "") + \(acid?.description ?? "")", reason: .mixedUnits)
        }
        let unit = units.first
        if neutral?.notDetected ?? true, acid?.notDetected ?? true { return .notDetected(unit) }
        let decarboxylated = Fixed4.multiply(acid?.value.units ?? 0, decarboxylationFactor)
        return LabMeasure(value: Fixed4(units: (neutral?.value.units ?? 0) + decarboxylated), unit: unit)
    }

    /// 0.877 in ten-thousandths: the ratio of THC's molar mass to THCA's (and CBD's to CBDA's).
    public static let decarboxylationFactor: Int64 = 8770
}

/// Why a text is not a lab value. The message names the value and what was expected.
public struct LabMeasureError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case notANumber, missingUnit, unknownUnit(String), negative, tooLarge(String?), mixedUnits
    }
    public let text: String
    public let reason: Reason

    public var description: String {
        let expected = "expected e.g. '22.5%', '225 mg/g', '10 mg' (per unit) or 'ND'"
        switch reason {
        case .notANumber: return "lab value '\(text)' is not a number with a unit; \(expected)"
        case .missingUnit: return "lab value '\(text)' has no unit; \(expected)"
        case .unknownUnit(let unit): return "lab value '\(text)' has unknown unit '\(unit)'; \(expected)"
        case .negative: return "lab value '\(text)' is negative; \(expected)"
        case .tooLarge(let limit): return "lab value '\(text)' is too large; at most \(limit ?? "999999999999.9999")"
        case .mixedUnits: return "lab values '\(text)' are in different units; give a cannabinoid and its acid in the same unit"
        }
    }
}
