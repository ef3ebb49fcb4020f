import Foundation

/// A length on a label as a person writes it in a template: "2in", "50.8mm", "12pt", "40dots"
/// (a bare number is dots). Converted to printer dots only once the dpi is known.
public struct Length: Sendable, Equatable, CustomStringConvertible, Codable {
    public enum Unit: String, Sendable, Codable { case mm, inch = "in", pt, dots }

    public let value: Double
    public let unit: Unit

    public init(_ value: Double, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }

    public init(parsing text: String) throws(LengthError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        let suffix = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(number), value >= 0, value.isFinite else { throw LengthError(text: text) }
        switch suffix {
        case "mm": self.init(value, .mm)
        case "in", "\"": self.init(value, .inch)
        case "pt": self.init(value, .pt)
        case "", "dots", "dot": self.init(value, .dots)
        default: throw LengthError(text: text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self.init(number, .dots)
        } else {
            do {
                try self.init(parsing: try container.decode(String.self))
            } catch let error as LengthError {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var inches: Double {
        switch unit {
        case .mm: return value / 25.4
        case .inch: return value
        case .pt: return value / 72
        case .dots: return .nan
        }
    }

    /// Whole printer dots at `dpi`, rounded to the nearest dot.
    public func dots(at dpi: Int) -> Int {
        unit == .dots ? Int(value.rounded()) : Int((inches * Double(dpi)).rounded())
    }

    public var description: String {
        let number = value == value.rounded() ? String(Int(value)) : String(value)
        return number + (unit == .dots ? "dots" : unit.rawValue)
    }
}

/// A size or position that is not a number with mm, in, pt or dots.
public struct LengthError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not a length; expected a number with mm, in, pt or dots (e.g. 50.8mm, 2in)" }
}

